"""Rolling-origin backtest: for several cut days D, train on the sales before D and test on the 7 days from D.
Reports MdAPE against the realized prices, 80 % interval coverage and the two baselines on the same rows."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from phonepipe_pricing import features as F
from phonepipe_pricing import metrics as M
from phonepipe_pricing import model

TEST_DAYS = 7
MIN_TRAIN_DAYS = 14


@dataclass
class Result:
    folds: int
    rows_test: int
    rows_compared: int
    mdape: float
    mdape_all: float
    baseline_index_mdape: float
    baseline_sales_mdape: float
    coverage_80: float
    largest_fold_train_rows: int

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def cut_days(day: np.ndarray, folds: int) -> list[float]:
    """The first test day of each fold, newest last; only cuts that leave MIN_TRAIN_DAYS of history."""
    last = float(np.max(day))
    cuts = [last + 1 - TEST_DAYS * k for k in range(folds, 0, -1)]
    return [c for c in cuts if c - float(np.min(day)) >= MIN_TRAIN_DAYS]


def run(cols: dict[str, np.ndarray], folds: int = 4, params: dict | None = None, log=print) -> Result:
    cols = F.with_market_gap(cols, cols)
    day, price = cols["day"], cols["price"]
    preds, lows, highs, tested = [], [], [], []
    cuts = cut_days(day, folds)
    if not cuts:
        raise ValueError(f"too short a sales history for a backtest (needs {MIN_TRAIN_DAYS + TEST_DAYS} days)")
    largest = 0
    for cut in cuts:
        train, test = day < cut, (day >= cut) & (day < cut + TEST_DAYS)
        t0 = time.perf_counter()
        fitted = model.fit(F.subset(cols, train), price[train], params)
        p = fitted.predict(F.subset(cols, test))
        fold_mdape = M.mdape(p.price, price[test])
        fold_cov = M.coverage(p.low, p.high, price[test])
        log(
            f"  fold from day {int(cut)}: train {int(train.sum()):,} test {int(test.sum()):,} "
            f"MdAPE {fold_mdape:.2%} coverage {fold_cov:.2f} ({time.perf_counter() - t0:.1f}s)"
        )
        preds.append(p.price), lows.append(p.low), highs.append(p.high), tested.append(np.flatnonzero(test))
        largest = max(largest, int(train.sum()))
    rows = np.concatenate(tested)
    pred, low, high, actual = np.concatenate(preds), np.concatenate(lows), np.concatenate(highs), price[rows]
    base_idx, base_sales = cols["index_median_on_day"][rows], cols["sales30_median"][rows]
    # every method is judged on the rows where both baselines have a value
    same = np.isfinite(base_idx) & np.isfinite(base_sales)
    return Result(
        folds=len(cuts),
        rows_test=int(rows.size),
        rows_compared=int(same.sum()),
        mdape=M.mdape(pred[same], actual[same]),
        mdape_all=M.mdape(pred, actual),
        baseline_index_mdape=M.mdape(base_idx[same], actual[same]),
        baseline_sales_mdape=M.mdape(base_sales[same], actual[same]),
        coverage_80=M.coverage(low, high, actual),
        largest_fold_train_rows=largest,
    )
