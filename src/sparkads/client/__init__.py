"""A client for a sparkads feed, for server-side feeds and scripts: decisions and events over HTTP
with retries (events are idempotent: the server counts one per decision and type, so a retry after
an unanswered request never counts twice), typed answers, sync (`FeedClient`) and async
(`AsyncFeedClient`). It depends on httpx only and imports nothing else of sparkads.

    with FeedClient("http://127.0.0.1:8000", feed_token) as feed:
        for decision in feed.decide({"viewer_id": "v1", "country": "FR"}).decisions:
            feed.send([Event(decision.token, "impression")])
"""

from sparkads.client.aio import AsyncFeedClient
from sparkads.client.core import (
    ClientError,
    Decision,
    Decisions,
    Event,
    EventResult,
    EventsOutcome,
    RetryPolicy,
    UnavailableError,
    ViewerJson,
)
from sparkads.client.sync import FeedClient

__all__ = [
    "AsyncFeedClient",
    "ClientError",
    "Decision",
    "Decisions",
    "Event",
    "EventResult",
    "EventsOutcome",
    "FeedClient",
    "RetryPolicy",
    "UnavailableError",
    "ViewerJson",
]
