"""Local days and hours of the advertiser's timezone, from exact instants (pure: no database).

Reports label a period by the local time of each event's exact instant, so zones whose offset is
not a whole number of hours (Asia/Kolkata +05:30, Asia/Kathmandu +05:45, Australia/Adelaide
+09:30/+10:30) put every event in its own local hour and day. Where clocks go back, the repeated
local hour is one period (its label can only name it once); where they jump forward, the missing
hour has no period."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from sparkads.clock import as_utc

HOUR_FORMAT = "%Y-%m-%d %H"  # how `rollup_ad_hour.hour` keys a local hour


def local_hour(moment: datetime, zone: ZoneInfo) -> str:
    """'YYYY-MM-DD HH' of the local hour the instant falls in."""
    return as_utc(moment).astimezone(zone).strftime(HOUR_FORMAT)


def local_day(moment: datetime, zone: ZoneInfo) -> str:
    """'YYYY-MM-DD' of the local day the instant falls in."""
    return as_utc(moment).astimezone(zone).date().isoformat()


def local_hour_and_day(moment: datetime, zone: ZoneInfo) -> tuple[str, str]:
    """`local_hour` and `local_day` at once (one timezone conversion)."""
    local = as_utc(moment).astimezone(zone)
    return local.strftime(HOUR_FORMAT), local.date().isoformat()


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """The first instant (UTC) of a local day; where midnight does not exist, the jump."""
    return datetime.combine(day, time.min, zone).astimezone(UTC)


def window(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) in UTC of local days first..last, both included."""
    return day_start(first, zone), day_start(last + timedelta(days=1), zone)


def segments(
    start: datetime, end: datetime, zone: ZoneInfo, hourly: bool
) -> list[tuple[datetime, str]]:
    """Consecutive periods covering [start, end): (first UTC instant, label), one per local day
    ('YYYY-MM-DD') or local hour ('YYYY-MM-DD HH'), labelled as `local_day` / `local_hour` label
    each instant in them, so a query bucketing events by these bounds agrees with the rollups."""
    start, end = as_utc(start), as_utc(end)
    step = timedelta(hours=1) if hourly else timedelta(days=1)
    label = local_hour if hourly else local_day
    local = start.astimezone(zone).replace(tzinfo=None)
    boundary = local.replace(minute=0, second=0, microsecond=0)
    if not hourly:
        boundary = boundary.replace(hour=0)
    # A label can only change where local time crosses a boundary: at each boundary's instant
    # before (fold 0) or after (fold 1) a clock change.
    instants = {start}
    limit = end.astimezone(zone).replace(tzinfo=None) + step
    while boundary <= limit:
        for fold in (0, 1):
            instant = boundary.replace(tzinfo=zone, fold=fold).astimezone(UTC)
            if start < instant < end:
                instants.add(instant)
        boundary += step
    instants |= _clock_changes(sorted(instants), end, zone)
    found: list[tuple[datetime, str]] = []
    for instant in sorted(instants):
        name = label(instant, zone)
        if not found or found[-1][1] != name:
            found.append((instant, name))
    return found


def _clock_changes(instants: list[datetime], end: datetime, zone: ZoneInfo) -> set[datetime]:
    """Instants (to the second) where the offset changes between consecutive candidates: a jump
    of the clock can skip a boundary (e.g. 01:45 -> 02:15) and still change the label."""
    found = set()
    for low, high in zip(instants, [*instants[1:], end], strict=True):
        before = _offset(low, zone)
        if before == _offset(high, zone):
            continue
        first, last = math.floor(low.timestamp()), math.ceil(high.timestamp())
        while last - first > 1:  # the offset is `before` at `first`, not at `last`
            middle = (first + last) // 2
            if _offset(datetime.fromtimestamp(middle, UTC), zone) == before:
                first = middle
            else:
                last = middle
        found.add(datetime.fromtimestamp(last, UTC))
    return found


def _offset(instant: datetime, zone: ZoneInfo) -> timedelta | None:
    return instant.astimezone(zone).utcoffset()


def offset_spans(
    start: datetime, end: datetime, zone: ZoneInfo, step: timedelta = timedelta(hours=6)
) -> list[tuple[datetime, datetime, int]]:
    """[start, end) in UTC cut where the zone's offset changes: (first instant, end, offset in
    seconds) each, so a database can label instants with local hours by adding the offset
    (`rollups.refresh`). Changes are found by sampling every `step` (clock changes are months
    apart) and bisecting to the second, as in `segments`."""
    start, end = as_utc(start), as_utc(end)
    samples = [start]
    while samples[-1] + step < end:
        samples.append(samples[-1] + step)
    changes = sorted(_clock_changes(samples, end, zone))
    bounds = [start, *changes, end]
    return [
        (low, high, int((_offset(low, zone) or timedelta()).total_seconds()))
        for low, high in pairwise(bounds)
        if low < high
    ]
