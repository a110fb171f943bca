"""The topic catalog (``schemas/generated/catalog.json``) of the checkout at ``PHONEPIPE_ROOT``.

Topic names, the listings topic and landing layout come from there, never from this package. The reader is
``python/phonepipe_catalog.py`` of that checkout; it is put on ``sys.path`` on first use when the deployment's
PYTHONPATH does not already hold it (e.g. helpers copied into ``plugins/``). Nothing is read at import time.
"""

from __future__ import annotations

import sys
from types import ModuleType

from phonepipe_airflow import config


def _reader() -> ModuleType:
    try:
        import phonepipe_catalog
    except ModuleNotFoundError:
        sys.path.append(str(config.repo_root() / "python"))
        import phonepipe_catalog
    return phonepipe_catalog


def load():
    """The catalog of the checkout at :func:`config.repo_root` (re-read when the file changes)."""
    return _reader().load(config.repo_root() / "schemas" / "generated" / "catalog.json")


def landing_topics() -> list[str]:
    """Every topic that lands, in catalog order."""
    return list(load().names)


def listings_topic() -> str:
    """The scraped-listings topic (the one with the ``listing`` hook): the busiest, the default to watch."""
    return load().with_hook("listing").topic
