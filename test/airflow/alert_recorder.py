"""A pluggable alert sink for the tests (PHONEPIPE_ALERT_CALLBACK=alert_recorder:record): appends each alert
as one JSON line to $PHONEPIPE_TEST_ALERT_LOG."""

from __future__ import annotations

import json
import os


def record(alert) -> None:
    with open(os.environ["PHONEPIPE_TEST_ALERT_LOG"], "a") as fh:
        fh.write(json.dumps(alert.as_dict(), default=str) + "\n")
