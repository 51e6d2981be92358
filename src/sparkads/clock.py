"""Time, injected. Production uses the system clock; the sandbox uses a test clock that moves only
when told to. Everything time-based takes a Clock instead of calling datetime.now()."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """Current instant, timezone-aware UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class TestClock:
    """A clock that starts at a given instant (or the real now) and moves only by `advance`."""

    __test__ = False  # not a pytest test class

    def __init__(self, start: datetime | None = None) -> None:
        self._now = (start or datetime.now(UTC)).astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError("a test clock only moves forward")
        with self._lock:
            self._now += delta
            return self._now


def as_utc(moment: datetime) -> datetime:
    """Databases such as SQLite drop tzinfo; every datetime read back is UTC by convention."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def format_tiktok_time(moment: datetime) -> str:
    """TikTok v1.3 wire format: 'YYYY-MM-DD HH:MM:SS' in UTC."""
    return as_utc(moment).strftime("%Y-%m-%d %H:%M:%S")


def format_rfc3339(moment: datetime) -> str:
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")
