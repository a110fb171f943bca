"""The dbt side of the warm dbt service (dbt_service.py): dbt imported and the project parsed once, each command
run on a fresh copy of the parsed manifest, the project parsed again when one of its files changes."""

from __future__ import annotations

import copy
import dataclasses
import os
import queue
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# Project files whose change makes the service parse again (dbt's own outputs are left out).
IGNORED_DIRS = {"target", "logs", "dbt_packages", "__pycache__", ".user.yml"}


def project_fingerprint(project_dir: Path, profiles_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Path, mtime and size of every project file and of profiles.yml: a change means parse again."""
    files: list[tuple[str, int, int]] = []
    for root, dirs, names in os.walk(project_dir):
        dirs[:] = sorted(d for d in dirs if d not in IGNORED_DIRS and not d.startswith("."))
        for name in sorted(names):
            if name in IGNORED_DIRS:
                continue
            path = Path(root) / name
            st = path.stat()
            files.append((str(path.relative_to(project_dir)), st.st_mtime_ns, st.st_size))
    profiles = profiles_dir / "profiles.yml"
    if profiles.is_file():
        st = profiles.stat()
        files.append((str(profiles), st.st_mtime_ns, st.st_size))
    return tuple(files)


def node_results(result: Any) -> list[dict[str, Any]]:
    """The per-node results of a dbt command (unique id, status, message, seconds), for the client."""
    rows = []
    for r in getattr(result, "results", None) or []:
        node = getattr(r, "node", None)
        rows.append(
            {
                "unique_id": getattr(node, "unique_id", None),
                "status": str(getattr(r, "status", "")),
                "message": getattr(r, "message", None),
                "execution_time": round(float(getattr(r, "execution_time", 0.0) or 0.0), 3),
            }
        )
    return rows


def copy_manifest(manifest: Any) -> Any:
    """A deep copy of a parsed manifest for one command. Not copy.deepcopy: dbt 1.11's Manifest.__reduce_ex__
    passes its cached lookups in the wrong positions (a copy made after a full parse finds refs with the
    source lookup and fails), and Manifest.deepcopy() leaves out fields such as fixtures. Every data field
    is copied; dbt's private caches and lock (the fields it never serializes) start empty and are rebuilt."""
    values = {
        f.name: copy.deepcopy(getattr(manifest, f.name))
        for f in dataclasses.fields(manifest)
        if f.init and "serialize" not in f.metadata
    }
    return type(manifest)(**values)


def release_warehouse_file() -> None:
    """dbt-duckdb keeps its DuckDB connection in a class attribute for the life of the process; drop it so the
    file is free between commands (a cold dbt process simply exits)."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # another adapter: dbt closes its connections at the end of each command
        return
    DuckDBConnectionManager.close_all_connections()


# Vars read only while a node executes (dbt/macros/test_scope.sql), never while the project is parsed: a
# command setting just these can run on the parsed manifest.
EXECUTION_ONLY_VARS = frozenset({"test_ingest_dates"})


def parse_changing_vars(args: list[str]) -> bool:
    """Whether the command's --vars may change what parsing produces (then it must parse for itself)."""
    for i, arg in enumerate(args):
        if not arg.startswith("--vars"):
            continue
        text = arg.split("=", 1)[1] if "=" in arg else (args[i + 1] if i + 1 < len(args) else "")
        try:
            names = set(yaml.safe_load(text) or {})
        except (yaml.YAMLError, TypeError):
            return True
        if not names <= EXECUTION_ONLY_VARS:
            return True
    return False


@dataclass
class Job:
    args: list[str]
    lines: queue.Queue = field(default_factory=queue.Queue)  # {"log": ...} dicts, then the final {"done": ...}


class WarmDbt:
    """dbt imported once, with the parsed manifest kept between commands (parsed again when the project changes)."""

    def __init__(self, project_dir: Path, profiles_dir: Path):
        from dbt.cli.main import dbtRunner  # the expensive import, paid once

        self._runner_class = dbtRunner
        self.project_dir, self.profiles_dir = project_dir, profiles_dir
        self.project_args = ["--project-dir", str(project_dir), "--profiles-dir", str(profiles_dir)]
        self.manifest: Any = None
        self.fingerprint: tuple = ()
        self.commands = 0

    def parse(self) -> float:
        """Parse the project (partial parsing reuses dbt's msgpack) and keep the manifest; seconds taken."""
        t0 = time.perf_counter()
        fingerprint = project_fingerprint(self.project_dir, self.profiles_dir)
        res = self._runner_class().invoke(["parse", *self.project_args, "--quiet"])
        release_warehouse_file()
        if not res.success or res.result is None:
            self.manifest = None
            raise RuntimeError(f"dbt parse failed: {res.exception or 'see the service log'}")
        self.manifest, self.fingerprint = res.result, fingerprint
        return time.perf_counter() - t0

    def invoke(self, job: Job) -> dict[str, Any]:
        """Run one dbt command; every info/warn/error line goes to job.lines as it happens."""
        t0 = time.perf_counter()
        reparsed = False
        if self.manifest is None or project_fingerprint(self.project_dir, self.profiles_dir) != self.fingerprint:
            job.lines.put({"log": "the dbt project changed since it was parsed: parsing again"})
            self.parse()
            reparsed = True

        def forward(event: Any) -> None:
            if event.info.level in ("info", "warn", "error") and event.info.msg:
                job.lines.put({"log": event.info.msg})

        manifest = None if parse_changing_vars(job.args) else copy_manifest(self.manifest)
        runner = self._runner_class(manifest=manifest, callbacks=[forward])
        try:
            res = runner.invoke([*job.args, *self.project_args])
        finally:
            release_warehouse_file()
            self.commands += 1
        return {
            "done": True,
            "success": bool(res.success),
            "error": None if res.exception is None else f"{type(res.exception).__name__}: {res.exception}",
            "results": node_results(res.result),
            "elapsed_s": round(time.perf_counter() - t0, 3),
            "reparsed": reparsed,
            "parsed_for_command": manifest is None,
        }
