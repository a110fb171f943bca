"""A listing sent to the HTTP endpoint: parsed and checked, no I/O."""

from __future__ import annotations

import json

CONDITIONS = ("new", "like_new", "refurbished", "used")
REQUIRED = {"brand": str, "model": str, "storage_gb": int, "condition": str}
OPTIONAL = {"ram_gb": int, "seller_id": str, "listing_id": str}


class BadRequest(ValueError):
    """The request cannot be priced; `field` names the offending field (None: the body as a whole)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _typed(name: str, value, kind: type):
    # JSON has no int type of its own: a bool is not a storage size, a whole float is fine
    if kind is int and isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise BadRequest(f"field '{name}' must be {'an integer' if kind is int else 'a string'}", name)
    return value


def parse_listing(body: bytes) -> dict:
    """The listing's fields (brand and model lower-cased, as in the catalog) or BadRequest."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise BadRequest(f"malformed JSON: {err}") from None
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object (a listing)")
    out = {}
    for name, kind in REQUIRED.items():
        if data.get(name) is None:
            raise BadRequest(f"missing field '{name}'", name)
        out[name] = _typed(name, data[name], kind)
    for name, kind in OPTIONAL.items():
        out[name] = None if data.get(name) is None else _typed(name, data[name], kind)
    if out["condition"] not in CONDITIONS:
        raise BadRequest(f"field 'condition' must be one of {', '.join(CONDITIONS)}", "condition")
    if out["storage_gb"] <= 0:
        raise BadRequest("field 'storage_gb' must be positive", "storage_gb")
    out["brand"], out["model"] = out["brand"].strip().lower(), out["model"].strip().lower()
    return out
