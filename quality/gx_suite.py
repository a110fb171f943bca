"""The expectation suite of the staged listings, each expectation with its severity (see checkpoint.py)."""

from __future__ import annotations

import datetime as dt

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

# Plausible asking prices for a phone, per currency (inclusive). A price outside blocks the load.
PRICE_RANGES = {
    "EGP": (100, 600_000),
    "USD": (5, 12_000),
    "AED": (20, 45_000),
    "SAR": (20, 45_000),
    "EUR": (5, 12_000),
}
STORAGE_GB = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048]
CONDITIONS = ["new", "like_new", "used", "refurbished"]
LISTING_TYPES = ["sale", "wanted"]


def build_suite(freshness_days: int, as_of: dt.datetime) -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name="staged_listings")
    blocking = "critical"
    warning = "warning"
    suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column="event_id", severity=blocking))
    suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column="url", severity=blocking))
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(column="price_currency", value_set=sorted(PRICE_RANGES), severity=blocking)
    )
    for currency, (low, high) in PRICE_RANGES.items():
        suite.add_expectation(
            gxe.ExpectColumnValuesToBeBetween(
                column="price_amount",
                min_value=low,
                max_value=high,
                row_condition=Column("price_currency") == currency,
                severity=blocking,
                meta={"what": f"price range for {currency}"},
            )
        )
    suite.add_expectation(gxe.ExpectColumnValuesToBeInSet(column="storage_gb", value_set=STORAGE_GB, severity=blocking))
    suite.add_expectation(gxe.ExpectColumnValuesToBeInSet(column="condition", value_set=CONDITIONS, severity=blocking))
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(column="listing_type", value_set=LISTING_TYPES, severity=blocking)
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeBetween(column="confidence", min_value=0, max_value=1, severity=blocking)
    )
    # warnings: worth a look, never a reason to stop the warehouse build
    newest_allowed = as_of - dt.timedelta(days=freshness_days)
    suite.add_expectation(
        gxe.ExpectColumnMaxToBeBetween(
            column="ingest_date",
            min_value=newest_allowed.replace(hour=0, minute=0, second=0, microsecond=0),
            severity=warning,
            meta={"what": f"newest ingest_date partition within {freshness_days} day(s) of {as_of:%Y-%m-%d}"},
        )
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToNotBeNull(
            column="price_egp",
            mostly=0.95,
            row_condition=Column("price_amount").is_not_null(),
            severity=warning,
            meta={"what": "priced rows with an EGP price (FX rate known)"},
        )
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeBetween(
            column="confidence",
            min_value=0.5,
            mostly=0.9,
            severity=warning,
            meta={"what": "share of confident product matches"},
        )
    )
    return suite
