"""Local periods and attribute amounts: pure functions, no database."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sparkads.reporting.attributes import amount
from sparkads.reporting.periods import local_day, local_hour, segments, window

# offsets that are not whole hours, clock changes by one hour and by half an hour, a change at
# midnight, and zones without any
ZONES = (
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Adelaide",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/St_Johns",
    "America/Santiago",
    "Europe/Paris",
    "UTC",
)
DAYS = (date(2026, 4, 5), date(2026, 9, 6), date(2026, 10, 4), date(2026, 10, 25))


def _minute_by_minute(
    start: datetime, end: datetime, zone: ZoneInfo, hourly: bool
) -> list[tuple[datetime, str]]:
    label = local_hour if hourly else local_day
    found: list[tuple[datetime, str]] = []
    moment = start
    while moment < end:
        name = label(moment, zone)
        if not found or found[-1][1] != name:
            found.append((moment, name))
        moment += timedelta(minutes=1)
    return found


@pytest.mark.parametrize("name", ZONES)
def test_hour_bounds_match_the_local_hour_of_every_minute(name: str) -> None:
    zone = ZoneInfo(name)
    for day in DAYS:
        start, end = window(day, day, zone)
        assert segments(start, end, zone, hourly=True) == _minute_by_minute(
            start, end, zone, hourly=True
        ), day


@pytest.mark.parametrize("name", ZONES)
def test_day_bounds_match_the_local_day_of_every_minute(name: str) -> None:
    zone = ZoneInfo(name)
    start, end = window(date(2026, 9, 20), date(2026, 10, 10), zone)
    assert segments(start, end, zone, hourly=False) == _minute_by_minute(
        start, end, zone, hourly=False
    )


def test_repeated_hour_is_one_period() -> None:
    paris = ZoneInfo("Europe/Paris")
    start, end = window(date(2026, 10, 25), date(2026, 10, 25), paris)
    hours = [label for _, label in segments(start, end, paris, hourly=True)]
    assert len(hours) == 24  # 25 hours long, 02:00 twice
    assert hours[2] == "2026-10-25 02"


@pytest.mark.parametrize(
    ("micros", "shown"),
    [(50_000_000, "50.00"), (500_000, "0.50"), (55_000, "0.055"), (None, None)],
)
def test_amounts_keep_two_decimals_or_more_when_they_have_more(
    micros: int | None, shown: str | None
) -> None:
    assert amount(micros) == shown
