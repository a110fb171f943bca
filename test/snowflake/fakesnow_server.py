"""A fakesnow server (Snowflake's REST protocol over DuckDB) on 127.0.0.1 for the snowflake-sdk driver test.

Prints one JSON line, {"host": "127.0.0.1", "port": N}, once the socket listens, then serves until SIGTERM or
SIGINT, or, when its standard input is a pipe, until that closes (so it never outlives the test that started it).

fakesnow 0.12.1 serves the Python connector; for the Node driver and the sink's statements this launcher fills
gaps, each one named here and nothing else (statements, sessions, stages and files are fakesnow's own):
1. Result format (`JsonResultFormat`): fakesnow answers every query that returns rows (and every DDL statement)
   in the Arrow result format; the Node driver reads only the JSON result format (`rowset`: one array of strings
   per row, and `returned`, their number), which is what Snowflake sends it. Those answers are re-encoded.
2. PUT answers: the stage's `region` is added (the Node driver reads it; fakesnow omits it) and `overwrite`
   follows the statement's OVERWRITE option (fakesnow always answers false).
3. COPY INTO (`patch_copy_into`): `FILES = (...)` on an internal stage (fakesnow 0.12.1 rejects it with
   "invalid URL prefix"), and `METADATA$FILENAME` in a COPY transformation (fakesnow passes it to DuckDB as an
   unknown column) as the file's path inside its stage, e.g. `listings.scraped/ingest_date=2026-11-27/x.parquet`.
fakesnow keeps internal stages in a temporary directory: it is created inside one directory of ours that is
removed on exit.
"""

from __future__ import annotations

import base64
import datetime
import gzip
import json
import logging
import math
import os
import re
import shutil
import signal
import socket
import stat
import sys
import tempfile
import threading
import warnings
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

QUERY_PATH = "/queries/v1/query-request"
OVERWRITE_TRUE = re.compile(r"^\s*PUT\s.*\bOVERWRITE\s*=\s*TRUE\b", re.IGNORECASE | re.DOTALL)
EPOCH_DAY = datetime.date(1970, 1, 1)
NANO = Decimal(1_000_000_000)


def _seconds(nanos: Decimal) -> str:
    """Seconds with nine decimals, the JSON result format's encoding of times and timestamps."""
    return format((nanos / NANO).quantize(Decimal("0.000000001")), "f")


def json_value(logical_type: str, v: Any) -> str | None:
    """One value of an Arrow result (as fakesnow encodes it) in Snowflake's JSON result format."""
    if v is None:
        return None
    if logical_type.startswith("TIMESTAMP"):
        text = _seconds(Decimal(v["epoch"]) * NANO + Decimal(v["fraction"]))
        return f"{text} {v['timezone']}" if "timezone" in v else text
    if logical_type == "TIME":
        return _seconds(Decimal(v))
    if logical_type == "DATE":
        return str((v - EPOCH_DAY).days)
    if logical_type == "BOOLEAN":
        return "1" if v else "0"
    if logical_type == "BINARY":
        return bytes(v).hex().upper()
    if isinstance(v, float):
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity") if math.isinf(v) else repr(v)
    if isinstance(v, Decimal):
        return format(v, "f")
    return str(v)


def arrow_to_rowset(rowset_base64: str) -> list[list[str | None]]:
    import pyarrow as pa

    if not rowset_base64:
        return []
    table = pa.ipc.open_stream(base64.b64decode(rowset_base64)).read_all()
    columns = []
    for field, column in zip(table.schema, table.columns, strict=True):
        logical_type = (field.metadata or {}).get(b"logicalType", b"").decode()
        columns.append([json_value(logical_type, v) for v in column.to_pylist()])
    return [list(row) for row in zip(*columns, strict=True)] if columns else []


def sql_text(request_body: bytes, content_encoding: str) -> str:
    try:
        raw = gzip.decompress(request_body) if content_encoding == "gzip" else request_body
        text = json.loads(raw).get("sqlText", "")
        return text if isinstance(text, str) else ""
    except (OSError, ValueError, AttributeError):
        return ""


def to_json_result_format(body: bytes, sql: str) -> bytes:
    answer = json.loads(body)
    data = answer.get("data")
    if not isinstance(data, dict):
        return body  # an error
    if isinstance(stage_info := data.get("stageInfo"), dict):
        # A PUT's upload instructions. The Node driver reads the stage's region (absent from fakesnow's answer;
        # Snowflake always sends one) to choose a storage endpoint; none is needed for fakesnow's presigned
        # upload URL, which points back at this server. fakesnow answers `overwrite: false` whatever the PUT
        # says; Snowflake answers the PUT's OVERWRITE option, and with false the Node driver first looks for the
        # file with a GET that fakesnow does not serve, so the upload never happens.
        stage_info.setdefault("region", "")
        if OVERWRITE_TRUE.search(sql):
            data["overwrite"] = True
        return json.dumps(answer).encode()
    if "queryResultFormat" not in data:
        return body
    if data["queryResultFormat"] == "arrow":
        data["rowset"] = arrow_to_rowset(data.pop("rowsetBase64", ""))
        data["queryResultFormat"] = "json"
        # TIMESTAMP_TZ values are sent as "<seconds> <offset index>", the format of result version 1.
        data.setdefault("version", 1)
    # The Node driver streams `returned` inline rows (fakesnow omits the count; the Python connector does not
    # read it): without it a statement's rows never end.
    data.setdefault("returned", len(data.get("rowset") or []))
    return json.dumps(answer).encode()


class JsonResultFormat:
    """ASGI middleware: query answers in the JSON result format (see the module docstring)."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != QUERY_PATH:
            await self.app(scope, receive, send)
            return
        # Read the request first (to know the statement), then hand fakesnow the same messages.
        requested: list[Message] = []
        while True:
            message = await receive()
            requested.append(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        headers = dict(scope.get("headers", []))
        sql = sql_text(
            b"".join(m.get("body", b"") for m in requested),
            headers.get(b"content-encoding", b"").decode("latin-1").lower(),
        )

        async def replay() -> Message:
            return requested.pop(0) if requested else await receive()

        start: Message = {}
        chunks: list[bytes] = []

        async def buffered(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    body = to_json_result_format(b"".join(chunks), sql)
                    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
                    headers.append((b"content-length", str(len(body)).encode()))
                    await send({**start, "headers": headers})
                    await send({"type": "http.response.body", "body": body})
            else:
                await send(message)

        await self.app(scope, replay, buffered)


def patch_copy_into() -> None:
    """Gap 3 of the module docstring, in fakesnow's COPY INTO translation (fakesnow.copy_into)."""
    from pathlib import PurePath

    import fakesnow.copy_into as copy_into
    import fakesnow.transforms.stage as stage
    from sqlglot import exp

    source_urls = copy_into._source_urls  # noqa: SLF001
    inserts = copy_into._inserts  # noqa: SLF001

    def internal_source_urls(source: str, files: list[str]) -> list[str]:
        if stage.is_internal(source):
            return [f"{source.rstrip('/')}/{f}" for f in files] or [source]
        return source_urls(source, files)

    def path_in_stage(url: str) -> str:
        return "/".join(PurePath(url).relative_to(stage.LOCAL_BUCKET_PATH).parts[3:])  # catalog/schema/stage/...

    def inserts_with_filename(expr: Any, params: Any, urls: list[str], parquet_info: Any = None) -> list[Any]:
        out = inserts(expr, params, urls, parquet_info)
        for insert, url in zip(out, urls, strict=True):
            for col in list(insert.find_all(exp.Column)):
                if col.name.upper() == "METADATA$FILENAME" and stage.is_internal(url):
                    col.replace(exp.Literal.string(path_in_stage(url)))
        return out

    copy_into._source_urls = internal_source_urls  # noqa: SLF001
    copy_into._inserts = inserts_with_filename  # noqa: SLF001


def main() -> int:
    # fakesnow picks its stage directory (tempfile.mkdtemp) when it is imported: keep it under our own dir.
    root = tempfile.mkdtemp(prefix="phonepipe-fakesnow-")
    tempfile.tempdir = root
    try:
        import uvicorn
        from fakesnow.server import app

        patch_copy_into()
        warnings.filterwarnings("ignore", message="Arrow output on a DB-API result")

        # fakesnow logs every session and rejected statement at INFO; its unhandled errors stay visible.
        logging.getLogger("fakesnow.server").setLevel(logging.WARNING)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)  # connections made before uvicorn accepts wait in the backlog
        server = uvicorn.Server(uvicorn.Config(JsonResultFormat(app), log_level="warning"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="fakesnow", daemon=True)

        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())

        def watch_stdin() -> None:
            sys.stdin.read()  # returns at EOF: the parent closed the pipe, or died
            stop.set()

        if stat.S_ISFIFO(os.fstat(sys.stdin.fileno()).st_mode):  # a pipe from the parent (not a terminal)
            threading.Thread(target=watch_stdin, name="stdin", daemon=True).start()
        thread.start()
        print(json.dumps({"host": "127.0.0.1", "port": sock.getsockname()[1]}), flush=True)
        while not stop.wait(0.5):
            if not thread.is_alive():
                return 1
        server.should_exit = True
        thread.join()
        return 0
    finally:
        tempfile.tempdir = None
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
