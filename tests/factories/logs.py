"""The app's JSON log lines as a test reads them."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI

from sparkads.api.app import create_app
from sparkads.api.request_log import JsonFormatter
from sparkads.clock import TestClock
from sparkads.config import Settings


@contextmanager
def json_logs(settings: Settings, clock: TestClock) -> Iterator[tuple[FastAPI, io.StringIO]]:
    """An app logging JSON lines into the stream given with it; the root logger as it was after."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        app = create_app(settings.with_(log_format="json"), clock)
        stream = io.StringIO()
        [json_handler] = [h for h in root.handlers if isinstance(h.formatter, JsonFormatter)]
        json_handler.setStream(stream)  # type: ignore[attr-defined]
        yield app, stream
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
