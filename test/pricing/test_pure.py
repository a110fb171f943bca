"""The pure modules: features, metrics, the interval calibration, promotion, suggestions, request parsing."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import synthetic_sales
from phonepipe_pricing import features as F
from phonepipe_pricing import metrics as M
from phonepipe_pricing import model, promotion
from phonepipe_pricing import suggest as S
from phonepipe_pricing.request import BadRequest, parse_listing


def test_mdape_and_coverage():
    assert M.mdape(np.array([110.0, 90.0, 100.0]), np.array([100.0, 100.0, 100.0])) == pytest.approx(0.1)
    assert np.isnan(M.mdape(np.array([1.0]), np.array([0.0])))  # nothing comparable
    assert M.coverage(np.array([90, 90]), np.array([110, 110]), np.array([100, 120])) == 0.5


def test_market_gap_uses_only_the_week_before_each_day():
    hist_day = np.array([10.0, 11.0, 20.0])
    price, idx = np.array([110.0, 121.0, 50.0]), np.array([100.0, 110.0, 100.0])
    gap = F.market_gap(hist_day, price, idx, np.array([11.0, 12.0, 20.0, 30.0]))
    assert gap[0] == pytest.approx(np.log(1.1))  # day 10 only: day 11 is not before day 11
    assert gap[1] == pytest.approx(np.log(1.1))  # days 10 and 11, both 10 % above the index
    assert np.isnan(gap[2]) and np.isnan(gap[3])  # nothing in the 7 days before


def test_seller_history_shrinks_towards_the_market():
    bias, n = F.seller_history(np.array(["a", "a", "b"]), np.array([0.1, 0.1, 0.1]))
    assert n == {"a": 2, "b": 1}
    assert 0 < bias["b"] < bias["a"] < 0.1


def test_out_of_fold_seller_features_never_see_the_row_itself():
    sellers = np.array(["a"] * 5)
    bias, n = F.out_of_fold_seller(sellers, np.array([1.0, 0, 0, 0, 0]), folds=5)
    assert bias[0] == 0.0 and bias[1] > 0 and list(n) == [4] * 5


def test_unseen_categories_are_missing_not_a_crash():
    assert list(F.codes(np.array(["a", "zz", None], dtype=object), ["a", "b"])[:1]) == [0.0]
    assert np.isnan(F.codes(np.array(["zz"], dtype=object), ["a"])).all()


def test_reference_falls_back_to_the_condition_median_without_an_index():
    cols, price = synthetic_sales(200)
    enc = F.fit_encoding(cols, price)
    cols["idx7_median"][:3] = np.nan
    ref = F.reference(cols, enc)
    assert ref[0] == enc.fallback_ref[cols["condition"][0]]
    assert ref[5] == cols["idx7_median"][5]


def test_conformal_adjust_reaches_the_target_coverage():
    rng = np.random.default_rng(1)
    y = rng.normal(size=2000)
    lo, hi = np.full(2000, -0.5), np.full(2000, 0.5)  # far too narrow for a standard normal
    a_lo, a_hi = model.conformal_adjust(lo, hi, y, 0.8)
    assert M.coverage(lo - a_lo, hi + a_hi, y) == pytest.approx(0.8, abs=0.02)


def test_model_learns_seller_bias_and_prices_an_unknown_model_with_low_confidence():
    cols, price = synthetic_sales(3000)
    fitted = model.fit(cols, price, {"max_iter": 60, "learning_rate": 0.2, "max_leaf_nodes": 15})
    test, actual = synthetic_sales(600, seed=2)
    pred = fitted.predict(test)
    assert M.mdape(pred.price, actual) < M.mdape(test["idx7_median"], actual) * 0.6
    unknown = {k: v[:1].copy() for k, v in test.items()}
    unknown["brand"][0], unknown["model"][0], unknown["idx7_median"][0] = "nokia", "3310", np.nan
    p = fitted.predict(unknown)
    conf, reasons = S.confidence(p)
    assert np.isfinite(p.price[0]) and p.price[0] > 0
    assert conf[0] < 0.5 and reasons[0] == S.REASON_UNKNOWN


def test_promotion_needs_a_better_mdape_and_an_honest_interval():
    good = {"mdape": 0.03, "coverage_80": 0.8}
    assert promotion.decide(good, None)[0]
    assert promotion.decide(good, {"mdape": 0.04})[0]
    assert not promotion.decide(good, {"mdape": 0.02})[0]
    assert not promotion.decide({"mdape": 0.01, "coverage_80": 0.5}, {"mdape": 0.04})[0]
    assert not promotion.decide({"mdape": float("nan"), "coverage_80": 0.8}, None)[0]


def test_suggestion_ids_are_deterministic_per_listing_model_and_change():
    a = S.suggestion_id("mkt-1", "pricer-a", "2026-11-01 10:00:00")
    assert a == S.suggestion_id("mkt-1", "pricer-a", "2026-11-01 10:00:00")
    others = {
        S.suggestion_id("mkt-2", "pricer-a", "2026-11-01 10:00:00"),
        S.suggestion_id("mkt-1", "pricer-b", "2026-11-01 10:00:00"),
        S.suggestion_id("mkt-1", "pricer-a", "2026-11-02 10:00:00"),
    }
    assert a not in others and len(others) == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"{not json", None),
        (b"[1, 2]", None),
        (b'{"model": "iphone 13", "storage_gb": 128, "condition": "used"}', "brand"),
        (b'{"brand": "apple", "model": "iphone 13", "condition": "used"}', "storage_gb"),
        (b'{"brand": "apple", "model": "iphone 13", "storage_gb": "big", "condition": "used"}', "storage_gb"),
        (b'{"brand": "apple", "model": "iphone 13", "storage_gb": 128, "condition": "broken"}', "condition"),
    ],
)
def test_bad_requests_name_the_field(body, field):
    with pytest.raises(BadRequest) as err:
        parse_listing(body)
    assert err.value.field == field
    if field:
        assert field in str(err.value)


def test_a_good_request_is_normalised_like_the_catalog():
    listing = parse_listing(b'{"brand": "Apple", "model": "iPhone 13 ", "storage_gb": 128.0, "condition": "used"}')
    assert (listing["brand"], listing["model"], listing["storage_gb"]) == ("apple", "iphone 13", 128)
