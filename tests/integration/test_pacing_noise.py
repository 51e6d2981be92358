"""Pacing of click and conversion groups where counting noise allows ±15 % per hour (issue 19
item 4), on the benchmark's simulated day (`bench/pacing_hours.py`) at 100k requests.

An hour planned to hold λ clicks or conversions varies by about 1/√λ of its plan (more with a mix
of prices: `pacing_day.hour_noise`) for a pacer that sets exactly the right probability: at
200k requests the competing groups plan at most 22–30 events an hour (noise ≥ 27 %), so ±15 %
cannot be asked of them there. Here the same competition is made denser (`denser`: click rate
× k, bid ÷ k, the same eCPM and spend per impression, k times the events), so that an hour
holds as many events as k times the traffic would give, in a few seconds of simulation."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the checkout's bench/ package

from bench.pacing_hours import ALLOWED, Hours, outside, rms_sigmas, run

REQUESTS = 100_000


def _hours(group: Hours) -> list[tuple[int, float, float]]:
    """(hour, deviation %, noise %) of the hours whose counting noise is at most 15 %."""
    return [
        (hour, pct, noise)
        for hour, (pct, noise) in enumerate(
            zip(group["hourly_deviation_pct"], group["hourly_noise_pct"], strict=True)
        )
        if noise <= ALLOWED
    ]


@pytest.mark.parametrize(
    ("scenario", "times", "paced"),
    [
        ("CPC alone", 1, "cpc"),
        ("CPA alone", 10, "cpa"),
        ("3 competing", 20, "cpc"),
        ("CPA competing", 20, "cpa"),
    ],
)
def test_click_and_conversion_groups_hold_every_hour_the_noise_allows(
    scenario: str, times: int, paced: str
) -> None:
    """Every hour of a CPC or CPA group whose counting noise is ≤ 15 % is within ±15 % of its
    plan (there are at least 8 such hours); every group spends ≥ 95 % and overspends ≤ 1 event,
    and the CPM groups it competes with stay within ±15 % or 3.5σ of noise."""
    day = run(scenario, REQUESTS, seed=3, times=times)
    for adgroup_id, group in day["groups"].items():
        assert group["spent_share"] >= 0.95, adgroup_id
        assert group["overspend_events"] <= 1, adgroup_id
        assert outside(group, 3.5) == [], adgroup_id
    hours = _hours(day["groups"][paced])
    assert len(hours) >= 8, hours
    assert [(hour, pct) for hour, pct, _ in hours if abs(pct) > 15] == []


def test_an_ideal_pacer_misses_some_of_those_hours_by_counting_noise() -> None:
    """The noise is real: the CPC group alone paced by the right probability, known in advance,
    without gate or control (`IdealCounters`), misses ±15 % in some hours of noise ≤ 15 % and
    deviates by about one σ of `hour_noise` on average, where the controller holds them all."""
    group = run("CPC alone", REQUESTS, seed=3, law="ideal")["groups"]["cpc"]
    hours = _hours(group)
    assert len(hours) >= 8
    assert [hour for hour, pct, _ in hours if abs(pct) > 15] != []
    assert 0.7 <= rms_sigmas([group]) <= 1.5
