"""Fixtures of the pricing tests: synthetic sales for the pure modules, and a small generated warehouse
(the sample-landing generator and dbt build, in the dbt venv) for the commands."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "pricing"))

PRODUCTS = [("apple", "iphone 13", 128, 30000.0, 2021), ("samsung", "galaxy a54", 128, 15000.0, 2023)]
CONDITION_FACTOR = {"new": 1.0, "like_new": 0.86, "used": 0.68}


def synthetic_sales(n: int, seed: int = 0, sellers: int = 40) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Sales whose price is the index median times a per-seller bias and a little noise, over 60 days."""
    rng = np.random.default_rng(seed)
    p = rng.integers(0, len(PRODUCTS), n)
    cond = rng.choice(list(CONDITION_FACTOR), n)
    seller = rng.integers(0, sellers, n)
    bias = np.linspace(0.9, 1.1, sellers)[seller]
    idx = np.array([PRODUCTS[i][3] for i in p]) * np.array([CONDITION_FACTOR[c] for c in cond])
    price = idx * bias * rng.uniform(0.98, 1.02, n)
    cols = {
        "brand": np.array([PRODUCTS[i][0] for i in p], dtype=object),
        "model": np.array([PRODUCTS[i][1] for i in p], dtype=object),
        "condition": cond.astype(object),
        "storage_gb": np.array([PRODUCTS[i][2] for i in p], dtype=float),
        "ram_gb": np.full(n, 6.0),
        "release_year": np.array([PRODUCTS[i][4] for i in p], dtype=float),
        "day": np.sort(rng.integers(20000, 20060, n)).astype(float),
        "seller_id": np.array([f"user_{s:04d}" for s in seller], dtype=object),
        "idx7_median": idx,
        "idx7_n": np.full(n, 20.0),
        "idx_p25": idx * 0.95,
        "idx_p75": idx * 1.05,
        "idx_min": idx * 0.85,
        "comp_median": idx * 1.02,
        "sales30_median": idx,
        "price": price,
    }
    return cols, price


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> Path:
    """A data dir with a small generated history (60 days) built into the warehouse by dbt."""
    data = tmp_path_factory.mktemp("pricing-data")
    (data / "warehouse").mkdir()
    env = {
        **os.environ,
        "PHONEPIPE_DATA_DIR": str(data),
        "DBT_TARGET_PATH": str(data / "dbt-target"),
        "DBT_LOG_PATH": str(data / "dbt-logs"),
    }
    end = dt.date(2026, 11, 30).isoformat()
    gen = [
        str(ROOT / ".venv/dbt/bin/python"),
        str(ROOT / "dbt/scripts/generate_sample_landing.py"),
        "--data-dir",
        str(data),
        "--rows",
        "6000",
        "--days",
        "60",
        "--end-date",
        end,
        "--marketplace-listings",
        "9000",
    ]
    subprocess.run(gen, check=True, env=env, stdout=subprocess.DEVNULL)
    dbt = [
        str(ROOT / ".venv/dbt/bin/dbt"),
        "build",
        "--project-dir",
        str(ROOT / "dbt"),
        "--profiles-dir",
        str(ROOT / "dbt"),
        "--quiet",
    ]
    subprocess.run(dbt, check=True, env=env)
    return data


def run_engine(data_dir: Path, *args: str, models: Path | None = None) -> subprocess.CompletedProcess:
    """python -m phonepipe_pricing ARGS on `data_dir` (models under `models` when given)."""
    env = {**os.environ, "PHONEPIPE_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT / "pricing")}
    env.pop("PHONEPIPE_DUCKDB_PATH", None)
    if models:
        env["PHONEPIPE_MODELS_DIR"] = str(models)
    return subprocess.run([sys.executable, "-m", "phonepipe_pricing", *args], env=env, capture_output=True, text=True)
