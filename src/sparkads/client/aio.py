"""The asyncio client (httpx.AsyncClient): the same calls as FeedClient, awaited."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Self

import httpx

from sparkads.client.core import (
    DECISIONS,
    EVENTS,
    Attempts,
    ClientError,
    Decisions,
    Event,
    EventsOutcome,
    RetryPolicy,
    ViewerJson,
    batches,
    decisions_body,
    events_body,
    headers,
    parse_decisions,
    parse_events,
)


class AsyncFeedClient:
    """Decisions and events of one feed (a feed token from `sparkads feeds create`)."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        language: str | None = None,
        timeout: float = 10.0,
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), headers=headers(token, language), timeout=timeout,
            transport=transport,
        )  # fmt: skip

    async def decide(self, viewer: ViewerJson | Mapping[str, object], slots: int = 1) -> Decisions:
        """`FeedClient.decide`, awaited."""
        response = await self._post(DECISIONS, decisions_body(viewer, slots), idempotent=False)
        return parse_decisions(response)

    async def send(self, events: Sequence[Event]) -> EventsOutcome:
        """`FeedClient.send`, awaited."""
        parts = batches(events)
        answers = [
            parse_events(await self._post(EVENTS, events_body(part), idempotent=True))
            for part in parts
        ]
        return EventsOutcome.of_batches(parts, answers)

    async def _post(
        self, path: str, body: dict[str, object], *, idempotent: bool
    ) -> httpx.Response:
        attempts = Attempts(self.retry, idempotent=idempotent)
        while True:
            try:
                outcome: httpx.Response | httpx.TransportError = await self._http.post(
                    path, json=body
                )
            except httpx.TransportError as error:
                outcome = error
            if isinstance(outcome, httpx.Response) and outcome.is_success:
                return outcome
            await self._sleep(attempts.pause_after(outcome))

    async def close(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


__all__ = ["AsyncFeedClient", "ClientError"]
