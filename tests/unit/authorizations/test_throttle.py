from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sparkads.authorizations.throttle import FailureThrottle

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_throttle_blocks_after_max_failures_within_window() -> None:
    throttle = FailureThrottle(3, timedelta(minutes=10))
    for second in range(3):
        assert throttle.retry_after("adv", T0 + timedelta(seconds=second)) == 0
        throttle.fail("adv", T0 + timedelta(seconds=second))
    assert throttle.retry_after("adv", T0 + timedelta(seconds=3)) == 598


def test_throttle_releases_once_failures_leave_the_window() -> None:
    throttle = FailureThrottle(2, timedelta(minutes=1))
    throttle.fail("adv", T0)
    throttle.fail("adv", T0)
    assert throttle.retry_after("adv", T0 + timedelta(seconds=61)) == 0


def test_throttle_is_per_key() -> None:
    throttle = FailureThrottle(1, timedelta(minutes=1))
    throttle.fail("a", T0)
    assert throttle.retry_after("b", T0) == 0
