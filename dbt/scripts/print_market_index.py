"""Print the top of the market price index and the best deals from the warehouse (opened read-only).

.venv/dbt/bin/python dbt/scripts/print_market_index.py [--data-dir DIR] [--limit 15]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]

INDEX_SQL = """
with latest as (select max(index_date) as d from marts.mart_market_price_index)
select p.product_name, i.condition, i.index_date, i.median_price_egp, i.p25_price_egp, i.p75_price_egp,
       i.n_listings, i.cheapest_source, i.min_price_egp, i.listings_per_source
from marts.mart_market_price_index i
join marts.dim_product p using (product_id)
where i.index_date > (select d from latest) - 7
order by i.n_listings desc, i.index_date desc, p.product_name, i.condition
limit ?
"""

DEALS_SQL = """
select p.product_name, d.condition, d.price_egp, d.index_median_price_egp, d.discount_pct, s.source_name, d.full_url
from marts.mart_deals d
join marts.dim_product p using (product_id)
join marts.dim_source s using (source_id)
order by d.discount_pct desc, d.url_id
limit ?
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, default=Path(os.environ.get("PHONEPIPE_DATA_DIR", str(REPO / "data"))))
    ap.add_argument("--limit", type=int, default=15)
    args = ap.parse_args(argv)
    path = Path(os.environ.get("PHONEPIPE_DUCKDB_PATH", args.data_dir / "warehouse" / "phonepipe.duckdb"))
    if not path.exists():
        print(f"no warehouse at {path}: run `make dbt-build` first", file=sys.stderr)
        return 1
    con = duckdb.connect(str(path), read_only=True)
    print(f"market price index, last 7 days (top {args.limit} product/condition/days by listings), from {path}")
    con.sql(INDEX_SQL, params=[args.limit]).show(max_width=200)
    print(f"deals (active listings priced at least the deal threshold below the index), top {args.limit}")
    con.sql(DEALS_SQL, params=[args.limit]).show(max_width=200)
    return 0


if __name__ == "__main__":
    sys.exit(main())
