"""Tasks of the ``scrape_competitors`` DAG: one ``bin/phonepipe scrape <source>`` per competitor."""

from __future__ import annotations

from airflow.sdk import task

from phonepipe_airflow import config, procs

SOURCES = ("noon", "mobilemasr")


def scrape_args(source: str) -> list[str]:
    """Arguments for one scrape, from the environment at run time:
    ``PHONEPIPE_SCRAPE_<SOURCE>_BASE_URL`` (e.g. a recorded copy of the site) and
    ``PHONEPIPE_SCRAPE_MAX_PAGES``."""
    args = ["scrape", source]
    base_url = config.str_from_env(f"PHONEPIPE_SCRAPE_{source.upper()}_BASE_URL", "")
    if base_url:
        args += ["--base-url", base_url]
    max_pages = config.int_from_env("PHONEPIPE_SCRAPE_MAX_PAGES", 0)
    if max_pages > 0:
        args += ["--max-pages", str(max_pages)]
    return args


@task
def scrape(source: str) -> str:
    """Scrape one source into Kafka. A non-zero exit (site layout changed, no items, broker down) fails the
    task with the scraper's own message; Airflow retries with exponential backoff, then alerts."""
    proc = procs.phonepipe(*scrape_args(source))
    summary = (proc.stdout.strip().splitlines() or [""])[-1]
    return summary
