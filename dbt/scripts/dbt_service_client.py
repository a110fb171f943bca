"""Run a dbt command on the warm dbt service (dbt/scripts/dbt_service.py) and print its output as it comes.

Standard library only, so any Python runs it (the dbt venv's, Airflow's). Exit status: 0 when the command
succeeded, 1 when dbt reported a failure (the failing nodes are listed), 2 when the service could not be reached
(worth a retry), 3 when it refused the request (another data dir or target, a command it does not serve: a
retry would be refused again). The message says why.

    python dbt/scripts/dbt_service_client.py [--url URL] [--expect-data-dir DIR] [--expect-target T] \
        build --selector arrivals

URL defaults to PHONEPIPE_DBT_SERVICE_URL, else http://127.0.0.1:8580. The bearer token the service
requires: PHONEPIPE_DBT_SERVICE_TOKEN, or the file PHONEPIPE_DBT_SERVICE_TOKEN_FILE names, else the file a
local service wrote, <run dir>/dbt-service.token (service_token.py). A missing or wrong token is refused
(HTTP 401, exit 3); the messages name where the token came from, never the token.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from http import HTTPStatus
from pathlib import Path
from typing import Any, TextIO

import service_token

REPO = Path(__file__).resolve().parents[2]
DEFAULT_URL = "http://127.0.0.1:8580"
TOKEN_VARIABLE = "PHONEPIPE_DBT_SERVICE_TOKEN"
FAILED_STATUSES = {"error", "fail", "runtime error"}  # skipped nodes follow from these


def default_token_file(env: Mapping[str, str]) -> Path:
    """<run dir>/dbt-service.token: where a service without a configured token writes the one it generates."""
    return service_token.run_dir(env, REPO) / "dbt-service.token"


def configured_token(env: Mapping[str, str] = os.environ) -> service_token.Token | None:
    """The token clients send: the variable, the file it names, else a local service's token file."""
    return service_token.configured(env, TOKEN_VARIABLE, default_token_file(env))


class ServiceUnavailable(RuntimeError):
    """The service could not be reached or refused the request."""


class RequestRefused(ServiceUnavailable):
    """The service answered with an HTTP error: the request itself is wrong."""


def auth_headers(token: service_token.Token | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token.value}"} if token else {}


def invoke(
    url: str,
    args: list[str],
    expect: dict[str, str] | None = None,
    out: TextIO = sys.stdout,
    timeout_s: float = 3600,
    token: service_token.Token | None = None,
) -> dict[str, Any]:
    """POST the dbt arguments to <url>/invoke with the bearer ``token``, echo each log line to ``out``, return
    the final summary."""
    body = json.dumps({"args": args, **({"expect": expect} if expect else {})}).encode()
    headers = {"Content-Type": "application/json", **auth_headers(token)}
    req = urllib.request.Request(url.rstrip("/") + "/invoke", data=body, headers=headers, method="POST")
    try:
        resp = urllib.request.urlopen(req, timeout=timeout_s)
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode(errors="replace")
        with contextlib.suppress(ValueError, KeyError, TypeError):  # not the service's JSON: keep the text
            detail = json.loads(detail)["error"]
        if exc.code == HTTPStatus.UNAUTHORIZED:
            detail = (
                f"the token from {token.origin} was not accepted"
                if token
                else f"no token found ({TOKEN_VARIABLE}, {TOKEN_VARIABLE}_FILE, a local service's token file)"
            )
        raise RequestRefused(f"the dbt service at {url} refused the request (HTTP {exc.code}): {detail}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ServiceUnavailable(
            f"the dbt service at {url} is not reachable ({reason}); start it with `make dbt-service` "
            "or unset PHONEPIPE_DBT_SERVICE_URL to run dbt directly"
        ) from exc
    with resp:
        for raw in resp:
            line = json.loads(raw)
            if line.get("done"):
                return line
            print(line.get("log", ""), file=out, flush=True)
    raise ServiceUnavailable(f"the dbt service at {url} closed the connection before the command finished")


SERVICE_SCRIPT = Path(__file__).resolve().parent / "dbt_service.py"


def launch_service(python: str, env: dict[str, str], run_dir: Path, *extra: str, port: int = 0) -> subprocess.Popen:
    """Start the service in the background with ``python`` (the dbt venv's); its port file and its output
    (``dbt-service.log``: a pipe nobody reads would fill up and stop it) go to run_dir."""
    port_file = run_dir / "dbt-service.port"
    port_file.unlink(missing_ok=True)
    argv = [python, str(SERVICE_SCRIPT), "--port", str(port), "--port-file", str(port_file), *extra]
    with open(run_dir / "dbt-service.log", "w") as log:
        return subprocess.Popen(argv, cwd=SERVICE_SCRIPT.parents[2], env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_until_ready(proc: subprocess.Popen, run_dir: Path, timeout_s: float = 120) -> str:
    """The URL of a launched service once it has written its port file (parsed and listening); raises
    RuntimeError with the end of its log if it exits or takes longer than timeout_s."""
    port_file = run_dir / "dbt-service.port"
    deadline = time.monotonic() + timeout_s
    while not port_file.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            if proc.poll() is None:
                proc.kill()
            log = (run_dir / "dbt-service.log").read_text(errors="replace")[-4000:]
            raise RuntimeError(f"dbt service not ready (exit {proc.returncode}, {timeout_s:.0f} s limit):\n{log}")
        time.sleep(0.05)
    return f"http://127.0.0.1:{port_file.read_text()}"


def failed_nodes(summary: dict[str, Any]) -> list[str]:
    return [
        f"{r['unique_id']}: {r['status']}{' - ' + r['message'] if r.get('message') else ''}"
        for r in summary.get("results", [])
        if r.get("status") in FAILED_STATUSES
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", default=os.environ.get("PHONEPIPE_DBT_SERVICE_URL") or DEFAULT_URL)
    ap.add_argument("--expect-data-dir", help="refuse to run unless the service builds this data dir")
    ap.add_argument("--expect-target", help="refuse to run unless the service builds this dbt target")
    ap.add_argument("--timeout", type=float, default=3600.0, help="seconds to wait for the command (default 3600)")
    ap.add_argument("dbt_args", nargs=argparse.REMAINDER, help="the dbt command and its options")
    args = ap.parse_args(argv)
    if not args.dbt_args:
        ap.error("give a dbt command, e.g. build --selector listings_arrivals")
    expect = {k: v for k, v in (("data_dir", args.expect_data_dir), ("target", args.expect_target)) if v}
    try:
        token = configured_token()
    except service_token.TokenError as exc:
        print(f"dbt service client: {exc}", file=sys.stderr)
        return 3
    try:
        summary = invoke(args.url, args.dbt_args, expect or None, timeout_s=args.timeout, token=token)
    except ServiceUnavailable as exc:
        print(f"dbt service client: {exc}", file=sys.stderr)
        return 3 if isinstance(exc, RequestRefused) else 2
    where = f"on the dbt service at {args.url} in {summary.get('elapsed_s', 0):.1f} s"
    if summary.get("reparsed"):
        where += " (the project changed: parsed again)"
    if summary.get("success"):
        print(f"dbt {' '.join(args.dbt_args)}: succeeded {where}")
        return 0
    print(f"dbt {' '.join(args.dbt_args)}: FAILED {where}", file=sys.stderr)
    if summary.get("error"):
        print(f"  {summary['error']}", file=sys.stderr)
    for node in failed_nodes(summary):
        print(f"  {node}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
