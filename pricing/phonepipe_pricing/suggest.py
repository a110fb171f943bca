"""From predictions to pricing.suggestions records (the contract's fields, JSON-ready), no I/O."""

from __future__ import annotations

import hashlib
import math
import uuid

import numpy as np

from phonepipe_pricing.model import Prediction

# Confidence falls with the width of the 80 % interval: exp(-width / WIDTH_SCALE) for width = log(high/low).
WIDTH_SCALE = 0.5
UNKNOWN_MODEL_CONFIDENCE = 0.3
NO_INDEX_CONFIDENCE = 0.45
REASON_UNKNOWN = "model not in the catalog or the training data: priced from its condition only"
REASON_NO_INDEX = "no market index for this product and condition in the last 7 days"


def suggestion_id(listing_id: str, model_version: str, last_change: str) -> str:
    """The same listing, model and listing version always give the same id (a re-run is a no-op downstream)."""
    digest = hashlib.sha256(f"{listing_id}|{model_version}|{last_change}".encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=5))


def confidence(pred: Prediction) -> tuple[np.ndarray, list[str | None]]:
    """Confidence in [0, 1] and a reason where it is capped (unknown model, no market index)."""
    width = np.log(np.maximum(pred.high, 1e-9) / np.maximum(pred.low, 1e-9))
    conf = np.exp(-width / WIDTH_SCALE)
    reasons: list[str | None] = [None] * len(conf)
    for i in range(len(conf)):
        if not pred.known[i]:
            conf[i], reasons[i] = min(conf[i], UNKNOWN_MODEL_CONFIDENCE), REASON_UNKNOWN
        elif not pred.has_index[i]:
            conf[i], reasons[i] = min(conf[i], NO_INDEX_CONFIDENCE), REASON_NO_INDEX
    return np.round(conf, 3), reasons


def money(x: float) -> float:
    """EGP rounded to whole pounds (the contract's decimals take at most two places)."""
    return float(round(x)) if math.isfinite(x) else 0.0


def records(listings: dict[str, np.ndarray], pred: Prediction, model_version: str, generated_at_ms: int) -> list[dict]:
    """One pricing.suggestions value per listing (listing_id, product_name, condition, price_changed_at)."""
    conf, reasons = confidence(pred)
    out = []
    for i, listing_id in enumerate(listings["listing_id"]):
        out.append(
            {
                "suggestion_id": suggestion_id(str(listing_id), model_version, str(listings["price_changed_at"][i])),
                "listing_id": str(listing_id),
                "product_title": str(listings["product_name"][i]),
                "condition": str(listings["condition"][i]),
                "suggested_price": money(pred.price[i]),
                "currency": "EGP",
                "confidence": float(conf[i]),
                "model_version": model_version,
                "generated_at": int(generated_at_ms),
                "price_low": money(min(pred.low[i], pred.price[i])),
                "price_high": money(max(pred.high[i], pred.price[i])),
                "reason": reasons[i],
            }
        )
    return out
