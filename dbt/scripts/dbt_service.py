"""The warm dbt service: one long-lived process that imports dbt and parses the project once, then runs the dbt
commands sent to it over HTTP on 127.0.0.1, one at a time.

Why: a cold `dbt build` pays about 5-7 s before its first node on a 2-core host (Python imports of dbt and its
adapters, loading the partial-parse manifest, validating the project), a third of a scheduled incremental build.
This process pays it once. Each command gets a fresh copy of the parsed manifest (dbt writes compiled SQL into
the nodes it runs, and a reused copy breaks ephemeral models on the next run); a change to any file of the
project is noticed before the next command and the project is parsed again (dbt's partial parsing). This file
is the HTTP front and the command loop; dbt_service_warm.py holds the dbt side.
Between commands no warehouse connection is held: the DuckDB file is free for readers and for a cold dbt.

The service builds the warehouse of its own environment (PHONEPIPE_DATA_DIR, PHONEPIPE_DBT_TARGET and the
target's credentials), set when it starts. A request may name the data dir and target it expects; a
mismatch is refused (HTTP 409) instead of building another warehouse.

    .venv/dbt/bin/python dbt/scripts/dbt_service.py [--port 8580] [--port-file FILE]
    (make dbt-service; clients: dbt/scripts/dbt_service_client.py, make dbt-build, the dbt_build DAG)

Every request needs ``Authorization: Bearer <token>``, /health included (it names the warehouse's paths and
target); without it or with another token the answer is 401. The token: PHONEPIPE_DBT_SERVICE_TOKEN, or the
file PHONEPIPE_DBT_SERVICE_TOKEN_FILE names, else <run dir>/dbt-service.token, which the service creates with
a random token (mode 0600) when it is missing, so local clients find it with no setup (service_token.py).

HTTP API (JSON):
    GET  /health  -> {"status": "ok", "busy": bool, "commands": n, "data_dir": ..., "target": ..., ...}
    POST /invoke  {"args": ["build", "--selector", "listings_arrivals"], "expect": {"data_dir": ..., "target": ...}}
                  -> a stream of JSON lines: {"log": "..."} per dbt info/warn/error line, then one
                     {"done": true, "success": bool, "error": str|null, "results": [...], "elapsed_s": ...,
                      "reparsed": bool}
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import signal
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import service_token
from dbt_service_client import TOKEN_VARIABLE, default_token_file
from dbt_service_warm import Job, WarmDbt

REPO = Path(__file__).resolve().parents[2]
DEFAULT_PORT = 8580
# The commands a client may run; each builds or checks the warehouse with the service's own project and
# profiles (parse, deps, clean, init and debug stay with the dbt CLI).
ALLOWED_COMMANDS = ("build", "run", "test", "snapshot", "seed", "compile", "ls", "list", "show")
OWNED_OPTIONS = ("--project-dir", "--profiles-dir", "--target-path", "--log-path")


class RequestError(ValueError):
    """A request the service refuses; the message says why (sent back with HTTP 400 or 409)."""

    def __init__(self, message: str, status: HTTPStatus = HTTPStatus.BAD_REQUEST):
        super().__init__(message)
        self.status = status


def validate_args(args: Any) -> list[str]:
    """The dbt arguments of a request, checked: a list of strings starting with an allowed command, without
    the options the service owns. Raises RequestError naming what is wrong."""
    if not isinstance(args, list) or not args or not all(isinstance(a, str) for a in args):
        raise RequestError('"args" must be a non-empty list of strings, e.g. ["build", "--selector", "arrivals"]')
    if args[0] not in ALLOWED_COMMANDS:
        raise RequestError(f"dbt command {args[0]!r} is not served here; allowed: {', '.join(ALLOWED_COMMANDS)}")
    for arg in args[1:]:
        name = arg.split("=", 1)[0]
        if name in OWNED_OPTIONS:
            raise RequestError(f"{name} is set by the service (its own project, profiles and paths)")
    return list(args)


def check_expectation(expect: Any, data_dir: str, target: str) -> None:
    """Refuse (409) a request that expects another data dir or dbt target than the service builds."""
    if expect is None:
        return
    if not isinstance(expect, dict):
        raise RequestError('"expect" must be an object like {"data_dir": "...", "target": "duckdb"}')
    mine = {"data_dir": data_dir, "target": target}
    for key, wanted in expect.items():
        if key not in mine:
            raise RequestError(f'unknown key in "expect": {key!r} (known: data_dir, target)')
        have = mine[key]
        same = Path(str(wanted)).resolve() == Path(have).resolve() if key == "data_dir" else str(wanted) == have
        if not same:
            raise RequestError(
                f"this service builds {key}={have!r}, the request expects {wanted!r}; start a service with "
                f"that environment or run dbt without the service",
                HTTPStatus.CONFLICT,
            )


class Service:
    """The HTTP front (handler threads) and the command loop (main thread: dbt sets signal handlers and
    process-wide flags, so commands run there, one at a time)."""

    def __init__(self, dbt: WarmDbt, data_dir: str, target: str):
        self.dbt, self.data_dir, self.target = dbt, data_dir, target
        self.jobs: queue.Queue[Job | None] = queue.Queue()
        self.busy = False
        self.started_at = time.time()

    def health(self) -> dict[str, Any]:
        return {
            "status": "ok",
            "busy": self.busy,
            "queued": self.jobs.qsize(),
            "commands": self.dbt.commands,
            "data_dir": self.data_dir,
            "target": self.target,
            "project_dir": str(self.dbt.project_dir),
            "uptime_s": round(time.time() - self.started_at, 1),
        }

    def run_jobs(self) -> None:
        while (job := self.jobs.get()) is not None:
            self.busy = True
            try:
                final = self.dbt.invoke(job)
            except Exception as exc:  # a parse error or a dbt crash: the client gets it, the service stays up
                final = {"done": True, "success": False, "error": f"{type(exc).__name__}: {exc}", "results": []}
            finally:
                self.busy = False
            status = "ok" if final["success"] else f"FAILED ({final['error'] or 'see the nodes above'})"
            print(f"dbt service: {' '.join(job.args)} -> {status} in {final.get('elapsed_s', 0):.1f} s", flush=True)
            job.lines.put(final)


def make_handler(service: Service, token: service_token.Token) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "phonepipe-dbt-service"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            pass  # one line per command is printed by the command loop instead

        def _json(self, status: HTTPStatus, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorized(self) -> bool:
            """Whether the request carries the token; answers 401 when it does not."""
            if service_token.authorized(self.headers.get("Authorization"), token):
                return True
            self._json(
                HTTPStatus.UNAUTHORIZED,
                {"error": "missing or wrong bearer token: send Authorization: Bearer <token> (docs/security.md)"},
                {"WWW-Authenticate": 'Bearer realm="phonepipe-dbt-service"'},
            )
            return False

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if not self._authorized():
                return
            if self.path == "/health":
                self._json(HTTPStatus.OK, service.health())
            else:
                self._json(HTTPStatus.NOT_FOUND, {"error": f"no such path {self.path}; try GET /health, POST /invoke"})

        def do_POST(self) -> None:  # noqa: N802
            if not self._authorized():
                return
            if self.path != "/invoke":
                self._json(HTTPStatus.NOT_FOUND, {"error": f"no such path {self.path}; try POST /invoke"})
                return
            try:
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"null")
                except json.JSONDecodeError as exc:
                    raise RequestError(f"the request body is not JSON: {exc}") from exc
                if not isinstance(body, dict):
                    raise RequestError('the request body must be a JSON object with "args"')
                check_expectation(body.get("expect"), service.data_dir, service.target)
                job = Job(validate_args(body.get("args")))
            except RequestError as exc:
                self._json(exc.status, {"error": str(exc)})
                return
            service.jobs.put(job)
            # HTTP/1.0: the stream of JSON lines ends when the connection closes
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "application/x-ndjson")
            self.end_headers()
            while True:
                line = job.lines.get()
                try:
                    self.wfile.write(json.dumps(line).encode() + b"\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client left; the command still finishes
                if line.get("done"):
                    return

    return Handler


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("PHONEPIPE_DBT_SERVICE_PORT") or DEFAULT_PORT),
        help=f"port on 127.0.0.1 (PHONEPIPE_DBT_SERVICE_PORT, default {DEFAULT_PORT}; 0 picks a free one)",
    )
    ap.add_argument("--port-file", type=Path, help="write the port here once the service is ready")
    ap.add_argument("--project-dir", type=Path, default=REPO / "dbt")
    ap.add_argument("--profiles-dir", type=Path, default=REPO / "dbt")
    args = ap.parse_args(argv)
    if not 0 <= args.port <= 65535:
        ap.error(f"--port {args.port} is not a TCP port (0-65535)")

    try:
        token, created = service_token.configured_or_created(os.environ, TOKEN_VARIABLE, default_token_file(os.environ))
    except service_token.TokenError as exc:
        print(f"dbt service: {exc}", file=sys.stderr)
        return 2

    t0 = time.perf_counter()
    try:
        server = ThreadingHTTPServer(("127.0.0.1", args.port), None)  # type: ignore[arg-type]
    except OSError as exc:
        print(f"dbt service: cannot listen on 127.0.0.1:{args.port}: {exc.strerror}", file=sys.stderr)
        return 2
    dbt = WarmDbt(args.project_dir.resolve(), args.profiles_dir.resolve())
    try:
        parse_s = dbt.parse()
    except RuntimeError as exc:
        print(f"dbt service: {exc}", file=sys.stderr)
        return 1
    data_dir = os.environ.get("PHONEPIPE_DATA_DIR") or str(REPO / "data")
    target = os.environ.get("PHONEPIPE_DBT_TARGET") or "duckdb"
    service = Service(dbt, data_dir, target)
    server.RequestHandlerClass = make_handler(service, token)
    server.daemon_threads = True
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, name="http", daemon=True).start()

    def stop(signum: int, _frame: Any) -> None:
        print(f"dbt service: {signal.Signals(signum).name}, stopping after the current command", flush=True)
        service.jobs.put(None)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(
        f"dbt service: listening on http://127.0.0.1:{port} (target {target}, data dir {data_dir}; "
        f"dbt loaded and the project parsed in {time.perf_counter() - t0:.1f} s, parse {parse_s:.1f} s; "
        f"bearer token from {token.origin}{', created now' if created else ''})",
        flush=True,
    )
    if args.port_file:
        tmp = args.port_file.with_suffix(".tmp")
        tmp.write_text(str(port))
        tmp.replace(args.port_file)  # readers never see a half-written file
    service.run_jobs()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
