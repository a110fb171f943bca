# Orchestration: Apache Airflow 3.1 + astronomer-cosmos 1.15 in their own venv (.venv/airflow), installed from the
# constraints file pinned in the repo. dbt is never installed here: Cosmos runs .venv/dbt/bin/dbt.
.PHONY: bootstrap-airflow test-airflow lint-airflow airflow

AIRFLOW_PYTHON ?= python3
AIRFLOW_VENV := .venv/airflow
AIRFLOW_REQUIREMENTS := airflow/requirements.txt
AIRFLOW_CONSTRAINTS := airflow/constraints-3.1-py3.11.txt
# The stamp's name carries a hash of requirements + constraints: editing either reinstalls, nothing else does.
AIRFLOW_STAMP := $(AIRFLOW_VENV)/.stamp-$(shell cat $(AIRFLOW_REQUIREMENTS) $(AIRFLOW_CONSTRAINTS) 2>/dev/null | sha256sum | cut -c1-16)
AIRFLOW_HOME_DIR := $(CURDIR)/run/airflow
PHONEPIPE_AIRFLOW_PORT ?= 8080
PHONEPIPE_AIRFLOW_HOST ?= 127.0.0.1

# Everything Airflow needs to see the project's DAGs and helpers (airflow/include on PYTHONPATH) and the topic
# catalog reader (python/; the helpers also find it through PHONEPIPE_ROOT when it is not on the path).
AIRFLOW_PROJECT_ENV := \
	PYTHONPATH=$(CURDIR)/airflow/include:$(CURDIR)/python \
	AIRFLOW__CORE__DAGS_FOLDER=$(CURDIR)/airflow/dags \
	AIRFLOW__CORE__LOAD_EXAMPLES=False

bootstrap-airflow: $(AIRFLOW_STAMP)

$(AIRFLOW_STAMP):
	@echo "== bootstrap airflow venv ($(AIRFLOW_VENV): Airflow 3.1 + Cosmos 1.15, constraints $(AIRFLOW_CONSTRAINTS))"
	@$(AIRFLOW_PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "airflow venv needs Python 3.11 (set AIRFLOW_PYTHON)")'
	@test -x $(AIRFLOW_VENV)/bin/python || $(AIRFLOW_PYTHON) -m venv $(AIRFLOW_VENV)
	$(AIRFLOW_VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
		-r $(AIRFLOW_REQUIREMENTS) -c $(AIRFLOW_CONSTRAINTS)
	@rm -f $(AIRFLOW_VENV)/.stamp-*
	@touch $@

# The tests run dbt and Great Expectations for real (their venvs come from mk/warehouse.mk) and the market-data
# loader against a real broker + registry (infra/with-platform.sh starts them, registers schemas, stops them),
# on ports and a run dir of their own so they never touch another test run's platform.
test-airflow: bootstrap-airflow build
	$(if $(filter bootstrap-dbt,$(BOOTSTRAP_TARGETS)),@$(MAKE) --no-print-directory bootstrap-dbt)
	$(if $(filter bootstrap-gx,$(BOOTSTRAP_TARGETS)),@$(MAKE) --no-print-directory bootstrap-gx)
	$(if $(filter bootstrap-dashboard,$(BOOTSTRAP_TARGETS)),@$(MAKE) --no-print-directory bootstrap-dashboard)
	@echo "== airflow tests (pytest in $(AIRFLOW_VENV): DagBag, dag.test of dbt_build/data_quality, market-data inbox, pipeline health)"
	PHONEPIPE_TEST_RUN_DIR=$${PHONEPIPE_TEST_RUN_DIR:-$(CURDIR)/run/test-platform-airflow} \
	PHONEPIPE_TEST_KAFKA_PORT=$${PHONEPIPE_TEST_KAFKA_PORT:-21092} \
	PHONEPIPE_TEST_KAFKA_CONTROLLER_PORT=$${PHONEPIPE_TEST_KAFKA_CONTROLLER_PORT:-21093} \
	PHONEPIPE_TEST_REGISTRY_PORT=$${PHONEPIPE_TEST_REGISTRY_PORT:-21081} \
	PHONEPIPE_TEST_REGISTRY_MANAGEMENT_PORT=$${PHONEPIPE_TEST_REGISTRY_MANAGEMENT_PORT:-21001} \
	$(if $(wildcard infra/with-platform.sh),infra/with-platform.sh) \
		$(AIRFLOW_VENV)/bin/python -m pytest test/airflow -p no:cacheprovider -ra

lint-airflow: bootstrap-airflow
	@echo "== lint airflow (ruff)"
	$(AIRFLOW_VENV)/bin/ruff check --config ruff.toml airflow test/airflow
	$(AIRFLOW_VENV)/bin/ruff format --check --config ruff.toml airflow test/airflow

# airflow standalone on $(PHONEPIPE_AIRFLOW_HOST):$(PHONEPIPE_AIRFLOW_PORT) with the project's DAGs; stop with Ctrl-C.
airflow: bootstrap-airflow
	@mkdir -p $(AIRFLOW_HOME_DIR)
	@test -s $(AIRFLOW_HOME_DIR)/passwords.json || \
		$(AIRFLOW_VENV)/bin/python -c 'import json, secrets; print(json.dumps({"admin": secrets.token_urlsafe(12)}))' \
		> $(AIRFLOW_HOME_DIR)/passwords.json
	@chmod 600 $(AIRFLOW_HOME_DIR)/passwords.json
	@echo "== airflow standalone: http://$(PHONEPIPE_AIRFLOW_HOST):$(PHONEPIPE_AIRFLOW_PORT)"
	@echo "   log in as admin, password: $$($(AIRFLOW_VENV)/bin/python -c 'import json,sys; print(json.load(open(sys.argv[1]))["admin"])' $(AIRFLOW_HOME_DIR)/passwords.json)  (kept in $(AIRFLOW_HOME_DIR)/passwords.json)"
	@echo "   AIRFLOW_HOME=$(AIRFLOW_HOME_DIR), DAGs from airflow/dags, data dir $${PHONEPIPE_DATA_DIR:-$(CURDIR)/data}"
	export AIRFLOW_HOME=$(AIRFLOW_HOME_DIR) $(AIRFLOW_PROJECT_ENV) \
		PHONEPIPE_DATA_DIR=$${PHONEPIPE_DATA_DIR:-$(CURDIR)/data} \
		PHONEPIPE_DUCKDB_POOL=phonepipe_duckdb \
		AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS=admin:admin \
		AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE=$(AIRFLOW_HOME_DIR)/passwords.json \
		AIRFLOW__API__HOST=$(PHONEPIPE_AIRFLOW_HOST) \
		AIRFLOW__API__PORT=$(PHONEPIPE_AIRFLOW_PORT) \
		AIRFLOW__API__BASE_URL=http://$(PHONEPIPE_AIRFLOW_HOST):$(PHONEPIPE_AIRFLOW_PORT) \
		AIRFLOW__CORE__EXECUTION_API_SERVER_URL=http://$(PHONEPIPE_AIRFLOW_HOST):$(PHONEPIPE_AIRFLOW_PORT)/execution/ \
		PATH=$(CURDIR)/$(AIRFLOW_VENV)/bin:$$PATH; \
	airflow db migrate >/dev/null && \
	airflow pools set phonepipe_duckdb 1 "one task at a time on the DuckDB warehouse" >/dev/null && \
	exec airflow standalone

BOOTSTRAP_TARGETS += bootstrap-airflow
TEST_TARGETS += test-airflow
LINT_TARGETS += lint-airflow
