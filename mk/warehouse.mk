# Warehouse: the dbt project (dbt/), the Great Expectations checkpoint (quality/), the sample-landing generator,
# their tests (test/dbt) and benchmark (bench/dbt_build.py). dbt-core 1.11 + dbt-duckdb/snowflake/postgres and
# GX Core 1.x co-install cleanly, so they share one venv: .venv/gx is a symlink to .venv/dbt.
.PHONY: bootstrap-dbt bootstrap-gx dbt-build dbt-service test-dbt lint-dbt bench-dbt sample-landing

DBT_PYTHON ?= python3.11
DBT_VENV := .venv/dbt
GX_VENV := .venv/gx
DBT_REQUIREMENTS := dbt/requirements.txt quality/requirements.txt
DBT_CONSTRAINTS := dbt/constraints.txt
# The stamp's name carries a hash of the requirement and constraint files: editing one reinstalls, a second run
# does nothing.
DBT_STAMP := $(DBT_VENV)/.stamp-$(shell cat $(DBT_REQUIREMENTS) $(DBT_CONSTRAINTS) 2>/dev/null | sha256sum | cut -c1-16)
DBT := $(DBT_VENV)/bin/dbt
DBT_ARGS := --project-dir dbt --profiles-dir dbt
# The warehouse and landing live under the data dir (the DuckDB file at <data>/warehouse/phonepipe.duckdb).
export PHONEPIPE_DATA_DIR ?= $(CURDIR)/data
SAMPLE_ROWS ?= 100000
SAMPLE_SEED ?= 42
SAMPLE_DAYS ?= 28
# The Python this area lints (python/: the shared catalog reader); one ruff.toml at the root for every area.
WAREHOUSE_PY := python dbt/scripts dbt/lint quality test/dbt bench/dbt_build.py bench/dbt_build_support.py

bootstrap-dbt: $(DBT_STAMP)

$(DBT_STAMP):
	@echo "== bootstrap dbt venv ($(DBT_VENV): dbt-core 1.11, dbt-duckdb, dbt-snowflake, dbt-postgres, GX Core 1.x)"
	@$(DBT_PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "dbt venv needs Python 3.11 (set DBT_PYTHON)")'
	@test -x $(DBT_VENV)/bin/python || $(DBT_PYTHON) -m venv $(DBT_VENV)
	$(DBT_VENV)/bin/python -m pip install --quiet --disable-pip-version-check $(addprefix -r ,$(DBT_REQUIREMENTS)) \
		-c $(DBT_CONSTRAINTS)
	@rm -f $(DBT_VENV)/.stamp-*
	@touch $@

# GX lives in the dbt venv; .venv/gx keeps the documented command (.venv/gx/bin/python quality/checkpoint.py) working.
bootstrap-gx: bootstrap-dbt
	@test -L $(GX_VENV) || { rm -rf $(GX_VENV); ln -s dbt $(GX_VENV); echo "== $(GX_VENV) -> $(DBT_VENV)"; }

# Builds (and tests) the warehouse on whatever landing exists under $(PHONEPIPE_DATA_DIR); generates nothing.
# DBT_SELECTOR=listings_arrivals (or arrivals) runs what the dbt_build DAG runs after new landing partitions
# (dbt/selectors.yml: the affected models and snapshot with their data tests); unset = everything incl. unit tests.
DBT_SELECTOR ?=
# With PHONEPIPE_DBT_SERVICE_URL set, the build runs on that warm dbt service (make dbt-service), which must
# build the same data dir and target (the client checks).
dbt-build: bootstrap-dbt
	@mkdir -p $(PHONEPIPE_DATA_DIR)/warehouse
	@echo "== dbt build$(if $(DBT_SELECTOR), --selector $(DBT_SELECTOR)) on $(PHONEPIPE_DATA_DIR)/landing -> $(PHONEPIPE_DATA_DIR)/warehouse/phonepipe.duckdb$(if $(PHONEPIPE_DBT_SERVICE_URL), (on the dbt service at $(PHONEPIPE_DBT_SERVICE_URL)))"
ifdef PHONEPIPE_DBT_SERVICE_URL
	$(DBT_VENV)/bin/python dbt/scripts/dbt_service_client.py --expect-data-dir $(PHONEPIPE_DATA_DIR) \
		--expect-target $(or $(PHONEPIPE_DBT_TARGET),duckdb) build$(if $(DBT_SELECTOR), --selector $(DBT_SELECTOR))
else
	$(DBT) build $(DBT_ARGS)$(if $(DBT_SELECTOR), --selector $(DBT_SELECTOR))
endif

# The warm dbt service in the foreground (Ctrl-C stops it): dbt imported and the project parsed once, each
# build sent to it skips dbt's start-up. Listens on 127.0.0.1:$(PHONEPIPE_DBT_SERVICE_PORT); point the
# dbt_build DAG and make dbt-build at it with PHONEPIPE_DBT_SERVICE_URL=http://127.0.0.1:<port>. Requests need
# its bearer token: PHONEPIPE_DBT_SERVICE_TOKEN(_FILE), else run/dbt-service.token, which the service creates
# when missing and the client reads (docs/security.md).
PHONEPIPE_DBT_SERVICE_PORT ?= 8580
dbt-service: bootstrap-dbt
	@mkdir -p $(PHONEPIPE_DATA_DIR)/warehouse
	$(DBT_VENV)/bin/python dbt/scripts/dbt_service.py --port $(PHONEPIPE_DBT_SERVICE_PORT)

# A realistic sample landing ($(SAMPLE_ROWS) listing observations over $(SAMPLE_DAYS) days) under $(PHONEPIPE_DATA_DIR).
sample-landing: bootstrap-dbt
	$(DBT_VENV)/bin/python dbt/scripts/generate_sample_landing.py --data-dir $(PHONEPIPE_DATA_DIR) \
		--rows $(SAMPLE_ROWS) --seed $(SAMPLE_SEED) --days $(SAMPLE_DAYS)

# dbt build + unit tests + GX on a generated landing in a temp data dir (never the repo's data/).
test-dbt: bootstrap-dbt bootstrap-gx
	@echo "== warehouse tests (pytest in $(DBT_VENV): dbt build/test/unit tests, idempotency, GX checkpoint)"
	$(DBT_VENV)/bin/python -m pytest test/dbt -p no:cacheprovider -ra

lint-dbt: bootstrap-dbt
	@echo "== lint warehouse (sqlfluff on dbt/models, ruff on the warehouse Python)"
	cd dbt && ../$(DBT_VENV)/bin/sqlfluff lint models --processes 2 --disable-progress-bar
	$(DBT_VENV)/bin/ruff check --config ruff.toml $(WAREHOUSE_PY)
	$(DBT_VENV)/bin/ruff format --check --config ruff.toml $(WAREHOUSE_PY)

bench-dbt: bootstrap-dbt
	@echo "== bench: full dbt build on 1,000,000 listing observations, then incremental builds --selector listings_arrivals after 10,000 new (x3 cold dbt, x3 on the warm dbt service), and the whole project"
	$(DBT_VENV)/bin/python bench/dbt_build.py

BOOTSTRAP_TARGETS += bootstrap-dbt bootstrap-gx
TEST_TARGETS += test-dbt
LINT_TARGETS += lint-dbt
BENCH_TARGETS += bench-dbt

# The top of the market price index and the best deals, read-only from the warehouse (for `make demo`).
.PHONY: warehouse-report
warehouse-report: bootstrap-dbt
	$(DBT_VENV)/bin/python dbt/scripts/print_market_index.py --data-dir $(PHONEPIPE_DATA_DIR)
