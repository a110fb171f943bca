"""The topic catalog for Python: a reader of ``schemas/generated/catalog.json``.

``make catalog`` renders that file from ``schemas/avro/*.topic.yaml`` (docs/contracts.md). Python code (the
Airflow helpers, the sample-landing generator, the quality checkpoint, the benchmarks) takes topic names,
keys, event times and landing columns from here instead of writing them out. Standard library only, so every
venv imports it; put this folder on ``sys.path`` (the scripts do it themselves).

    import phonepipe_catalog
    catalog = phonepipe_catalog.load()
    listings = catalog.with_hook("listing")
    listings.topic, listings.record_id, listings.column_names
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CATALOG_FILE = Path(__file__).resolve().parents[1] / "schemas" / "generated" / "catalog.json"


class CatalogError(ValueError):
    """The catalog file is missing or not what ``make catalog`` writes; the message names the file."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str


@dataclass(frozen=True)
class Topic:
    topic: str
    table: str
    description: str
    key: str
    record_id: str
    event_time: str
    dedupe: str
    partitions: int
    retention_days: int
    hook: str | None
    product_title: str | None
    currency: str | None
    money: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column_type(self, name: str) -> str:
        for c in self.columns:
            if c.name == name:
                return c.type
        raise KeyError(f"{self.topic} has no landing column {name!r}")

    def landing_dir(self, data_dir: Path) -> Path:
        """``<data>/landing/<topic>``: the topic's landing folder (schemas/LANDING.md)."""
        return Path(data_dir) / "landing" / self.topic


@dataclass(frozen=True)
class Catalog:
    path: Path
    topics: tuple[Topic, ...]
    lineage_columns: tuple[Column, ...]
    dlq_suffix: str

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.topic for t in self.topics)

    def topic(self, name: str) -> Topic:
        for t in self.topics:
            if t.topic == name:
                return t
        raise CatalogError(f"{self.path}: no topic {name!r} (known: {', '.join(self.names)})")

    def by_table(self, table: str) -> Topic:
        for t in self.topics:
            if t.table == table:
                return t
        raise CatalogError(f"{self.path}: no topic lands in table {table!r}")

    def with_hook(self, hook: str) -> Topic:
        """The one topic processed by ``hook`` (``listing``: the scraped listings)."""
        found = [t for t in self.topics if t.hook == hook]
        if len(found) != 1:
            raise CatalogError(f"{self.path}: {len(found)} topics have hook {hook!r}, expected exactly one")
        return found[0]


_TOPIC_FIELDS = {
    "topic": str,
    "table": str,
    "description": str,
    "key": str,
    "record_id": str,
    "event_time": str,
    "dedupe": str,
    "partitions": int,
    "retention_days": int,
}
_OPTIONAL_FIELDS = ("hook", "product_title", "currency")


def _columns(raw: object, where: str) -> tuple[Column, ...]:
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{where}: expected a non-empty list of columns")
    cols = []
    for i, c in enumerate(raw):
        if not (isinstance(c, dict) and isinstance(c.get("name"), str) and isinstance(c.get("type"), str)):
            raise ValueError(f"{where}[{i}]: expected {{'name': str, 'type': str}}, got {c!r}")
        cols.append(Column(c["name"], c["type"]))
    return tuple(cols)


def _topic(raw: object, i: int) -> Topic:
    if not isinstance(raw, dict):
        raise ValueError(f"topics[{i}]: expected an object")
    name = raw.get("topic", f"topics[{i}]")
    values: dict = {}
    for field, kind in _TOPIC_FIELDS.items():
        value = raw.get(field)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ValueError(f"topic {name}: {field!r} missing or not {kind.__name__} ({value!r})")
        values[field] = value
    for field in _OPTIONAL_FIELDS:
        value = raw.get(field)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"topic {name}: {field!r} must be a string or null ({value!r})")
        values[field] = value
    money = raw.get("money", [])
    if not isinstance(money, list) or not all(isinstance(m, str) for m in money):
        raise ValueError(f"topic {name}: 'money' must be a list of column names")
    return Topic(**values, money=tuple(money), columns=_columns(raw.get("columns"), f"topic {name}: columns"))


def parse(data: object, path: Path) -> Catalog:
    """A Catalog from the decoded JSON of ``path``; CatalogError naming the file and the problem."""
    try:
        if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
            raise ValueError("expected an object with a 'topics' list")
        topics = tuple(_topic(t, i) for i, t in enumerate(data["topics"]))
        if not topics:
            raise ValueError("no topics")
        dupes = {t.topic for t in topics if [u.topic for u in topics].count(t.topic) > 1}
        if dupes:
            raise ValueError(f"topics listed twice: {', '.join(sorted(dupes))}")
        lineage = _columns(data.get("lineage_columns"), "lineage_columns")
        dlq_suffix = data.get("dlq_suffix")
        if not isinstance(dlq_suffix, str):
            raise ValueError("'dlq_suffix' missing or not a string")
    except ValueError as err:
        raise CatalogError(f"{path}: malformed topic catalog: {err} (regenerate it: make catalog)") from None
    return Catalog(path=path, topics=topics, lineage_columns=lineage, dlq_suffix=dlq_suffix)


@lru_cache(maxsize=8)
def _load(path: Path, stamp: tuple[int, int]) -> Catalog:  # noqa: ARG001 - the cache key: an edit reloads
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise CatalogError(f"{path}: not valid JSON ({err}); regenerate it: make catalog") from None
    return parse(data, path)


def load(path: Path | str | None = None) -> Catalog:
    """The catalog at ``path`` (default: the repo's ``schemas/generated/catalog.json``), read once per change."""
    file = Path(path).resolve() if path is not None else CATALOG_FILE
    try:
        st = file.stat()
    except FileNotFoundError:
        raise CatalogError(f"{file}: topic catalog not found (generate it: make catalog)") from None
    return _load(file, (st.st_mtime_ns, st.st_size))
