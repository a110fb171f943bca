"""load_market_data picks up settled CSV files from the inbox, loads them with the real market-data loader
(bin/phonepipe, producing to the broker started by infra/with-platform.sh) and moves a good file to done/
and a bad one to rejected/, each with the loader's report beside it."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import REPO, env, run_dag

FIXTURES = REPO / "test" / "fixtures" / "market-data"
GOOD = FIXTURES / "reference_prices_2025-11.csv"
BAD = FIXTURES / "reference_prices_bad.csv"
CLI = REPO / "bin" / "phonepipe"


def loader_available() -> str | None:
    """Why the real loader cannot run here, or None."""
    if not (REPO / "dist" / "cli" / "main.js").exists():
        return "bin/phonepipe is not built (make build)"
    proc = subprocess.run([str(CLI), "help"], capture_output=True, text=True, check=False)
    if "market-data" not in proc.stdout:
        return "bin/phonepipe has no market-data command yet"
    return None


@pytest.fixture(scope="module")
def inbox_run(airflow_db, tmp_path_factory):
    reason = loader_available()
    if reason:
        pytest.fail(f"load_market_data needs the real loader: {reason}")
    assert GOOD.exists() and BAD.exists(), f"fixtures missing under {FIXTURES}"
    data = tmp_path_factory.mktemp("market-data")
    inbox = data / "market-data" / "inbox"
    inbox.mkdir(parents=True)
    shutil.copy(GOOD, inbox / GOOD.name)
    shutil.copy(BAD, inbox / BAD.name)
    (inbox / ".partial-upload.csv").write_text("kind,product_title\n")  # dot files are never picked up
    (inbox / "notes.txt").write_text("not a csv")
    with env(PHONEPIPE_DATA_DIR=str(data), PHONEPIPE_MARKET_SETTLE_SECONDS="0", PHONEPIPE_MARKET_INBOX=None):
        state, tasks = run_dag("load_market_data")
    return data / "market-data", state, tasks


def test_every_csv_gets_its_own_load_task(inbox_run):
    _, state, tasks = inbox_run
    assert state == "success", tasks
    assert tasks["wait_for_csv"] == "success"
    assert sorted(s for t, s in tasks.items() if t.startswith("load[")) == ["success", "success"]


def test_good_file_moves_to_done_with_its_report(inbox_run):
    root, _, _ = inbox_run
    assert not (root / "inbox" / GOOD.name).exists()
    moved = root / "done" / GOOD.name
    assert moved.read_bytes() == GOOD.read_bytes()
    report = (root / "done" / f"{GOOD.name}.report.txt").read_text()
    assert "outcome: loaded" in report
    assert "exit code: 0" in report


def test_bad_file_moves_to_rejected_with_the_bad_lines(inbox_run):
    root, _, _ = inbox_run
    assert not (root / "inbox" / BAD.name).exists()
    assert not (root / "done" / BAD.name).exists()
    moved = root / "rejected" / BAD.name
    assert moved.read_bytes() == BAD.read_bytes()
    report = (root / "rejected" / f"{BAD.name}.report.txt").read_text()
    assert "outcome: rejected" in report
    # the loader's own listing of the bad lines: line 3 has a negative price, line 4 an unknown currency
    stderr = report.split("--- stderr", 1)[1]
    assert f"{BAD.name}:3: price" in stderr
    assert f"{BAD.name}:4: currency" in stderr
    assert "REJECTED" in stderr


def test_other_files_stay_in_the_inbox(inbox_run):
    root, _, _ = inbox_run
    assert sorted(p.name for p in (root / "inbox").iterdir()) == [".partial-upload.csv", "notes.txt"]


def test_settling_keeps_a_file_being_written(tmp_path):
    from phonepipe_airflow.market_data import ready_files

    (tmp_path / "a.csv").write_text("x")
    assert ready_files(tmp_path, settle_seconds=3600) == []
    assert [p.name for p in ready_files(tmp_path, settle_seconds=0)] == ["a.csv"]
