# Stream job: Beam 2.49.0 Java services for the TypeScript pipeline, and its benchmark.
BEAM_CACHE := $(PHONEPIPE_CACHE)/beam-2.49.0

.PHONY: bootstrap-beam bench-stream
BOOTSTRAP_TARGETS += bootstrap-beam
BENCH_TARGETS += bench-stream

# Flink 1.15 job server, Spark 3 job server and the KafkaIO expansion service as mvn-resolved classpaths
# (the shaded *-job-server jars are not served by the registry this project reaches), plus a Java 17 patch.
bootstrap-beam:
	@pipelines/maven/bootstrap-beam.sh "$(BEAM_CACHE)"

# The stream against a single-process kafkajs baseline and Spark Structured Streaming (bench/stream/spark_ss),
# on a broker + registry this target starts on its own ports and stops again: 5,000- and 50,000-event bursts,
# then sustained rates stepped up. The last line is one JSON object. -quick: the 5,000-event part and one
# 30 s step at 1,000 events/s.
.PHONY: bench-stream-quick
bench-stream: build bootstrap-beam bootstrap-spark-ss
	PHONEPIPE_SPARK_SS_JARS=$(SPARK_SS_JARS) infra/with-platform.sh node dist/bench/stream/bench.js

bench-stream-quick: build bootstrap-beam bootstrap-spark-ss
	PHONEPIPE_BENCH_QUICK=1 PHONEPIPE_SPARK_SS_JARS=$(SPARK_SS_JARS) infra/with-platform.sh node dist/bench/stream/bench.js

# The experimental `--source kafkaio` stream (pipelines/experimental/kafkaio: one unbounded job, cross-language
# KafkaIO). Not part of `make test`: its read on portable Flink may stall, see
# docs/decisions/0001-micro-batches-over-kafkaio.md. The default micro-batch source is tested by
# `make test-integration`.
.PHONY: test-kafkaio-live
test-kafkaio-live: build bootstrap bootstrap-beam
	infra/with-platform.sh mocha --timeout 900000 --exit dist/test/integration/stream/kafkaio-stream.test.js
