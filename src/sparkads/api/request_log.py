"""Structured logs (setting `log_format = "json"`, `SPARKADS_LOG_FORMAT=json`): every log record
is one JSON object a line on stderr, with the id of the request it was written during, and each
request is logged once when answered (method, path, status, milliseconds).

The request id is the caller's `X-Request-Id` when it is a sane token (letters, digits, `-_.:`, at
most 64 characters; so a proxy's id follows the request), else a new one; it is sent back in
`X-Request-Id`. A pure ASGI middleware, installed only when JSON logs are on, so the default
costs nothing per request."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from sparkads.api.asgi import HttpMiddleware, Message, Receive, Scope, Send, add_headers

REQUEST_ID: ContextVar[str | None] = ContextVar("sparkads_request_id", default=None)
_SANE_ID = re.compile(r"[A-Za-z0-9._:\-]{1,64}")
access_log = logging.getLogger("sparkads.access")


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, request id,
    the `extra` fields a caller passed, and the traceback if any."""

    _STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,  # which worker, under serve --workers N
        }
        request_id = REQUEST_ID.get()
        if request_id:
            entry["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in self._STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_json_logging(level: int = logging.INFO) -> None:
    """Send every logger's records (uvicorn's too, when it leaves logging alone) to stderr as
    JSON lines. Idempotent."""
    root = logging.getLogger()
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.handlers = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers, logger.propagate = [], True


def request_id_from(headers: list[tuple[bytes, bytes]]) -> str:
    for name, value in headers:
        if name == b"x-request-id":
            candidate = value.decode("latin-1")
            if _SANE_ID.fullmatch(candidate):
                return candidate
    return uuid.uuid4().hex


class RequestLogMiddleware(HttpMiddleware):
    """Pure ASGI: a request id per request (context variable and `X-Request-Id` answer header),
    and one access record per request."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = request_id_from(scope["headers"])
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                add_headers(message, [(b"x-request-id", request_id.encode())])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            access_log.info(
                "%s %s %d",
                scope["method"],
                scope["path"],
                status,
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 3),
                },
            )
            REQUEST_ID.reset(token)
