"""The market-data inbox behind ``load_market_data``: find settled CSV files, load each with
``bin/phonepipe market-data load``, move it to ``done/`` or ``rejected/`` next to the loader's report.

A file is validated first with ``--dry-run``: a non-zero exit there means the loader rejected the file
(bad lines on stderr) and the file goes to ``rejected/``. Only a file that validates is loaded for real;
if that load fails (broker or registry down) the task fails and the file stays in the inbox, to be retried,
instead of being mistaken for bad data.
"""

from __future__ import annotations

import logging
import shlex
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from airflow.sdk import PokeReturnValue, task

from phonepipe_airflow import alerts, config, procs

log = logging.getLogger(__name__)


def ready_files(inbox: Path, settle_seconds: float, now: float | None = None) -> list[Path]:
    """CSV files in the inbox not modified for ``settle_seconds`` (so half-copied files wait); dot files
    and other extensions are ignored. Sorted by name."""
    if not inbox.is_dir():
        return []
    now = time.time() if now is None else now
    return sorted(
        p
        for p in inbox.iterdir()
        if p.is_file()
        and not p.name.startswith(".")
        and p.suffix.lower() == ".csv"
        and now - p.stat().st_mtime >= settle_seconds
    )


def _free_name(folder: Path, name: str) -> Path:
    target = folder / name
    if not target.exists():
        return target
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    stem, dot, ext = name.rpartition(".")
    return folder / (f"{stem}.{stamp}.{ext}" if dot else f"{name}.{stamp}")


def _report(path: Path, outcome: str, procs_run: list[subprocess.CompletedProcess[str]]) -> str:
    lines = [
        f"file: {path.name}",
        f"outcome: {outcome}",
        f"at: {datetime.now(UTC).isoformat()}",
    ]
    for proc in procs_run:
        argv = [str(a) for a in proc.args]
        lines += ["", f"$ {shlex.join(argv)}", f"exit code: {proc.returncode}"]
        if proc.stdout.strip():
            lines += ["--- stdout", proc.stdout.rstrip()]
        if proc.stderr.strip():
            lines += ["--- stderr", proc.stderr.rstrip()]
    return "\n".join(lines) + "\n"


def _move_with_report(path: Path, folder: Path, report: str) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    target = _free_name(folder, path.name)
    report_path = target.with_name(target.name + ".report.txt")
    report_path.write_text(report)
    path.replace(target)
    return target, report_path


def _loader_missing(proc: subprocess.CompletedProcess[str]) -> bool:
    return proc.returncode == 2 and "unknown command" in proc.stderr


def load_file(path: Path) -> dict[str, Any]:
    """Validate, then load one CSV; move it to done/ or rejected/ with the report. Returns the outcome."""
    if not path.exists():
        raise FileNotFoundError(f"{path} is gone from the inbox (taken by another run?)")
    dry = procs.phonepipe("market-data", "load", str(path), "--dry-run", check=False)
    if _loader_missing(dry):
        raise procs.CommandFailed([str(a) for a in dry.args], dry.returncode, dry.stdout, dry.stderr)
    if dry.returncode != 0:
        target, report = _move_with_report(path, config.market_rejected(), _report(path, "rejected", [dry]))
        log.warning("rejected %s -> %s (report %s)", path.name, target, report)
        return {
            "file": path.name,
            "outcome": "rejected",
            "moved_to": str(target),
            "report": str(report),
            "reasons": dry.stderr.strip().splitlines()[-20:],
        }
    load = procs.phonepipe("market-data", "load", str(path), check=True)
    target, report = _move_with_report(path, config.market_done(), _report(path, "loaded", [dry, load]))
    log.info("loaded %s -> %s (report %s)", path.name, target, report)
    return {"file": path.name, "outcome": "loaded", "moved_to": str(target), "report": str(report)}


# --- tasks of the load_market_data DAG -------------------------------------------------------------------


@task.sensor(poke_interval=60, timeout=14 * 60, mode="reschedule", soft_fail=True)
def wait_for_csv() -> PokeReturnValue:
    """Done as soon as the inbox holds a settled CSV (unchanged for ``PHONEPIPE_MARKET_SETTLE_SECONDS``,
    default 30); the run is skipped when none arrives before the timeout."""
    inbox = config.market_inbox()
    inbox.mkdir(parents=True, exist_ok=True)
    files = ready_files(inbox, config.float_from_env("PHONEPIPE_MARKET_SETTLE_SECONDS", 30.0))
    if files:
        log.info("inbox %s: %s", inbox, ", ".join(f.name for f in files))
    return PokeReturnValue(is_done=bool(files), xcom_value=[str(f) for f in files])


@task
def load(path: str) -> dict:
    """Load one inbox file (see :func:`load_file`); a rejected file raises a warning alert."""
    outcome = load_file(Path(path))
    if outcome["outcome"] == "rejected":
        alerts.send_alert(
            alerts.Alert(
                title=f"market-data file rejected: {outcome['file']}",
                message="\n".join(outcome["reasons"]) or "the loader rejected the file",
                severity="warning",
                source="load_market_data.load",
                details={"moved_to": outcome["moved_to"], "report": outcome["report"]},
            )
        )
    return outcome
