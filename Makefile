# phonepipe: every entry point a user or CI needs. Areas add their own targets in mk/*.mk and append to
# BOOTSTRAP_TARGETS / LINT_TARGETS / TEST_TARGETS / BENCH_TARGETS, so this file stays short.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Telemetry off everywhere; caches outside the clone so a fresh clone reuses them.
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export SCARF_NO_ANALYTICS := 1
export AIRFLOW__COSMOS__ENABLE_TELEMETRY := False
export PHONEPIPE_ROOT := $(CURDIR)
export PHONEPIPE_CACHE ?= $(HOME)/.cache/phonepipe
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)

BOOTSTRAP_TARGETS :=
LINT_TARGETS :=
TEST_TARGETS :=
BENCH_TARGETS :=

include $(sort $(wildcard mk/*.mk))

.PHONY: help bootstrap build lint test test-unit test-integration demo bench clean
help:
	@echo "make demo   - bootstrap, start the local platform, run the pipeline end to end, print results"
	@echo "make test   - bootstrap, build, lint and run every test (starts and stops the services it needs)"
	@echo "make bench  - run the benchmarks under bench/"
	@echo "make clean  - stop local services, remove build output and run data (caches are kept)"

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

bootstrap: node_modules/.package-lock.json $(BOOTSTRAP_TARGETS)

build: node_modules/.package-lock.json
	@echo "== build (tspc)"
	@rm -rf dist
	tspc -p tsconfig.json

lint: build $(LINT_TARGETS)
	@echo "== lint (eslint, prettier)"
	eslint --max-warnings 0 .
	prettier --check --log-level warn .

test-unit: build
	@echo "== unit tests (mocha)"
	mocha --config .mocharc.unit.json

# Integration tests run against a real local Kafka broker and schema registry that this target starts
# on its own ports and always stops again (infra/with-platform.sh).
test-integration: build bootstrap
	@echo "== integration tests (mocha, real Kafka + registry)"
	infra/with-platform.sh mocha --config .mocharc.integration.json

test: bootstrap build lint test-unit test-integration $(TEST_TARGETS)
	@echo "== all test stages passed"

demo: bootstrap build
	infra/demo.sh

bench: bootstrap build $(BENCH_TARGETS)

clean:
	-bin/phonepipe infra down 2>/dev/null
	rm -rf dist run data
