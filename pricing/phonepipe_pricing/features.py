"""Feature logic, no I/O: turns the columns the warehouse reader returns into the model's matrix and target.

Columns (numpy arrays, one entry per sale or listing): brand, model, condition (strings); storage_gb, ram_gb,
release_year (numbers, NaN when unknown); day (days since 1970); seller_id; the market context strictly before
the day (idx7_median, idx7_n, idx_p25, idx_p75, idx_min, comp_median: trailing 7 days of the price index and of
the competitors' asking prices) and sales30_median (the marketplace's own sales of the product and condition
over the 30 days before). The target is log(price / reference): the reference is the trailing index
median (or, without one, the median sale of the condition in training), so the model learns premiums and
discounts relative to the market and follows devaluations and depreciation through the index.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

CATEGORICAL = ("brand", "model", "condition")
NUMERIC = (
    "storage_gb",
    "ram_gb",
    "age_years",
    "log_ref",
    "has_index",
    "spread",
    "min_gap",
    "log_idx_n",
    "comp_gap",
    "own_gap",
)
SELLER = ("seller_bias", "seller_log_n")
FEATURES = CATEGORICAL + NUMERIC + SELLER
# Shrinks a seller's median ratio towards 0 (the market) until they have this many past sales.
SELLER_PRIOR_SALES = 5.0
UNKNOWN = -1


@dataclass
class Encoding:
    """What training fixed and scoring reuses: category codes, fallback references, seller history."""

    categories: dict[str, list[str]] = field(default_factory=dict)
    fallback_ref: dict[str, float] = field(default_factory=dict)
    seller_bias: dict[str, float] = field(default_factory=dict)
    seller_n: dict[str, int] = field(default_factory=dict)


def codes(values: np.ndarray, known: list[str]) -> np.ndarray:
    """Category codes by position in `known`; an unseen or missing value is NaN (HGB's missing category)."""
    lookup = {v: i for i, v in enumerate(known)}
    return np.array([lookup.get(v, np.nan) for v in values], dtype=float)


def fit_encoding(cols: dict[str, np.ndarray], price: np.ndarray) -> Encoding:
    enc = Encoding()
    for c in CATEGORICAL:
        enc.categories[c] = sorted({v for v in cols[c] if isinstance(v, str)})
    for cond in enc.categories["condition"]:
        enc.fallback_ref[cond] = float(np.median(price[cols["condition"] == cond]))
    enc.fallback_ref["*"] = float(np.median(price))
    return enc


def reference(cols: dict[str, np.ndarray], enc: Encoding) -> np.ndarray:
    """The price the target is relative to: the trailing index median scaled by the market gap (how realized
    prices stood against the index over the last week, marketplace-wide), else the condition's median sale.
    The scaling keeps the target steady when asking and realized prices drift apart, which trees could not
    extrapolate."""
    fallback = np.array([enc.fallback_ref.get(c, enc.fallback_ref["*"]) for c in cols["condition"]])
    idx = cols["idx7_median"].astype(float)
    gap = np.nan_to_num(cols.get("market_gap7", np.zeros(len(idx))).astype(float))
    return np.where(np.isfinite(idx) & (idx > 0), idx * np.exp(gap), fallback)


def market_gap(
    history_day: np.ndarray, history_price: np.ndarray, history_idx: np.ndarray, day: np.ndarray, window: int = 7
) -> np.ndarray:
    """For each `day`, the mean log(realized price / trailing index median) of the sales in the `window` days
    before it (NaN without any). History rows without an index are skipped."""
    ok = np.isfinite(history_idx) & (history_idx > 0) & (history_price > 0)
    d0 = int(min(np.min(day), np.min(history_day[ok]) if ok.any() else np.min(day))) - window
    hd = (history_day[ok] - d0).astype(int)
    span = int(max(np.max(day), np.max(history_day) if len(history_day) else 0) - d0) + 2
    total = np.bincount(hd, weights=np.log(history_price[ok] / history_idx[ok]), minlength=span)
    count = np.bincount(hd, minlength=span).astype(float)
    # prefix sums: the window [d - window, d - 1] of a day d is csum[d] - csum[d - window]
    ct, cc = np.concatenate([[0], np.cumsum(total)]), np.concatenate([[0], np.cumsum(count)])
    q = (day - d0).astype(int)
    n = cc[q] - cc[q - window]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, (ct[q] - ct[q - window]) / n, np.nan)


def with_market_gap(cols: dict[str, np.ndarray], history: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """`cols` plus market_gap7 computed from the sales in `history` (realized before each row's day)."""
    gap = market_gap(history["day"], history["price"], history["idx7_median"].astype(float), cols["day"])
    return {**cols, "market_gap7": gap}


def seller_history(seller: np.ndarray, log_ratio: np.ndarray) -> tuple[dict[str, float], dict[str, int]]:
    """Each seller's shrunk mean log(price / reference) and sale count over the given (past) sales."""
    ids, inv = np.unique(seller.astype(str), return_inverse=True)
    n = np.bincount(inv)
    total = np.bincount(inv, weights=log_ratio)
    bias = total / (n + SELLER_PRIOR_SALES)
    return dict(zip(ids.tolist(), bias.tolist(), strict=True)), dict(zip(ids.tolist(), n.tolist(), strict=True))


def out_of_fold_seller(seller: np.ndarray, log_ratio: np.ndarray, folds: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Seller features for training rows from the other folds only, so a sale never sees its own price."""
    fold = np.arange(len(seller)) % folds
    bias, n = np.zeros(len(seller)), np.zeros(len(seller))
    for k in range(folds):
        hist_b, hist_n = seller_history(seller[fold != k], log_ratio[fold != k])
        rows = fold == k
        bias[rows] = [hist_b.get(s, 0.0) for s in seller[rows]]
        n[rows] = [hist_n.get(s, 0) for s in seller[rows]]
    return bias, n


def matrix(cols: dict[str, np.ndarray], enc: Encoding, seller_bias=None, seller_n=None) -> np.ndarray:
    """The model's input, columns in FEATURES order (seller features from `enc` unless given)."""
    ref = reference(cols, enc)
    idx = cols["idx7_median"].astype(float)
    has_index = np.isfinite(idx) & (idx > 0)
    safe_idx = np.where(has_index, idx, np.nan)
    if seller_bias is None:
        sellers = cols["seller_id"]
        seller_bias = np.array([enc.seller_bias.get(s, 0.0) for s in sellers])
        seller_n = np.array([enc.seller_n.get(s, 0) for s in sellers], dtype=float)
    years = 1970 + cols["day"].astype(float) / 365.25
    parts = [codes(cols[c], enc.categories[c]) for c in CATEGORICAL] + [
        cols["storage_gb"].astype(float),
        cols["ram_gb"].astype(float),
        years - cols["release_year"].astype(float),
        np.log(ref),
        has_index.astype(float),
        (cols["idx_p75"].astype(float) - cols["idx_p25"].astype(float)) / safe_idx,
        np.log(cols["idx_min"].astype(float) / safe_idx),
        np.log1p(np.nan_to_num(cols["idx7_n"].astype(float))),
        np.log(cols["comp_median"].astype(float) / ref),
        # where the marketplace's own sales stood against the reference over the last 30 days: follows a
        # drift between asking prices (the index) and realized prices
        np.log(cols["sales30_median"].astype(float) / ref),
        seller_bias,
        np.log1p(seller_n),
    ]
    return np.column_stack(parts)


def known_product(cols: dict[str, np.ndarray], enc: Encoding) -> np.ndarray:
    """True where brand and model were seen in training."""
    brands, models = set(enc.categories["brand"]), set(enc.categories["model"])
    return np.array([b in brands and m in models for b, m in zip(cols["brand"], cols["model"], strict=True)])


def training_set(cols: dict[str, np.ndarray], price: np.ndarray) -> tuple[np.ndarray, np.ndarray, Encoding]:
    """(X, y, encoding) for sales: y = log(price / reference); seller features out of fold; the encoding
    keeps the full seller history for scoring later listings."""
    enc = fit_encoding(cols, price)
    y = np.log(price / reference(cols, enc))
    bias, n = out_of_fold_seller(cols["seller_id"], y)
    enc.seller_bias, enc.seller_n = seller_history(cols["seller_id"], y)
    return matrix(cols, enc, bias, n), y, enc


def subset(cols: dict[str, np.ndarray], rows: np.ndarray) -> dict[str, np.ndarray]:
    return {k: v[rows] for k, v in cols.items()}
