"""The model: three HistGradientBoostingRegressor fits with quantile loss (0.1, 0.5, 0.9) on the log price
relative to the market reference (features.py). No I/O; the artefact store pickles a fitted PriceModel."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor

from phonepipe_pricing import features as F

QUANTILES = (0.1, 0.5, 0.9)
PARAMS = {"max_iter": 120, "learning_rate": 0.15, "max_leaf_nodes": 31, "min_samples_leaf": 40}
# The newest share of the training sales held out to calibrate the interval (conformalized quantile regression):
# quantile fits alone come out too narrow on later data.
CALIBRATION_SHARE = 0.15
TARGET_COVERAGE = 0.8
# The 0.1/0.9 models learn from at most this many of the older sales (an even sample): the calibration
# corrects their ends anyway, and it keeps training on 1,000,000 sales within a minute on 2 cores.
INTERVAL_MAX_ROWS = 250_000


@dataclass
class Prediction:
    price: np.ndarray
    low: np.ndarray
    high: np.ndarray
    has_index: np.ndarray
    known: np.ndarray


@dataclass
class PriceModel:
    encoding: F.Encoding
    models: dict[float, HistGradientBoostingRegressor] = field(default_factory=dict)
    # widen the log interval below and above by these (negative narrows), from the calibration sales
    adjust_low: float = 0.0
    adjust_high: float = 0.0

    def predict(self, cols: dict[str, np.ndarray]) -> Prediction:
        x = F.matrix(cols, self.encoding)
        ref = F.reference(cols, self.encoding)
        lo, mid, hi = self.log_quantiles(x)
        lo, hi = np.minimum(lo - self.adjust_low, mid), np.maximum(hi + self.adjust_high, mid)
        return Prediction(
            ref * np.exp(mid),
            ref * np.exp(lo),
            ref * np.exp(hi),
            x[:, F.FEATURES.index("has_index")] > 0,
            F.known_product(cols, self.encoding),
        )

    def log_quantiles(self, x: np.ndarray) -> np.ndarray:
        q = [self.models[a].predict(x) for a in QUANTILES]
        # quantile fits can cross on a few rows: sort so low <= middle <= high
        return np.sort(np.column_stack(q), axis=1).T


def regressor(alpha: float, params: dict | None = None) -> HistGradientBoostingRegressor:
    cat = [F.FEATURES.index(c) for c in F.CATEGORICAL]
    return HistGradientBoostingRegressor(
        loss="quantile",
        quantile=alpha,
        categorical_features=cat,
        early_stopping=False,
        random_state=0,
        **(params or PARAMS),
    )


def conformal_adjust(lo: np.ndarray, hi: np.ndarray, y: np.ndarray, coverage: float = TARGET_COVERAGE):
    """How much to widen (or narrow) each end of [lo, hi] so that y falls below it, and above it, in
    (1 - coverage) / 2 of the cases each (split conformal, one side at a time: misses need not be symmetric)."""
    level = min(1.0, np.ceil((len(y) + 1) * (1 + coverage) / 2) / len(y))
    return float(np.quantile(lo - y, level)), float(np.quantile(y - hi, level))


def fit(cols: dict[str, np.ndarray], price: np.ndarray, params: dict | None = None) -> PriceModel:
    """Fits the median model on all sales (cols, realized prices) and the 0.1/0.9 models on (a sample of) the
    older ones,
    calibrating the interval on the newest CALIBRATION_SHARE (which the median model keeps: recent sales
    matter most for it)."""
    if len(price) == 0:
        raise ValueError("no sales to train on")
    x, y, enc = F.training_set(cols, np.asarray(price, float))
    order = np.argsort(cols["day"], kind="stable")
    n_fit = max(1, int(len(y) * (1 - CALIBRATION_SHARE)))
    older, newest = order[:n_fit], order[n_fit:]
    models = {0.5: regressor(0.5, params).fit(x, y)}
    sample = older[:: max(1, -(-len(older) // INTERVAL_MAX_ROWS))]
    for a in (QUANTILES[0], QUANTILES[-1]):
        models[a] = regressor(a, params).fit(x[sample], y[sample])
    fitted = PriceModel(enc, models)
    if len(newest) >= 20:
        # the newest sales see their sellers' history as a later listing would: only the older sales
        bias, n = F.seller_history(cols["seller_id"][older], y[older])
        cal = F.matrix(F.subset(cols, newest), F.Encoding(enc.categories, enc.fallback_ref, bias, n))
        lo, _, hi = fitted.log_quantiles(cal)
        fitted.adjust_low, fitted.adjust_high = conformal_adjust(lo, hi, y[newest])
    return fitted
