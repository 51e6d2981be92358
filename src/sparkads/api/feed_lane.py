"""The lean lane of `POST /api/v1/feed/decisions`, pure ASGI, in front of the whole app
(`api/app.py` `SparkadsApp` hands it the path before FastAPI's middleware stack): what a feed
sends at volume is answered without FastAPI's routing, request object, dependency solving and
middleware layers.

A request takes the lane when its body is JSON that `DecisionRequest` accepts (validated by
pydantic-core straight from the bytes: its Rust JSON parser, no `json` module pass) and its
bearer token is a feed or operator token already in the principal cache. The answer is the
route's `DecisionsOut` JSON, written by orjson from plain dicts (no response models), with the
security headers every answer carries. Anything else (no or unknown token, a wrong scope, invalid
JSON or parameters, another content type, a body over the limit) is handed, body replayed, to
`fallback`: the whole app, whose middlewares and feed route answer exactly as before (errors,
413s). The lane never decides an error itself, except an unexpected failure while deciding
(answered as the app would, `internal_error`), since deciding twice would count twice."""

from __future__ import annotations

import time

import orjson
from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sparkads.accounts.models import Role, TokenScope
from sparkads.api.body_limits import limit_for
from sparkads.api.context import AppContext
from sparkads.api.native import errors as native_errors
from sparkads.api.native.feed_schemas import DecisionRequest, ViewerWarning
from sparkads.api.open_api import envelope
from sparkads.api.security_headers import headers_for
from sparkads.delivery.model import Viewer
from sparkads.errors import SparkadsError, negotiate_language
from sparkads.services.decisions import Decided, decide_for_viewer

PATH = "/api/v1/feed/decisions"
LIMIT = limit_for(PATH)  # a body over it goes to the app, whose body-limit middleware answers 413
_SCOPES = (TokenScope.FEED, TokenScope.OPERATOR)
_JSON = b"application/json"
# what SecurityHeadersMiddleware adds to every answer of this path, computed once per scheme
_SECURITY = {scheme: headers_for({"path": PATH, "scheme": scheme}) for scheme in ("http", "https")}


def decide(
    context: AppContext, viewer: Viewer, slots: int, placement: str, feed_id: str
) -> Decided:
    """A decision from the app's delivery runtime, counted in /metrics: what the route and the
    lane both run."""
    started = time.perf_counter()
    runtime = context.delivery
    decided = decide_for_viewer(
        runtime.store,
        runtime.counters,
        runtime.config,
        runtime.rng,
        context.traffic,
        context.clock,
        viewer,
        slots,
        placement,
        feed_id,
    )
    if context.metrics is not None:
        context.metrics.decided(slots, len(decided.chosen), time.perf_counter() - started)
    return decided


def answer_json(decided: Decided, accept_language: str | None) -> bytes:
    """`DecisionsOut` of `decided` as JSON bytes (the same keys, order and values as the route's)."""
    answer: dict[str, object] = {
        "decisions": [
            {
                "decision_id": d.decision_id,
                "token": d.token,
                "ad_id": d.ad.ad_id,
                "adgroup_id": d.group.adgroup_id,
                "item_id": d.ad.item_id,
                "sponsored": True,
                "label": "Sponsored",
                "creative": d.ad.creative,
            }
            for d in decided.chosen
        ],
        "snapshot_version": decided.snapshot_version,
        "warnings": [
            w.model_dump()
            for w in ViewerWarning.all_of(decided, negotiate_language(accept_language))
        ],
    }
    return orjson.dumps(answer)


class DecisionLane:
    def __init__(self, fallback: ASGIApp, context: AppContext) -> None:
        self.fallback, self.context = fallback, context

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = content_type = language = None
        declared = 0
        for name, value in scope["headers"]:
            if name == b"authorization":
                token = value
            elif name == b"content-type":
                content_type = value
            elif name == b"accept-language":
                language = value.decode("latin-1")
            elif name == b"content-length":
                declared = int(value) if value.isdigit() else LIMIT + 1
        if declared > LIMIT or scope["method"] != "POST":  # answered by the app (413, 405)
            await self.fallback(scope, receive, send)
            return
        body, then = await _read(receive)
        if then is not None:  # a disconnect, or a body over the limit: the app sees it too
            await self.fallback(scope, _replay(body, then, receive), send)
            return
        who = None
        if token is not None and token[:7].lower() == b"bearer ":
            who = self.context.principals.get(token[7:].decode("latin-1"))
        request = None
        if (
            who is not None
            and who.scope in _SCOPES
            and who.role is not Role.REVIEWER  # refused by the route, in its words
            and _is_json(content_type)
        ):
            try:
                request = DecisionRequest.model_validate_json(body)
            except ValidationError:
                request = None
        if request is None or who is None:
            await self.fallback(scope, _replay(body, None, receive), send)
            return
        secure = _SECURITY.get(scope.get("scheme", "http"), _SECURITY["http"])
        try:
            viewer = request.viewer.to_domain()
            decided = decide(self.context, viewer, request.slots, request.placement, who.subject_id)
            payload = answer_json(decided, language)
        except Exception as exc:
            await _failed(exc, language, secure, scope, receive, send)
            return
        headers = [
            (b"content-type", _JSON),
            (b"content-length", str(len(payload)).encode()),
            *secure,
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


async def _failed(
    exc: Exception,
    language: str | None,
    secure: list[tuple[bytes, bytes]],
    scope: Scope,
    receive: Receive,
    send: Send,
) -> None:
    """An unexpected failure while deciding, answered as the app's error handlers would."""
    error = (
        exc
        if isinstance(exc, SparkadsError)
        else SparkadsError("internal_error", request_id=envelope.new_request_id())
    )
    response = native_errors.error_response(error, negotiate_language(language))

    async def with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", []), *secure]
        await send(message)

    await response(scope, receive, with_headers)


def _is_json(content_type: bytes | None) -> bool:
    return content_type is not None and content_type.split(b";", 1)[0].strip().lower() == _JSON


async def _read(receive: Receive) -> tuple[bytes, Message | None]:
    """The whole body; or what came before a message that is not a body chunk (a disconnect), or
    before the chunk that took it over `LIMIT` (then that chunk is the message returned)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), message
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > LIMIT:
            return b"".join(chunks), message
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), None


def _replay(body: bytes, then: Message | None, receive: Receive) -> Receive:
    """`receive` for the fallback: the body already read, then `then` (the message the lane
    stopped at, if any), then whatever comes next."""
    pending: list[Message] = [{"type": "http.request", "body": body, "more_body": then is not None}]
    if then is not None:
        pending.append(then)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed
