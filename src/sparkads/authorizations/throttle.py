"""Throttling of failed Spark code attempts per advertiser (pure, clock passed in).

Codes carry 130 bits, so guessing is hopeless anyway; the throttle stops scripts that hammer the
endpoint and tells a human who keeps pasting the wrong thing to slow down (TikTok's 40100)."""

from __future__ import annotations

import threading
from collections import deque
from datetime import datetime, timedelta


class FailureThrottle:
    def __init__(self, max_failures: int, window: timedelta) -> None:
        self.max_failures = max_failures
        self.window = window
        self._failures: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: datetime) -> deque[datetime]:
        stamps = self._failures.setdefault(key, deque())
        while stamps and stamps[0] <= now - self.window:
            stamps.popleft()
        return stamps

    def retry_after(self, key: str, now: datetime) -> int:
        """Seconds until `key` may try again; 0 when it is not throttled."""
        with self._lock:
            stamps = self._recent(key, now)
            if len(stamps) < self.max_failures:
                return 0
            return max(1, int((stamps[0] + self.window - now).total_seconds()) + 1)

    def fail(self, key: str, now: datetime) -> None:
        with self._lock:
            self._recent(key, now).append(now)
