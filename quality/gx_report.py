"""The checkpoint's report: each expectation's result as a plain dict, and one readable line per failure."""

from __future__ import annotations

import datetime as dt


def jsonable(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return None
    return value


def condition_text(cond) -> str | None:
    """Render a GX row condition (object or its serialized dict) as e.g. price_currency == 'EGP'."""
    if cond is None:
        return None
    if hasattr(cond, "dict"):
        cond = cond.dict()
    if isinstance(cond, dict) and "column" in cond:
        col = cond["column"].get("name") if isinstance(cond["column"], dict) else cond["column"]
        if "is_null" in cond:
            return f"{col} is {'' if cond['is_null'] else 'not '}null"
        op = cond.get("operator")
        op = getattr(op, "value", op)
        return f"{col} {op} {cond.get('parameter')!r}"
    return str(cond)


def summarize(validation_result) -> list[dict]:
    rows = []
    for r in validation_result.results:
        cfg = r.expectation_config
        kwargs = dict(cfg.kwargs)
        res = r.result or {}
        cond = kwargs.get("row_condition")
        rows.append(
            {
                "expectation": cfg.type,
                "severity": str(getattr(cfg, "severity", "critical")).split(".")[-1].lower(),
                "column": kwargs.get("column"),
                "condition": condition_text(cond),
                "what": (cfg.meta or {}).get("what"),
                "success": bool(r.success),
                "element_count": res.get("element_count"),
                "unexpected_count": res.get("unexpected_count"),
                "unexpected_percent": res.get("unexpected_percent"),
                "observed_value": jsonable(res.get("observed_value")),
                "sample_bad_values": [jsonable(v) for v in (res.get("partial_unexpected_list") or [])[:10]],
                "bounds": {
                    k: jsonable(kwargs[k])
                    for k in ("min_value", "max_value", "value_set", "mostly")
                    if kwargs.get(k) is not None
                },
                "exception": (r.exception_info or {}).get("exception_message") if r.exception_info else None,
            }
        )
    return rows


def describe(row: dict) -> str:
    col = row["column"] + (f" where {row['condition']}" if row["condition"] else "")
    parts = [f"{row['expectation']} on {col}"]
    if row["what"]:
        parts.append(f"({row['what']})")
    if row["unexpected_count"] is not None:
        parts.append(
            f": {row['unexpected_count']} bad of {row['element_count']} ({(row['unexpected_percent'] or 0):.3f}%)"
        )
    elif row["observed_value"] is not None:
        parts.append(f": observed {row['observed_value']}")
    if row["sample_bad_values"]:
        parts.append(f"; sample bad values: {row['sample_bad_values']}")
    bounds = {k: v for k, v in row["bounds"].items() if k != "value_set"}
    if bounds:
        parts.append(f"; expected {bounds}")
    if row["exception"]:
        parts.append(f"; error: {row['exception']}")
    return " ".join(parts)
