"""The release years dim_product carries (dbt) and the ones the sample generator prices with agree."""

from __future__ import annotations

import re
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "dbt" / "scripts"))
from sample_landing.reference_data import PRODUCTS, RELEASE_YEARS  # noqa: E402

MODEL_SQL = ROOT / "dbt" / "models" / "staging" / "stg_reference__phone_models.sql"


def test_every_generated_model_has_the_same_release_year_in_the_dbt_reference():
    rows = re.findall(r"\('([^']+)', '([^']+)', (\d{4})\)", MODEL_SQL.read_text())
    in_dbt = {(brand, model): int(year) for brand, model, year in rows}
    generated = {(p[0], p[2]): RELEASE_YEARS[p[2]] for p in PRODUCTS}
    assert in_dbt == generated
