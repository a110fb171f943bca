"""Counting the Spark peer's committed rows and following its micro-batches (see peer.py's docstring)."""

from __future__ import annotations

import json
import queue
import sys
import time
from datetime import datetime
from pathlib import Path


def log(msg: str) -> None:
    print(f"spark-ss-peer: {msg}", file=sys.stderr, flush=True)


def epoch_ms(iso: str) -> int:
    """A progress report's timestamp ('2026-01-01T00:00:00.000Z') in epoch milliseconds."""
    return round(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


class SinkLog:
    """Rows committed to the file sink: the files its _spark_metadata log lists, counted from Parquet footers.

    The log has one file per micro-batch (every 10th compacted into `<id>.compact`, listing all files so far);
    a file counts once. Footers are read in the driver JVM (parquet-hadoop), no Spark job and no data pages.
    """

    def __init__(self, spark, out: Path) -> None:
        self.spark = spark
        self.log_dir = out / "_spark_metadata"
        self.counted: set[str] = set()
        self.rows = 0

    def _footer_rows(self, uri: str) -> int:
        jvm = self.spark._jvm
        path = jvm.org.apache.hadoop.fs.Path(uri)
        conf = self.spark._jsc.hadoopConfiguration()
        reader = jvm.org.apache.parquet.hadoop.ParquetFileReader.open(
            jvm.org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(path, conf)
        )
        try:
            return int(reader.getRecordCount())
        finally:
            reader.close()

    def add_batch(self, batch_id: int) -> int:
        """Counts the files that batch `batch_id` committed; returns its rows."""
        for name in (str(batch_id), f"{batch_id}.compact"):
            f = self.log_dir / name
            if f.exists():
                break
        else:
            return 0
        rows = 0
        for line in f.read_text().splitlines()[1:]:  # the first line is the log's version
            entry = json.loads(line)
            if entry.get("action") != "add" or entry.get("isDir") or entry["path"] in self.counted:
                continue
            self.counted.add(entry["path"])
            rows += self._footer_rows(entry["path"])
        self.rows += rows
        return rows


class Progress:
    """What the micro-batches reported, in order; `done_ms` is set once the sink holds `expected` rows."""

    def __init__(self, sink: SinkLog, expected: int) -> None:
        self.sink = sink
        self.expected = expected
        self.events_in = 0
        self.batches = 0
        self.first_batch_start_ms: int | None = None
        self.done_ms: int | None = None

    def add(self, p: dict) -> None:
        start_ms = epoch_ms(p["timestamp"])
        n_in = int(p["numInputRows"])
        self.batches += 1
        self.events_in += n_in
        if self.first_batch_start_ms is None and n_in > 0:
            self.first_batch_start_ms = start_ms
        rows = self.sink.add_batch(int(p["batchId"]))
        if self.done_ms is None and self.sink.rows >= self.expected:
            self.done_ms = start_ms + int(p["durationMs"].get("triggerExecution", 0))
        if self.batches <= 3 or self.batches % 5 == 0 or self.done_ms is not None:
            log(
                f"batch {p['batchId']}: {n_in} in, {rows} out, {p['durationMs'].get('triggerExecution')} ms;"
                f" total {self.events_in} in, {self.sink.rows}/{self.expected} rows committed"
            )


def make_listener(reports: queue.Queue):
    """Hands each micro-batch's progress report (after its commit) to the main thread."""
    from pyspark.sql.streaming import StreamingQueryListener

    class Listener(StreamingQueryListener):
        def onQueryStarted(self, event) -> None:
            pass

        def onQueryProgress(self, event) -> None:
            reports.put(json.loads(event.progress.json))

        def onQueryIdle(self, event) -> None:
            pass

        def onQueryTerminated(self, event) -> None:
            pass

    return Listener()


def wait_until_done(query, progress: Progress, reports: queue.Queue, deadline: float, timeout_s: float) -> str | None:
    """Feeds the progress reports to `progress` until the sink holds the expected rows; else why not."""
    while progress.done_ms is None:
        try:
            progress.add(reports.get(timeout=0.25))
            continue
        except queue.Empty:
            pass
        if not query.isActive:
            error = str(query.exception() or "no exception").splitlines()[0]
            return f"query stopped before the sink had {progress.expected} rows (Spark's log above): {error}"
        if time.monotonic() > deadline:
            return (
                f"timeout after {timeout_s:g} s: {progress.sink.rows}/{progress.expected} rows committed, "
                f"{progress.events_in} events read in {progress.batches} micro-batches"
            )
    return None
