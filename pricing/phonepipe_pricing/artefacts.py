"""The model store: $PHONEPIPE_DATA_DIR/models/<version>/ (model.pkl, metadata.json), the CURRENT pointer and
the promotion log (promotions.jsonl)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pickle
from pathlib import Path

from phonepipe_pricing.model import PriceModel


def models_dir() -> Path:
    data = Path(os.environ.get("PHONEPIPE_DATA_DIR", Path(os.environ.get("PHONEPIPE_ROOT", ".")) / "data"))
    return Path(os.environ.get("PHONEPIPE_MODELS_DIR", data / "models"))


IDENTITY = ("data_snapshot", "features", "params", "training_window")


def version_for(metadata: dict) -> str:
    """pricer-<last training day>-<hash of the data snapshot and settings>: the same data and settings give the
    same name (timings and metrics are left out of the hash)."""
    identity = {k: metadata.get(k) for k in IDENTITY}
    digest = hashlib.sha256(json.dumps(identity, sort_keys=True, default=str).encode()).hexdigest()[:8]
    last = str(metadata["training_window"]["last_sale"])[:10].replace("-", "")
    return f"pricer-{last}-{digest}"


def save(model: PriceModel, metadata: dict, root: Path | None = None) -> str:
    root = root or models_dir()
    version = version_for(metadata)
    folder = root / version
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / ".model.pkl.tmp"
    tmp.write_bytes(pickle.dumps(model))
    os.replace(tmp, folder / "model.pkl")
    (folder / "metadata.json").write_text(json.dumps({**metadata, "version": version}, indent=2, default=str))
    return version


def current_version(root: Path | None = None) -> str | None:
    pointer = (root or models_dir()) / "CURRENT"
    return pointer.read_text().strip() if pointer.exists() else None


def metadata(version: str, root: Path | None = None) -> dict:
    return json.loads(((root or models_dir()) / version / "metadata.json").read_text())


def load(version: str, root: Path | None = None) -> PriceModel:
    # our own artefact, written by save() above
    return pickle.loads(((root or models_dir()) / version / "model.pkl").read_bytes())  # noqa: S301


def record_decision(version: str, promoted: bool, reason: str, root: Path | None = None) -> None:
    """Appends the decision to promotions.jsonl; moves CURRENT when promoted."""
    root = root or models_dir()
    root.mkdir(parents=True, exist_ok=True)
    entry = {
        "at": dt.datetime.now(dt.UTC).isoformat(),
        "version": version,
        "promoted": promoted,
        "reason": reason,
        "previous": current_version(root),
    }
    with (root / "promotions.jsonl").open("a") as log:
        log.write(json.dumps(entry) + "\n")
    if promoted:
        tmp = root / ".CURRENT.tmp"
        tmp.write_text(version + "\n")
        os.replace(tmp, root / "CURRENT")
