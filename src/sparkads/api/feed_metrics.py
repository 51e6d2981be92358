"""The feed path's metrics (decisions, fill, latency, events by status): defined once per process
and recorded by the handlers through pre-bound children; rendered by `api/metrics.py`."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

from sparkads.events.kinds import EventStatus

LATENCY_BUCKETS = (
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0,
)  # fmt: skip

# Process-wide (prometheus-client keeps values per process, or per worker file in multiprocess
# mode); registered in each app's registry, never in the global default one.
DECISIONS = Counter(
    "sparkads_decision_requests",
    "Feed decision requests answered, by whether at least one slot was filled.",
    ["filled"],
    registry=None,
)
SLOTS = Counter(
    "sparkads_decision_slots",
    "Sponsored slots asked for and filled (fill rate = filled / requested).",
    ["outcome"],
    registry=None,
)
DECISION_SECONDS = Histogram(
    "sparkads_decision_seconds",
    "Time in the decision handler (decide and traffic record), seconds.",
    buckets=LATENCY_BUCKETS,
    registry=None,
)
EVENTS = Counter(
    "sparkads_events",
    "Feed events received, by status (accepted, duplicate, rejected).",
    ["status"],
    registry=None,
)
EVENT_BATCH_SECONDS = Histogram(
    "sparkads_event_batch_seconds",
    "Time to verify, bill and store one event batch, seconds.",
    buckets=LATENCY_BUCKETS,
    registry=None,
)
PROCESS_METRICS = (DECISIONS, SLOTS, DECISION_SECONDS, EVENTS, EVENT_BATCH_SECONDS)


class FeedMetrics:
    """What the feed handlers record; None on the context when metrics are off."""

    def __init__(self) -> None:
        self._filled, self._unfilled = DECISIONS.labels("yes"), DECISIONS.labels("no")
        self._requested, self._served = SLOTS.labels("requested"), SLOTS.labels("filled")
        self._latency = DECISION_SECONDS
        self._events = {status: EVENTS.labels(status) for status in EVENT_STATUSES}
        self._batch = EVENT_BATCH_SECONDS

    def decided(self, slots: int, filled: int, seconds: float) -> None:
        (self._filled if filled else self._unfilled).inc()
        self._requested.inc(slots)
        if filled:
            self._served.inc(filled)
        self._latency.observe(seconds)

    def events(self, statuses: list[EventStatus], seconds: float) -> None:
        counts = dict.fromkeys(EVENT_STATUSES, 0)
        for status in statuses:
            counts[status] += 1
        for status, count in counts.items():
            if count:
                self._events[status].inc(count)
        self._batch.observe(seconds)


EVENT_STATUSES = tuple(EventStatus)
