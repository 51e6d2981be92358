"""The lean lane of `POST /api/v1/feed/decisions`, pure ASGI: what a feed sends at volume is
answered without FastAPI's routing, request object and dependency solving.

A request takes the lane when its body is JSON that `DecisionRequest` accepts (validated by
pydantic-core straight from the bytes: its Rust JSON parser, no `json` module pass) and its
bearer token is a feed or operator token already in the principal cache. The answer is
`DecisionsOut` serialised by pydantic-core to bytes, the same JSON as the route's. Anything else
(no or unknown token, a wrong scope, invalid JSON or parameters, another content type) is handed,
body replayed, to the feed app's route, which answers exactly as before: the lane never decides
an error itself, except an unexpected failure while deciding (answered as the app would,
`internal_error`), since deciding twice would count twice."""

from __future__ import annotations

from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sparkads.accounts.models import Role, TokenScope
from sparkads.api.context import AppContext
from sparkads.api.native import errors as native_errors
from sparkads.api.native.feed import decide_request
from sparkads.api.native.feed_schemas import DecisionRequest
from sparkads.api.open_api import envelope
from sparkads.errors import SparkadsError, negotiate_language

PATH = "/api/v1/feed/decisions"
_SCOPES = (TokenScope.FEED, TokenScope.OPERATOR)
_JSON = b"application/json"


class DecisionLane:
    def __init__(self, route: ASGIApp, context: AppContext) -> None:
        self.route, self.context = route, context

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body, more = await _read(receive)
        if more is not None or scope["method"] != "POST":
            await self.route(scope, _replay(body, more, receive), send)
            return
        token = content_type = language = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                token = value
            elif name == b"content-type":
                content_type = value
            elif name == b"accept-language":
                language = value.decode("latin-1")
        who = None
        if token is not None and token[:7].lower() == b"bearer ":
            who = self.context.principals.get(token[7:].decode("latin-1"))
        if (
            who is None
            or who.scope not in _SCOPES
            or who.role is Role.REVIEWER  # refused by the route, in its words
            or not _is_json(content_type)
        ):
            await self.route(scope, _replay(body, None, receive), send)
            return
        try:
            request = DecisionRequest.model_validate_json(body)
        except ValidationError:
            await self.route(scope, _replay(body, None, receive), send)
            return
        try:
            answer = decide_request(self.context, request, who.subject_id, language)
            payload = answer.__pydantic_serializer__.to_json(answer)
            status, headers = 200, [(b"content-type", _JSON)]
        except Exception as exc:
            error = (
                exc
                if isinstance(exc, SparkadsError)
                else SparkadsError("internal_error", request_id=envelope.new_request_id())
            )
            response = native_errors.error_response(error, negotiate_language(language))
            await response(scope, receive, send)
            return
        headers.append((b"content-length", str(len(payload)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


def _is_json(content_type: bytes | None) -> bool:
    return content_type is not None and content_type.split(b";", 1)[0].strip().lower() == _JSON


async def _read(receive: Receive) -> tuple[bytes, Message | None]:
    """The whole body, or what came before a message that is not a body chunk (a disconnect)."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), message
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks), None


def _replay(body: bytes, then: Message | None, receive: Receive) -> Receive:
    """`receive` for the route: the body already read, then whatever comes next."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        if then is not None:
            return then
        return await receive()

    return replayed
