# The pricing engine (pricing/): its own venv (.venv/pricing: scikit-learn, DuckDB's Python client, pytest, ruff),
# its tests (test/pricing), lint, backtest benchmark, and the commands (also as `phonepipe pricing ...`).
.PHONY: bootstrap-pricing test-pricing lint-pricing bench-pricing pricing-train pricing-backtest pricing-suggest \
	pricing-serve

PRICING_PYTHON ?= python3.11
PRICING_VENV := .venv/pricing
PRICING_REQUIREMENTS := pricing/requirements.txt
PRICING_CONSTRAINTS := pricing/constraints.txt
# The stamp's name carries a hash of the requirement and constraint files: editing one reinstalls.
PRICING_STAMP := $(PRICING_VENV)/.stamp-$(shell cat $(PRICING_REQUIREMENTS) $(PRICING_CONSTRAINTS) 2>/dev/null | sha256sum | cut -c1-16)
PRICING_RUN := PYTHONPATH=$(CURDIR)/pricing $(PRICING_VENV)/bin/python
PRICING_PY := pricing test/pricing bench/pricing.py
export PHONEPIPE_DATA_DIR ?= $(CURDIR)/data
PHONEPIPE_PRICING_PORT ?= 8590

bootstrap-pricing: $(PRICING_STAMP)

$(PRICING_STAMP):
	@echo "== bootstrap pricing venv ($(PRICING_VENV): scikit-learn, duckdb, pytest, ruff)"
	@$(PRICING_PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "pricing venv needs Python 3.11 (set PRICING_PYTHON)")'
	@test -x $(PRICING_VENV)/bin/python || $(PRICING_PYTHON) -m venv $(PRICING_VENV)
	$(PRICING_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r $(PRICING_REQUIREMENTS) \
		-c $(PRICING_CONSTRAINTS)
	@rm -f $(PRICING_VENV)/.stamp-*
	@touch $@

# Unit tests of the pure modules plus train/suggest/serve on a small generated warehouse (needs the dbt venv).
test-pricing: bootstrap-pricing bootstrap-dbt
	@echo "== pricing tests (pytest in $(PRICING_VENV))"
	$(PRICING_RUN) -m pytest test/pricing -p no:cacheprovider -ra

lint-pricing: bootstrap-pricing
	@echo "== lint pricing (ruff)"
	$(PRICING_VENV)/bin/ruff check --config ruff.toml $(PRICING_PY)
	$(PRICING_VENV)/bin/ruff format --check --config ruff.toml $(PRICING_PY)

# Rolling backtest (MdAPE, coverage, both baselines), training time, batch scoring and endpoint latency on a
# generated history of PHONEPIPE_BENCH_ROWS realized sales (default 20000; the target size is 1000000).
bench-pricing: bootstrap-pricing bootstrap-dbt
	@echo "== bench: pricing backtest on $${PHONEPIPE_BENCH_ROWS:-20000} realized sales"
	$(PRICING_RUN) bench/pricing.py

pricing-train: bootstrap-pricing
	$(PRICING_RUN) -m phonepipe_pricing train
pricing-backtest: bootstrap-pricing
	$(PRICING_RUN) -m phonepipe_pricing backtest
# Suggestions for the marketplace's listings, produced to pricing.suggestions by the TypeScript producer.
pricing-suggest: bootstrap-pricing build
	bin/phonepipe pricing suggest
pricing-serve: bootstrap-pricing
	$(PRICING_RUN) -m phonepipe_pricing serve --port $(PHONEPIPE_PRICING_PORT)

BOOTSTRAP_TARGETS += bootstrap-pricing
TEST_TARGETS += test-pricing
LINT_TARGETS += lint-pricing
BENCH_TARGETS += bench-pricing

# The pricing DAG's test (test/airflow/test_pricing_dag.py) runs the engine from its venv.
test-airflow: bootstrap-pricing
