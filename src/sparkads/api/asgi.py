"""What the pure ASGI middlewares share: the ASGI types, and a base that lets every scope but
HTTP (lifespan, websockets) pass through untouched."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class HttpMiddleware:
    """A pure ASGI middleware acting on HTTP requests (`handle`); other scopes go straight on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


def add_headers(start: Message, headers: Iterable[tuple[bytes, bytes]]) -> None:
    """Add `headers` to a response's `http.response.start` message."""
    start["headers"] = [*start.get("headers", []), *headers]
