# BI dashboard: the Observable Framework site in dashboard/ (docs/dashboard.md), its browser tests
# (test/dashboard, headless Debian chromium over CDP) and benchmark (bench/dashboard).
.PHONY: bootstrap-dashboard dashboard-build dashboard test-dashboard bench-dashboard lint-dashboard

PHONEPIPE_DASHBOARD_PORT ?= 3000
DASHBOARD_NODE_STAMP := dashboard/node_modules/.package-lock.json
# Node 20 has a WebSocket client only behind this flag; the CDP driver (infra/chromium.ts) uses it.
DASHBOARD_NODE_OPTIONS := --experimental-websocket --no-warnings=ExperimentalWarning

$(DASHBOARD_NODE_STAMP): dashboard/package.json dashboard/package-lock.json
	cd dashboard && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

bootstrap-dashboard: $(DASHBOARD_NODE_STAMP)
	@command -v chromium >/dev/null || { echo "== installing chromium (Debian package) for the dashboard tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

BOOTSTRAP_TARGETS += bootstrap-dashboard

# Static site into dashboard/dist from $(PHONEPIPE_DATA_DIR)/warehouse/phonepipe.duckdb (PHONEPIPE_DATA_DIR
# comes from mk/warehouse.mk); PHONEPIPE_DBT_TARGET=snowflake|postgres reads that warehouse instead.
dashboard-build: $(DASHBOARD_NODE_STAMP)
	@echo "== dashboard build ($(or $(PHONEPIPE_DBT_TARGET),duckdb): $(PHONEPIPE_DATA_DIR)/warehouse/phonepipe.duckdb -> dashboard/dist)"
	dashboard/scripts/build.sh

# Serves the last build on 127.0.0.1 (Ctrl-C stops it).
dashboard: build
	node dist/infra/dashboard-site.js dashboard/dist $(PHONEPIPE_DASHBOARD_PORT)

test-dashboard: build bootstrap-dashboard bootstrap-dbt
	@echo "== dashboard tests (mocha: dashboard builds over generated warehouses, pages in headless chromium)"
	NODE_OPTIONS="$(DASHBOARD_NODE_OPTIONS)" mocha --config .mocharc.dashboard.json

TEST_TARGETS += test-dashboard

bench-dashboard: build bootstrap-dashboard bootstrap-dbt
	@echo "== bench: dashboard build time and per-page time to rendered in headless chromium (p50/p95)"
	NODE_OPTIONS="$(DASHBOARD_NODE_OPTIONS)" node dist/bench/dashboard/bench.js

BENCH_TARGETS += bench-dashboard

# The loaders are TypeScript outside the root tsconfig (Framework runs them with tsx): type-check them here;
# eslint and prettier cover them from the root configs (make lint).
lint-dashboard: $(DASHBOARD_NODE_STAMP) node_modules/.package-lock.json
	@echo "== lint dashboard (tsc --noEmit on dashboard/loaders and data loaders)"
	tsc -p dashboard/tsconfig.json

LINT_TARGETS += lint-dashboard
