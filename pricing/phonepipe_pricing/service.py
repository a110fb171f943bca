"""The commands' work: reads the warehouse and the model store, runs the pure modules, writes artefacts."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time

import numpy as np

from phonepipe_pricing import artefacts, backtest, model, promotion
from phonepipe_pricing import features as F
from phonepipe_pricing import suggest as S
from phonepipe_pricing import warehouse as W


def training_data(con, limit: int | None = None) -> dict[str, np.ndarray]:
    cols = W.load_sales(con, limit)
    return F.with_market_gap(cols, cols)


def train(folds: int = 4, limit: int | None = None, log=print) -> dict:
    """Backtests, fits on every sale, stores the artefact and promotes it if it beats the current model."""
    con = W.connect()
    cols = training_data(con, limit)
    log(f"training on {len(cols['price']):,} realized sales; backtest over {folds} weekly folds")
    result = backtest.run(cols, folds, log=log).as_dict()
    t0 = time.perf_counter()
    fitted = model.fit(cols, cols["price"])
    seconds = time.perf_counter() - t0
    first, last = np.min(cols["occurred_at"]), np.max(cols["occurred_at"])
    meta = {
        "training_window": {"first_sale": str(first), "last_sale": str(last), "rows": len(cols["price"])},
        "features": list(F.FEATURES),
        "params": {
            **model.PARAMS,
            "quantiles": list(model.QUANTILES),
            "calibration_share": model.CALIBRATION_SHARE,
            "interval_max_rows": model.INTERVAL_MAX_ROWS,
        },
        "data_snapshot": W.snapshot(con),
        "backtest": result,
        "train_seconds": round(seconds, 2),
        "trained_at": dt.datetime.now(dt.UTC).isoformat(),
    }
    version = artefacts.save(fitted, meta)
    current = artefacts.current_version()
    current_metrics = artefacts.metadata(current)["backtest"] if current and current != version else None
    if current == version:
        promoted, reason = False, "the same data and settings as the current model"
    else:
        promoted, reason = promotion.decide(result, current_metrics)
    artefacts.record_decision(version, promoted, reason)
    log(
        f"model {version}: MdAPE {result['mdape']:.2%} (index baseline {result['baseline_index_mdape']:.2%}, "
        f"sales baseline {result['baseline_sales_mdape']:.2%}), coverage {result['coverage_80']:.2f}; "
        f"{'PROMOTED' if promoted else 'kept ' + str(current)}: {reason}"
    )
    return {"version": version, "promoted": promoted, "reason": reason, "backtest": result}


def current_model():
    version = artefacts.current_version()
    if version is None:
        raise W.EmptyWarehouse(f"no promoted model under {artefacts.models_dir()}: run train first")
    return version, artefacts.load(version)


def recent_sales(con, day: float) -> dict[str, np.ndarray] | None:
    """The sales of the week before `day` (days since 1970), or None without any."""
    since = np.datetime64("1970-01-01") + np.timedelta64(int(day) - 8, "D")
    try:
        return W.load_sales(con, since=str(since))
    except W.EmptyWarehouse:
        return None


def with_recent_gap(con, cols: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """`cols` (listings or catalog products to price now) with the market gap of the latest week's sales;
    without sales the gap is unknown and the reference is the index alone."""
    if len(cols["day"]) == 0:
        return cols
    history = recent_sales(con, float(np.max(cols["day"])))
    if history is None:
        return {**cols, "market_gap7": np.full(len(cols["day"]), np.nan)}
    return F.with_market_gap(cols, history)


def suggest(changed_since: str = "1970-01-01", out=sys.stdout) -> int:
    """Writes one pricing.suggestions record (JSON) per current marketplace listing changed since the date."""
    version, fitted = current_model()
    con = W.connect()
    listings = W.load_listings(con, changed_since)
    if len(listings["listing_id"]) == 0:
        return 0
    pred = fitted.predict(with_recent_gap(con, listings))
    now_ms = int(time.time() * 1000)
    for rec in S.records(listings, pred, version, now_ms):
        out.write(json.dumps(rec) + "\n")
    return len(listings["listing_id"])
