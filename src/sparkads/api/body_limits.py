"""Request-body limits, enforced before anything reads the body (pure ASGI).

Each route family has a ceiling (feed events, uploads, everything else). A declared
`Content-Length` above it is answered 413 before the application runs; a body sent without one
(chunked) is counted as it arrives and cut off at the ceiling, so no handler ever holds more than
the limit and no JSON parser ever starts on an oversized body. Uploads are spooled to disk by
the multipart parser as their chunks arrive (Starlette keeps at most 1 MB of a file in memory),
so the count here is what bounds them."""

from __future__ import annotations

from collections.abc import Callable

from starlette.responses import JSONResponse

from sparkads.api.asgi import ASGIApp, HttpMiddleware, Message, Receive, Scope, Send
from sparkads.api.error_responses import error_response
from sparkads.errors import SparkadsError

MIB = 1024 * 1024
DEFAULT_LIMIT = 1 * MIB  # JSON bodies and forms
EVENTS_LIMIT = 4 * MIB  # a full batch: 1,000 events with tokens of up to 2,000 characters
VIDEO_LIMIT = 500 * MIB + MIB  # campaigns.videos.MAX_VIDEO_BYTES plus the form around it
FILE_LIMIT = 100 * MIB + MIB  # audiences.service.MAX_FILE_BYTES plus the form around it

# (path prefix, limit): the first that matches wins.
ROUTE_LIMITS: tuple[tuple[str, int], ...] = (
    ("/api/v1/events", EVENTS_LIMIT),
    ("/api/v1/conversions", EVENTS_LIMIT),
    ("/open_api/v1.3/file/video/ad/upload", VIDEO_LIMIT),
    ("/open_api/v1.3/dmp/custom_audience/file/upload", FILE_LIMIT),
    ("/studio/posts", VIDEO_LIMIT),
    ("/ads/campaigns/new", VIDEO_LIMIT),
)


def limit_for(path: str) -> int:
    for prefix, limit in ROUTE_LIMITS:
        if path.startswith(prefix):
            return limit
    return DEFAULT_LIMIT


class BodyTooLargeError(Exception):
    """Raised from `receive` once a body passes its route's limit."""


def refusal(scope: Scope, limit: int) -> JSONResponse:
    """413 in the error shape of the surface the request was for."""
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
    path = str(scope.get("path", ""))
    error = SparkadsError("body_too_large", limit=limit, route=path)
    response = error_response(error, path, headers.get("accept-language"))
    response.status_code = 413
    response.headers["Connection"] = "close"  # the rest of the body is not read
    return response


class BodyLimitMiddleware(HttpMiddleware):
    """Refuse bodies over their route's limit, while streaming, before the app decodes them."""

    def __init__(self, app: ASGIApp, limits: Callable[[str], int] = limit_for) -> None:
        super().__init__(app)
        self.limits = limits

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.limits(str(scope.get("path", "")))
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await refusal(scope, limit)(scope, receive, send)
            return
        received = 0
        exceeded = False
        started = False

        async def counted_receive() -> Message:
            nonlocal received, exceeded
            if exceeded:
                raise BodyTooLargeError
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise BodyTooLargeError
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                # Whatever the app answers to a body cut short (a parse error) becomes the 413.
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await refusal(scope, limit)(scope, receive, send)
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
            if not started:
                started = True
                await refusal(scope, limit)(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
