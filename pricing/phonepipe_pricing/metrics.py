"""Accuracy metrics, no I/O."""

from __future__ import annotations

import numpy as np


def ape(predicted: np.ndarray, actual: np.ndarray) -> np.ndarray:
    """Absolute percentage errors (fractions) where both are known and the actual is positive."""
    predicted, actual = np.asarray(predicted, float), np.asarray(actual, float)
    ok = np.isfinite(predicted) & np.isfinite(actual) & (actual > 0)
    return np.abs(predicted[ok] - actual[ok]) / actual[ok]


def mdape(predicted: np.ndarray, actual: np.ndarray) -> float:
    """Median absolute percentage error (a fraction); NaN when nothing can be compared."""
    errors = ape(predicted, actual)
    return float(np.median(errors)) if errors.size else float("nan")


def coverage(low: np.ndarray, high: np.ndarray, actual: np.ndarray) -> float:
    """Share of actual values inside [low, high]."""
    actual = np.asarray(actual, float)
    return float(np.mean((actual >= low) & (actual <= high))) if actual.size else float("nan")


def percentile_ms(latencies_s: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(latencies_s) * 1000, q)) if latencies_s else float("nan")
