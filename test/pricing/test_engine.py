"""The commands on a small generated warehouse: train (artefact, promotion, empty warehouse), suggest (ids
stable across runs) and the HTTP endpoint (suggestion, 400s, unknown model)."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from pathlib import Path

import duckdb
import pytest
from conftest import run_engine
from phonepipe_pricing import serve


def test_train_without_a_warehouse_fails_with_a_clear_message(tmp_path: Path):
    r = run_engine(tmp_path, "train")
    assert r.returncode != 0
    assert "no warehouse at" in r.stderr and "dbt-build" in r.stderr


def test_train_on_a_warehouse_without_sales_fails_with_a_clear_message(tmp_path: Path):
    (tmp_path / "warehouse").mkdir()
    duckdb.connect(str(tmp_path / "warehouse" / "phonepipe.duckdb")).close()
    r = run_engine(tmp_path, "train")
    assert r.returncode != 0
    assert "no star schema to train on" in r.stderr


@pytest.fixture(scope="module")
def trained(warehouse: Path, tmp_path_factory) -> tuple[Path, Path, dict]:
    models = tmp_path_factory.mktemp("models")
    r = run_engine(warehouse, "train", "--folds", "2", models=models)
    assert r.returncode == 0, r.stderr
    return warehouse, models, json.loads(r.stdout)


def test_train_stores_a_promoted_artefact_with_its_metadata(trained):
    _, models, result = trained
    assert result["promoted"] and result["reason"] == "no current model"
    version = result["version"]
    assert (models / "CURRENT").read_text().strip() == version
    meta = json.loads((models / version / "metadata.json").read_text())
    assert meta["backtest"]["folds"] == 2 and meta["features"] and meta["data_snapshot"]["sales"] > 0
    assert meta["training_window"]["rows"] > 0
    log = [json.loads(line) for line in (models / "promotions.jsonl").read_text().splitlines()]
    assert log[-1]["version"] == version and log[-1]["promoted"]


def test_retraining_on_the_same_data_keeps_the_current_model(trained):
    warehouse, models, first = trained
    r = run_engine(warehouse, "train", "--folds", "2", models=models)
    assert r.returncode == 0, r.stderr
    again = json.loads(r.stdout)
    assert again["version"] == first["version"] and not again["promoted"]
    assert (models / "CURRENT").read_text().strip() == first["version"]


def test_suggest_twice_gives_the_same_suggestion_ids(trained):
    warehouse, models, result = trained
    runs = [run_engine(warehouse, "suggest", models=models) for _ in range(2)]
    assert all(r.returncode == 0 for r in runs), runs[0].stderr
    first, second = ([json.loads(line) for line in r.stdout.splitlines()] for r in runs)
    assert first and [s["suggestion_id"] for s in first] == [s["suggestion_id"] for s in second]
    assert len({s["suggestion_id"] for s in first}) == len(first)
    for s in first:
        assert s["model_version"] == result["version"]
        assert s["price_low"] <= s["suggested_price"] <= s["price_high"]
        assert s["listing_id"].startswith("mkt-")


@pytest.fixture(scope="module")
def endpoint(trained, monkeypatch_module):
    warehouse, models, _ = trained
    monkeypatch_module.setenv("PHONEPIPE_DATA_DIR", str(warehouse))
    monkeypatch_module.setenv("PHONEPIPE_MODELS_DIR", str(models))
    server = serve.make_server(serve.Pricer.load(), 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/suggest"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def post(url: str, body: bytes) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, body, method="POST")) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_endpoint_prices_a_known_listing(endpoint):
    status, body = post(endpoint, b'{"brand": "apple", "model": "iphone 13", "storage_gb": 128, "condition": "used"}')
    assert status == 200, body
    assert body["price_low"] <= body["suggested_price"] <= body["price_high"]
    assert 0 <= body["confidence"] <= 1 and body["currency"] == "EGP"


def test_endpoint_answers_an_unknown_model_with_low_confidence_and_a_reason(endpoint):
    status, body = post(endpoint, b'{"brand": "nokia", "model": "3310", "storage_gb": 1, "condition": "used"}')
    assert status == 200, body
    assert body["confidence"] < 0.5 and "not in the catalog" in body["reason"]
    assert body["suggested_price"] > 0


@pytest.mark.parametrize(
    ("body", "field"),
    [(b"{oops", None), (b'{"brand": "apple", "storage_gb": 128, "condition": "used"}', "model")],
)
def test_endpoint_rejects_bad_requests_with_400(endpoint, body, field):
    status, answer = post(endpoint, body)
    assert status == 400 and answer["field"] == field
    assert (field or "malformed JSON") in answer["error"]
