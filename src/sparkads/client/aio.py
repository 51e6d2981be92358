"""The asyncio client (httpx.AsyncClient): the same calls as FeedClient, awaited."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import TracebackType
from typing import Self

import httpx

from sparkads.client.core import (
    DECISIONS,
    EVENTS,
    ClientError,
    Decisions,
    Event,
    EventsOutcome,
    RetryPolicy,
    UnavailableError,
    ViewerJson,
    batches,
    decisions_body,
    error_of,
    events_body,
    headers,
    parse_decisions,
    parse_events,
    retriable,
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
        """Sponsored posts for this viewer. Retried only when the request cannot have reached
        the server (connection refused) or the server says to (429, 503): a decision is not
        idempotent, and a late answer is worth less than none."""
        response = await self._post(DECISIONS, decisions_body(viewer, slots), idempotent=False)
        return parse_decisions(response)

    async def send(self, events: Sequence[Event]) -> EventsOutcome:
        """Events in batches of up to 1,000; each batch is retried (idempotent) by the policy."""
        outcome = EventsOutcome()
        offset = 0
        for batch in batches(events):
            answered = parse_events(await self._post(EVENTS, events_body(batch), idempotent=True))
            outcome = outcome.merged(answered, offset)
            offset += len(batch)
        return outcome

    async def _post(
        self, path: str, body: dict[str, object], *, idempotent: bool
    ) -> httpx.Response:
        last: httpx.Response | None = None
        for attempt in range(1, self.retry.attempts + 1):
            try:
                response = await self._http.post(path, json=body)
            except (httpx.ConnectError, httpx.ConnectTimeout) as error:
                failure: Exception = error
                last = None
            except httpx.TransportError as error:
                if not idempotent:
                    raise UnavailableError(
                        0, "unreachable", str(error) or type(error).__name__
                    ) from error
                failure, last = error, None
            else:
                if response.is_success:
                    return response
                if not retriable(response) or (
                    not idempotent and response.status_code not in (429, 503)
                ):
                    raise error_of(response)
                failure, last = error_of(response), response
            if attempt < self.retry.attempts:
                await self._sleep(self.retry.delay(attempt, last))
        if last is not None:
            raise error_of(last, UnavailableError)
        raise UnavailableError(0, "unreachable", str(failure) or type(failure).__name__)

    async def close(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


__all__ = ["AsyncFeedClient", "ClientError"]
