"""What the sync and async clients share: request bodies, typed answers, errors, the retry policy."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Literal, NotRequired, TypedDict, cast

import httpx

DECISIONS = "/api/v1/feed/decisions"
EVENTS = "/api/v1/events"
MAX_BATCH = 1_000  # what POST /api/v1/events takes at once

EventStatus = Literal["accepted", "duplicate", "rejected"]


class ViewerJson(TypedDict):
    """The viewer of POST /api/v1/feed/decisions (docs: /docs, ViewerIn)."""

    viewer_id: str
    country: str
    region: NotRequired[str | None]
    age: NotRequired[int | None]
    gender: NotRequired[str | None]  # MALE or FEMALE
    language: NotRequired[str | None]
    device: NotRequired[dict[str, object]]
    interests: NotRequired[list[str]]
    behaviours: NotRequired[list[dict[str, object]]]


@dataclass(frozen=True)
class Decision:
    decision_id: str
    token: str
    ad_id: str
    adgroup_id: str
    item_id: str
    sponsored: bool
    label: str
    creative: Mapping[str, object]


class _DecisionsJson(TypedDict):
    """The answer of POST /api/v1/feed/decisions, as the server sends it."""

    decisions: list[dict[str, object]]
    snapshot_version: int


class _EventResultJson(TypedDict):
    index: int
    status: EventStatus
    reason: NotRequired[str | None]
    billed: NotRequired[int]
    detail: NotRequired[str | None]


class _EventsJson(TypedDict):
    """The answer of POST /api/v1/feed/events, as the server sends it."""

    accepted: int
    duplicates: int
    rejected: int
    results: list[_EventResultJson]


@dataclass(frozen=True)
class Decisions:
    decisions: tuple[Decision, ...]
    snapshot_version: int


@dataclass(frozen=True)
class Event:
    token: str
    type: str
    occurred_at: datetime | None = None
    # a conversion may name the ad account's pixel (code or id) that received it and its event
    pixel_code: str | None = None
    event: str | None = None

    def to_json(self) -> dict[str, str]:
        body = {"token": self.token, "type": self.type}
        if self.occurred_at is not None:
            if self.occurred_at.tzinfo is None:
                raise ValueError("occurred_at needs a timezone (e.g. datetime.now(UTC))")
            body["occurred_at"] = self.occurred_at.isoformat()
        for name, value in (("pixel_code", self.pixel_code), ("event", self.event)):
            if value is not None:  # the server refuses one without the other
                body[name] = value
        return body


@dataclass(frozen=True)
class EventResult:
    index: int
    status: EventStatus
    reason: str | None
    billed: int
    detail: str | None = None  # what is wrong with a malformed event (reason invalid_event)


@dataclass(frozen=True)
class EventsOutcome:
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    results: tuple[EventResult, ...] = ()

    @classmethod
    def of_batches(
        cls, batches: Sequence[Sequence[Event]], answers: Sequence[EventsOutcome]
    ) -> EventsOutcome:
        """The batches' answers as one outcome, indexed over all the events sent."""
        outcome, offset = cls(), 0
        for batch, answered in zip(batches, answers, strict=True):
            outcome = outcome.merged(answered, offset)
            offset += len(batch)
        return outcome

    def merged(self, other: EventsOutcome, offset: int) -> EventsOutcome:
        """This outcome followed by another batch's, whose indexes start at `offset`."""
        shifted = tuple(replace(r, index=r.index + offset) for r in other.results)
        return EventsOutcome(
            self.accepted + other.accepted,
            self.duplicates + other.duplicates,
            self.rejected + other.rejected,
            self.results + shifted,
        )


class ClientError(Exception):
    """The server refused the request: its HTTP status and error (code, message, cause,
    solution), in the language asked for."""

    def __init__(self, status: int, code: str, message: str, cause: str = "", solution: str = ""):
        super().__init__(f"{code}: {message}" + (f" ({solution})" if solution else ""))
        self.status, self.code, self.message = status, code, message
        self.cause, self.solution = cause, solution


class UnavailableError(ClientError):
    """No answer after every retry: the network or the server is down, or too busy."""


@dataclass(frozen=True)
class RetryPolicy:
    """Up to `attempts` tries; waits double from `base` up to `cap` seconds, jittered (half to
    full), or what the server's Retry-After says."""

    attempts: int = 4
    base: float = 0.25
    cap: float = 8.0
    random: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int, response: httpx.Response | None) -> float:
        after = retry_after(response) if response is not None else None
        if after is not None:
            return min(after, self.cap)
        ceiling = min(self.cap, self.base * float(2 ** (attempt - 1)))
        return ceiling / 2 + self.random.random() * ceiling / 2


RETRIABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def retriable(response: httpx.Response) -> bool:
    return response.status_code in RETRIABLE_STATUSES


def retry_after(response: httpx.Response) -> float | None:
    raw = response.headers.get("retry-after")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    date = response.headers.get("date")
    now = parsedate_to_datetime(date) if date else None
    return max(0.0, (moment - now).total_seconds()) if now else None


class Attempts:
    """The retry loop both clients run, without the I/O: after each failed POST (an answer that
    is not a success, or no answer) it says how long to wait before the next try, or raises the
    error to give up with. A request that is not idempotent is retried only when it cannot have
    reached the server (connection refused) or the server says to (429, 503)."""

    def __init__(self, retry: RetryPolicy, *, idempotent: bool) -> None:
        self.retry, self.idempotent, self.attempt = retry, idempotent, 1

    def pause_after(self, outcome: httpx.Response | httpx.TransportError) -> float:
        last: httpx.Response | None = None
        if isinstance(outcome, httpx.Response):
            if not retriable(outcome) or (
                not self.idempotent and outcome.status_code not in (429, 503)
            ):
                raise error_of(outcome)
            last = outcome
        elif not self.idempotent and not isinstance(
            outcome, httpx.ConnectError | httpx.ConnectTimeout
        ):
            raise _unreachable(outcome) from outcome
        if self.attempt < self.retry.attempts:
            self.attempt += 1
            return self.retry.delay(self.attempt - 1, last)
        if isinstance(outcome, httpx.Response):
            raise error_of(outcome, UnavailableError)
        raise _unreachable(outcome)


def _unreachable(error: Exception) -> UnavailableError:
    return UnavailableError(0, "unreachable", str(error) or type(error).__name__)


def decisions_body(viewer: ViewerJson | Mapping[str, object], slots: int) -> dict[str, object]:
    return {"viewer": dict(viewer), "slots": slots}


def events_body(events: Sequence[Event]) -> dict[str, object]:
    return {"events": [event.to_json() for event in events]}


def batches(events: Sequence[Event]) -> list[Sequence[Event]]:
    return [events[start : start + MAX_BATCH] for start in range(0, len(events), MAX_BATCH)]


def error_of(response: httpx.Response, kind: type[ClientError] = ClientError) -> ClientError:
    try:
        body = response.json()
    except ValueError:
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return kind(response.status_code, "http_error", f"HTTP {response.status_code}")
    return kind(
        response.status_code,
        str(error.get("code", "http_error")),
        str(error.get("message", "")),
        str(error.get("cause", "")),
        str(error.get("solution", "")),
    )


def parse_decisions(response: httpx.Response) -> Decisions:
    body = cast(_DecisionsJson, response.json())
    return Decisions(
        decisions=tuple(
            Decision(
                decision_id=str(d["decision_id"]),
                token=str(d["token"]),
                ad_id=str(d["ad_id"]),
                adgroup_id=str(d["adgroup_id"]),
                item_id=str(d["item_id"]),
                sponsored=bool(d["sponsored"]),
                label=str(d["label"]),
                creative=cast(Mapping[str, object], d["creative"]),
            )
            for d in body["decisions"]
        ),
        snapshot_version=int(body["snapshot_version"]),
    )


def parse_events(response: httpx.Response) -> EventsOutcome:
    body = cast(_EventsJson, response.json())
    return EventsOutcome(
        accepted=int(body["accepted"]),
        duplicates=int(body["duplicates"]),
        rejected=int(body["rejected"]),
        results=tuple(
            EventResult(
                int(r["index"]),
                r["status"],
                r.get("reason"),
                int(r.get("billed", 0)),
                r.get("detail"),
            )
            for r in body["results"]
        ),
    )


def headers(token: str, language: str | None) -> dict[str, str]:
    made = {"Authorization": f"Bearer {token}", "User-Agent": "sparkads-client"}
    if language:
        made["Accept-Language"] = language
    return made
