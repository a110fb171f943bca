"""What a topic generator is asked for: the size, the period and the variations of one run."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Options:
    rows: int  # distinct listing observations; the other topics are sized in proportion
    days: int  # days of history, ending on end_date
    seed: int
    start: dt.datetime  # midnight (UTC) of the first day
    end_date: dt.date
    corrupt: bool = False  # the listings carry a negative price and an unknown condition
    # price and demand trends (trends.py)
    devaluation_date: dt.date | None = None  # EGP prices and rates step up from this day; None: no step
    devaluation_pct: float = 15.0
    depreciation_pct: float = 2.0  # per product and month, on average
    source_bias_pct: float = 6.0  # Noon vs Mobile Masr, per product, at most
    launch_drop_pct: float = 6.0  # older models of a brand lose this when the brand launches a new one
    seller_bias_pct: float = 12.0  # each marketplace seller asks up to this much above or below the market
    # marketplace listings offered for sale (the sales follow); None: rows / 25
    marketplace_listings: int | None = None
