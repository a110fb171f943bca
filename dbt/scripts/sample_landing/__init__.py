"""The sample-landing generator (dbt/scripts/generate_sample_landing.py is its command line).

One module per topic generator, named after the topic's landing table in the topic catalog
(``<table>.py`` with ``generate(con, opts) -> table name``, ``DUP_PCT`` and ``LATE_PCT``); which topics exist,
their landing columns and types, record id and event time come from the catalog, see :mod:`.landing`.
"""
