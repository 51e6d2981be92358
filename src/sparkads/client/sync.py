"""The blocking client (httpx.Client)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
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


class FeedClient:
    """Decisions and events of one feed (a feed token from `sparkads feeds create`)."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        language: str | None = None,
        timeout: float = 10.0,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"), headers=headers(token, language), timeout=timeout,
            transport=transport,
        )  # fmt: skip

    def decide(self, viewer: ViewerJson | Mapping[str, object], slots: int = 1) -> Decisions:
        """Sponsored posts for this viewer. Retried only when the request cannot have reached
        the server (connection refused) or the server says to (429, 503): a decision is not
        idempotent, and a late answer is worth less than none."""
        response = self._post(DECISIONS, decisions_body(viewer, slots), idempotent=False)
        return parse_decisions(response)

    def send(self, events: Sequence[Event]) -> EventsOutcome:
        """Events in batches of up to 1,000; each batch is retried (idempotent) by the policy."""
        parts = batches(events)
        answers = [
            parse_events(self._post(EVENTS, events_body(part), idempotent=True)) for part in parts
        ]
        return EventsOutcome.of_batches(parts, answers)

    def _post(self, path: str, body: dict[str, object], *, idempotent: bool) -> httpx.Response:
        attempts = Attempts(self.retry, idempotent=idempotent)
        while True:
            try:
                outcome: httpx.Response | httpx.TransportError = self._http.post(path, json=body)
            except httpx.TransportError as error:
                outcome = error
            if isinstance(outcome, httpx.Response) and outcome.is_success:
                return outcome
            self._sleep(attempts.pause_after(outcome))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


__all__ = ["ClientError", "FeedClient"]
