# The Spark Structured Streaming peer of the stream benchmark (bench/stream/spark_ss): pyspark in its own venv
# and the Kafka source + spark-avro jars resolved with mvn into the cache. Not a BOOTSTRAP_TARGET (make test
# installs no Spark); the bench target depends on bootstrap-spark-ss.
.PHONY: bootstrap-spark-ss

SPARK_SS_PYTHON ?= python3.11
SPARK_SS_DIR := bench/stream/spark_ss
SPARK_SS_VENV := .venv/spark-ss
SPARK_SS_REQUIREMENTS := $(SPARK_SS_DIR)/requirements.txt
# One Spark version for pyspark and the jars: the one pinned in requirements.txt.
SPARK_SS_VERSION := $(shell sed -n 's/^pyspark==\([0-9.]*\).*/\1/p' $(SPARK_SS_REQUIREMENTS))
SPARK_SS_JARS := $(PHONEPIPE_CACHE)/spark-ss-$(SPARK_SS_VERSION)/jars
# Stamps named with a hash of what they were made from: editing requirements.txt reinstalls, editing the pom
# copies the jars again, a second run does nothing.
SPARK_SS_STAMP := $(SPARK_SS_VENV)/.stamp-$(shell cat $(SPARK_SS_REQUIREMENTS) 2>/dev/null | sha256sum | cut -c1-16)
SPARK_SS_JARS_STAMP := $(SPARK_SS_JARS)/.complete-$(shell cat $(SPARK_SS_DIR)/pom.xml 2>/dev/null | sha256sum | cut -c1-16)
# What the bench runs: $(SPARK_SS_PEER) --brokers ... --jars-dir $(SPARK_SS_JARS) (see $(SPARK_SS_DIR)/README.md).
SPARK_SS_PEER := $(SPARK_SS_VENV)/bin/python $(SPARK_SS_DIR)/peer.py

bootstrap-spark-ss: $(SPARK_SS_STAMP) $(SPARK_SS_JARS_STAMP)

$(SPARK_SS_STAMP):
	@echo "== bootstrap Spark peer venv ($(SPARK_SS_VENV): pyspark $(SPARK_SS_VERSION))"
	@$(SPARK_SS_PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "spark-ss venv needs Python 3.11 (set SPARK_SS_PYTHON)")'
	@test -x $(SPARK_SS_VENV)/bin/python || $(SPARK_SS_PYTHON) -m venv $(SPARK_SS_VENV)
	$(SPARK_SS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r $(SPARK_SS_REQUIREMENTS)
	@rm -f $(SPARK_SS_VENV)/.stamp-*
	@touch $@

# Copied into a temporary folder and moved into place, so an interrupted copy is never taken for a complete one.
$(SPARK_SS_JARS_STAMP):
	@echo "== Spark peer jars (spark-sql-kafka-0-10, spark-avro $(SPARK_SS_VERSION) and their deps) -> $(SPARK_SS_JARS)"
	@rm -rf $(SPARK_SS_JARS).tmp
	mvn -B -q -f $(SPARK_SS_DIR)/pom.xml dependency:copy-dependencies -Dspark.version=$(SPARK_SS_VERSION) \
		-DoutputDirectory=$(SPARK_SS_JARS).tmp
	@rm -rf $(SPARK_SS_JARS) && mv $(SPARK_SS_JARS).tmp $(SPARK_SS_JARS)
	@touch $@
