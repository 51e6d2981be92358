"""Throttles on what can be guessed: sign-in, Spark code authorize and `tt_video/info/`.

Failed attempts are counted per account and per client address in a moving window, with the
`limits` library: in the process by default, or shared by every `serve` process through Redis when
`SPARKADS_REDIS_URL` is set, so adding processes does not multiply what a guesser may try. Only
failures count: people who sign in or paste valid codes are never slowed down. A key over its
limit is refused (`too_many_attempts`, 429 / 40100 with Retry-After) before anything is checked,
so a guesser learns nothing more until the window moves on."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from sparkads.errors import SparkadsError


@dataclass(frozen=True)
class Rule:
    """At most `per_account` failures per account and `per_address` per address in `minutes`."""

    per_account: int
    per_address: int
    minutes: int

    def items(self) -> tuple[RateLimitItem, RateLimitItem]:
        return (
            RateLimitItemPerMinute(self.per_account, self.minutes),
            RateLimitItemPerMinute(self.per_address, self.minutes),
        )


RULES = {
    "sign-in": Rule(per_account=10, per_address=30, minutes=15),
    "code": Rule(per_account=30, per_address=60, minutes=10),
}


class Throttles:
    def __init__(self, redis_url: str = "", rules: dict[str, Rule] | None = None) -> None:
        storage = (
            storage_from_string(redis_url, key_prefix="sparkads-throttle")
            if redis_url
            else storage_from_string("memory://")
        )
        self.limiter = MovingWindowRateLimiter(storage)
        self.rules = rules or RULES

    def _keys(self, action: str, account: str, address: str) -> list[tuple[RateLimitItem, str]]:
        per_account, per_address = self.rules[action].items()
        keys = [(per_address, f"{action}:address:{address}")]
        if account:
            keys.append((per_account, f"{action}:account:{account}"))
        return keys

    def check(self, action: str, *, account: str = "", address: str) -> None:
        """Refuse at once if the account or the address used up its failures."""
        for item, key in self._keys(action, account, address):
            if not self.limiter.test(item, key):
                reset = self.limiter.get_window_stats(item, key).reset_time
                raise SparkadsError(
                    "too_many_attempts",
                    action=action,
                    retry_after=max(1, int(reset - time.time()) + 1),
                    limit=item.amount,
                    window=item.get_expiry(),
                )

    def fail(self, action: str, *, account: str = "", address: str) -> None:
        for item, key in self._keys(action, account, address):
            self.limiter.hit(item, key)

    @contextmanager
    def guard(self, action: str, *, account: str = "", address: str) -> Iterator[None]:
        """Check before, count a failure if the block raises a SparkadsError (other than the
        throttle's own)."""
        self.check(action, account=account, address=address)
        try:
            yield
        except SparkadsError as error:
            if error.code != "too_many_attempts" and error.spec.family.value != "rate_limited":
                self.fail(action, account=account, address=address)
            raise
