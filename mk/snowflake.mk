# Snowflake sink: the snowflake-sdk driver path of pipelines/sinks/snowflake.ts, tested against a
# fakesnow server (Snowflake's REST protocol over DuckDB) on 127.0.0.1 that the test starts and stops itself
# (test/snowflake/). Its SQL alone is also tested on DuckDB by the unit tests.
.PHONY: bootstrap-fakesnow test-snowflake-driver lint-snowflake

FAKESNOW_PYTHON ?= python3.11
FAKESNOW_VENV := .venv/fakesnow
FAKESNOW_REQUIREMENTS := pipelines/sinks/fakesnow-requirements.txt
# The stamp's name carries a hash of the requirements: editing them reinstalls, a second run does nothing.
FAKESNOW_STAMP := $(FAKESNOW_VENV)/.stamp-$(shell cat $(FAKESNOW_REQUIREMENTS) 2>/dev/null | sha256sum | cut -c1-16)

bootstrap-fakesnow: $(FAKESNOW_STAMP)

$(FAKESNOW_STAMP):
	@echo "== bootstrap fakesnow venv ($(FAKESNOW_VENV): fakesnow 0.12.1 server mode)"
	@$(FAKESNOW_PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] >= (3, 11) else "fakesnow needs Python >= 3.11 (set FAKESNOW_PYTHON)")'
	@test -x $(FAKESNOW_VENV)/bin/python || $(FAKESNOW_PYTHON) -m venv $(FAKESNOW_VENV)
	$(FAKESNOW_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r $(FAKESNOW_REQUIREMENTS)
	@rm -f $(FAKESNOW_VENV)/.stamp-*
	@touch $@

# Landing files written by the I/O worker, PUT / COPY INTO / MERGE through snowflake-sdk (README, stream section).
test-snowflake-driver: build bootstrap-fakesnow
	@echo "== Snowflake sink: snowflake-sdk against a fakesnow server on 127.0.0.1 (mocha)"
	PHONEPIPE_FAKESNOW_PYTHON=$(CURDIR)/$(FAKESNOW_VENV)/bin/python \
		mocha --timeout 120000 --exit dist/test/snowflake/snowflake-driver.test.js

# Only the test needs the venv, so it is not in BOOTSTRAP_TARGETS (`make demo` does not install it).
TEST_TARGETS += test-snowflake-driver

# The launcher is Python: ruff, with the warehouse's venv and the repo's one ruff.toml.
lint-snowflake: bootstrap-dbt
	@echo "== lint the fakesnow launcher (ruff)"
	$(DBT_VENV)/bin/ruff check --config ruff.toml test/snowflake
	$(DBT_VENV)/bin/ruff format --check --config ruff.toml test/snowflake

LINT_TARGETS += lint-snowflake
