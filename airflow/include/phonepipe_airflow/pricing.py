"""Tasks of the ``pricing`` DAG: train (the rolling backtest, the fit, promote-or-keep) and suggest (score the
marketplace's listings with the promoted model, produce to pricing.suggestions). Both run ``bin/phonepipe
pricing``, which runs the engine in .venv/pricing (docs/pricing.md)."""

from __future__ import annotations

import json
import re

from airflow.sdk import task

from phonepipe_airflow import procs


@task(retries=0)
def train() -> dict:
    """Backtest, fit on every realized sale, store the artefact; promoted only if it beats the current model.
    Returns the engine's summary (version, promoted, reason, backtest metrics)."""
    proc = procs.phonepipe("pricing", "train")
    return json.loads(proc.stdout.strip().splitlines()[-1])


@task
def suggest(trained: dict) -> dict:
    """Score with the promoted model (the new one, or the one kept) and produce the suggestions."""
    proc = procs.phonepipe("pricing", "suggest")
    sent = re.search(r"(\d+) record\(s\) sent", proc.stderr)
    return {"trained": trained["version"], "promoted": trained["promoted"], "sent": int(sent.group(1)) if sent else 0}
