"""The offset spans the set-based fold labels local hours with (`periods.offset_spans`): cut
exactly where a zone's clock changes, and labelling every instant as `local_hour` does."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sparkads.reporting.periods import HOUR_FORMAT, local_hour, offset_spans


@pytest.mark.parametrize(
    ("zone", "change"),
    [
        ("Europe/Paris", datetime(2026, 10, 25, 1, 0, tzinfo=UTC)),  # CEST → CET
        ("Australia/Adelaide", datetime(2026, 10, 3, 16, 30, tzinfo=UTC)),  # +09:30 → +10:30
    ],
)
def test_spans_are_cut_at_the_clock_change_to_the_second(zone: str, change: datetime) -> None:
    start, end = change - timedelta(days=3), change + timedelta(days=2)
    spans = offset_spans(start, end, ZoneInfo(zone))
    assert [s[0] for s in spans] == [start, change]
    assert spans[0][1] == change
    assert spans[1][1] == end
    assert abs(spans[1][2] - spans[0][2]) == 3600  # an hour back (Paris) or ahead (Adelaide)


@pytest.mark.parametrize("zone", ["Asia/Kathmandu", "Europe/Paris", "America/St_Johns", "UTC"])
def test_every_instant_gets_the_label_of_local_hour(zone: str) -> None:
    tz, rng = ZoneInfo(zone), random.Random(5)
    start = datetime(2026, 3, 1, tzinfo=UTC)
    end = start + timedelta(days=300)
    spans = offset_spans(start, end, tz)
    for _ in range(2_000):
        moment = start + timedelta(seconds=rng.randrange(int((end - start).total_seconds())))
        [seconds] = [s for first, last, s in spans if first <= moment < last]
        shifted = (moment + timedelta(seconds=seconds)).replace(tzinfo=None)
        assert shifted.strftime(HOUR_FORMAT) == local_hour(moment, tz)
