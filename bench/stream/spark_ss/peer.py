"""Spark Structured Streaming peer of phonepipe's stream job, for `make bench-stream`.

Reads a listings topic from the earliest offset (Confluent-framed Avro), keeps the latest observation per URL
per 5 s event-time window (watermark 3 s, append mode) and writes Parquet with the file sink. It stops once
the sink has committed --expected-rows rows and prints one JSON line with the measurement (last stdout line).

Counting: after each micro-batch's progress report (sent once the batch is in the commit log), the files that
batch added to the sink's own log (out/_spark_metadata) are counted from their Parquet footers, in the driver
JVM: the running sum is exactly the rows committed to the sink, without a Spark job or reading the data. (The
Kafka-to-Parquet file sink reports no numOutputRows, and observe() metrics are not reported for the no-data
micro-batch in which the watermark closes the windows.) The sentinel's window is never among those rows: it is
the newest event, so the watermark (newest event time - 3 s) never passes the end of its window.

Timing: first_batch_start_ms is the start of the first micro-batch that read data (it includes that batch's
offset look-up and planning); done_ms is the end of the micro-batch that brought the committed count to
--expected-rows (both from the driver's progress reports). SparkSession and query start-up are reported apart.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import queue
import resource
import sys
import time
from pathlib import Path

from progress import Progress, SinkLog, log, make_listener, wait_until_done

ENGINE = "spark_structured_streaming"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--brokers", required=True, help="Kafka bootstrap servers, host:port[,host:port]")
    p.add_argument("--topic", required=True)
    p.add_argument("--schema-file", required=True, type=Path, help="the topic's Avro writer schema (.avsc)")
    p.add_argument("--out", required=True, type=Path, help="Parquet output directory (file sink)")
    p.add_argument("--checkpoint", required=True, type=Path, help="the query's checkpoint directory")
    p.add_argument("--window-seconds", type=int, default=5)
    p.add_argument("--watermark-seconds", type=int, default=3)
    p.add_argument("--expected-rows", required=True, type=int, help="deduplicated rows of the burst")
    p.add_argument("--jars-dir", required=True, type=Path, help="the Kafka source and spark-avro jars (mvn)")
    p.add_argument("--timeout-seconds", type=float, default=600)
    return p.parse_args(argv)


def peak_rss_mb(pid: int) -> int | None:
    """VmHWM (peak resident set) of a process in MB, or None when it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        return None
    return None


def _comm(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return None


def spark_jvm_pid(spark) -> int | None:
    """The pid of the driver JVM pyspark launched (spark-submit execs into java), else a java child of ours."""
    proc = getattr(spark.sparkContext._gateway, "proc", None)
    if proc is not None and _comm(proc.pid) == "java":
        return proc.pid
    for status in glob.glob("/proc/[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in Path(status).read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("Name", "").strip() == "java" and fields.get("PPid", "").strip() == str(os.getpid()):
            return int(status.split("/")[2])
    return None


def build_session(jars_dir: Path):
    from pyspark.sql import SparkSession

    jars = sorted(str(p) for p in jars_dir.glob("*.jar"))
    if not jars:
        raise SystemExit(f"spark-ss-peer: no jars in {jars_dir} (run make bootstrap-spark-ss)")
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    return (
        SparkSession.builder.master("local[2]")
        .appName("phonepipe-bench-spark-ss")
        .config("spark.jars", ",".join(jars))
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.memory", "1g")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        # One shuffle partition per core: each partition of the windowed aggregation is a task and a state
        # store in every micro-batch, and the default 200 would spend the batches on scheduling 200 tiny tasks
        # on 2 cores. 2 also matches phonepipe's 2 shards at parallelism 2.
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )


def build_query(spark, args: argparse.Namespace):
    from pyspark.sql import functions as F
    from pyspark.sql.avro.functions import from_avro
    from pyspark.sql.types import LongType

    schema_json = args.schema_file.read_text()
    raw = (
        spark.readStream.format("kafka")
        .option("kafka.bootstrap.servers", args.brokers)
        .option("subscribe", args.topic)
        .option("startingOffsets", "earliest")
        .load()
    )
    # Confluent framing: magic byte 0 and a 4-byte schema id before the Avro body.
    body = F.expr("substring(value, 6, length(value) - 5)")
    listings = raw.select(from_avro(body, schema_json, {"mode": "FAILFAST"}).alias("v")).select("v.*")
    fields = [f.name for f in listings.schema.fields]
    # scraped_at is a timestamp-millis long: spark-avro decodes it as a timestamp already; a plain long is
    # converted from epoch milliseconds.
    if isinstance(listings.schema["scraped_at"].dataType, LongType):
        listings = listings.withColumn("scraped_at", F.expr("timestamp_millis(scraped_at)"))
    latest = (
        listings.withWatermark("scraped_at", f"{args.watermark_seconds} seconds")
        .groupBy(F.window("scraped_at", f"{args.window_seconds} seconds"), "url")
        .agg(F.max_by(F.struct(*[c for c in fields if c != "url"]), "scraped_at").alias("latest"))
        .select(
            F.col("window.start").alias("window_start"),
            F.col("window.end").alias("window_end"),
            "url",
            "latest.*",
        )
    )
    return (
        latest.writeStream.format("parquet")
        .option("path", str(args.out))
        .option("checkpointLocation", str(args.checkpoint))
        .outputMode("append")
        .queryName("phonepipe_bench_spark_ss")
        .start()
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # The count starts from an empty sink log, and a used checkpoint would resume instead of reading everything.
    for d in (args.out, args.checkpoint):
        if d.exists() and any(d.iterdir()):
            log(f"{d} is not empty: give each run a fresh --out and --checkpoint")
            return 2
    reports: queue.Queue = queue.Queue()

    t0 = time.monotonic()
    spark = build_session(args.jars_dir)
    try:
        spark.sparkContext.setLogLevel("WARN")
        version = spark.version
        jvm_pid = spark_jvm_pid(spark)
        progress = Progress(SinkLog(spark, args.out), args.expected_rows)
        spark.streams.addListener(make_listener(reports))
        try:
            query = build_query(spark, args)
        except Exception as e:
            log(f"could not start the query: {e}")
            return 1
        startup_s = time.monotonic() - t0
        log(f"Spark {version} up, query started in {startup_s:.1f} s (driver JVM pid {jvm_pid})")
        try:
            failure = wait_until_done(query, progress, reports, t0 + args.timeout_seconds, args.timeout_seconds)
        except Exception as e:  # a py4j error while counting
            failure = f"failed while counting the sink's rows: {e}"
        jvm_rss = peak_rss_mb(jvm_pid) if jvm_pid else None
        query.stop()
    finally:
        spark.stop()
    if failure:
        log(failure)
        return 1

    assert progress.first_batch_start_ms is not None and progress.done_ms is not None
    seconds = (progress.done_ms - progress.first_batch_start_ms) / 1000
    result = {
        "engine": ENGINE,
        "spark_version": version,
        "events_in": progress.events_in,
        "rows_out": progress.sink.rows,
        "expected_rows": args.expected_rows,
        "first_batch_start_ms": progress.first_batch_start_ms,
        "done_ms": progress.done_ms,
        "events_per_s": round(progress.events_in / seconds) if seconds > 0 else None,
        "startup_s": round(startup_s, 2),
        "batches": progress.batches,
        "jvm_peak_rss_mb": jvm_rss,
        "python_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
