# Sources: scrapers, simulators, market-data loader.
.PHONY: bench-scrape
# Scrapes the local fixture sites and prints pages/s and parse ms per page next to a raw-fetch baseline.
bench-scrape: build
	@echo "== bench: scrapers against the local fixture sites"
	node dist/bench/scrape.js

BENCH_TARGETS += bench-scrape
