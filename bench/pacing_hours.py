"""Pacing per hour where counting noise allows ±15 % (issue 19 item 4): the pacing day
(`bench.pacing_day.simulate`) at a given number of requests and seeds, one JSON line per
(scenario, seed) on stdout, and per ad group a summary of its hours by counting noise.

    python -m bench.pacing_hours --requests 1000000 --seeds 3,4,5 --scenarios "3 competing"
    python -m bench.pacing_hours --summary FILE...   # tables from saved JSON lines

An hour's counting noise is √(λ·E[c²]) for λ billable events planned at the day's cost mix
(`pacing_day.hour_noise`): the spread of its spend around the plan for a pacer that sets exactly
the right probability and then leaves each event to chance. ±15 % is *allowed* by the noise
where it is at least one standard deviation (noise ≤ 15 %, `ALLOWED`), and comfortably where it
is two (noise ≤ 7.5 %, `COMFORTABLE`: such a pacer holds it in ≥ 95 % of those hours); a
controller that rides its gate follows the plan closer than the noise and holds more.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypedDict
from unittest import mock

from bench import pacing_day
from bench.pacing_day import SCENARIOS, Plan, simulate
from sparkads.delivery import engine, pacing
from sparkads.delivery.counters import MemoryCounters

COMFORTABLE, ALLOWED = 7.5, 15.0  # noise per hour, % of the plan: ±15 % is ≥ 2σ, ≥ 1σ


class Hours(TypedDict):
    """What `run` keeps of an ad group's day (`pacing_day.simulate`'s keys)."""

    billing: str
    spent_share: float
    overspend_events: float
    billed_events: int
    hourly_deviation_pct: list[float]
    hourly_noise_pct: list[float]
    hourly_deviation_sigmas: list[float]


class Day(TypedDict):
    """One line of `run`'s output."""

    scenario: str
    requests: int
    seed: int
    law: str
    times: int
    cpu_s: float
    groups: dict[str, Hours]


def denser(plans: Sequence[Plan], times: int) -> tuple[Plan, ...]:
    """The same competition with `times` as many billable events: a CPC or CPA group's click
    rate × `times` and its bid ÷ `times`, so its eCPM, what it wins and what it spends per
    impression are as before, but each click or conversion costs `times` less. An hour then
    plans as many events as `times` × the traffic would give, at the cost of the traffic as is."""
    return tuple(
        p if p.billing == "CPM" else replace(p, ctr=p.ctr * times, bid=p.bid // times)
        for p in plans
    )


class IdealCounters(MemoryCounters):
    """An ideal pacer for an ad group alone: the probability its budget needs, known in advance
    (alone it wins every request it enters and pays the reserve per impression on average, so
    budget ÷ (requests × reserve per impression), the same every hour), no gate, no control. Its
    hours vary by counting noise alone: the check of `pacing_day.hour_noise`."""

    def __init__(self, probability: float) -> None:
        super().__init__()
        self.probability = probability

    def pacing_probability(self, adgroup_id: str) -> float:
        return self.probability

    def control_pacing(self, adgroup_id: str, reading: pacing.PacingInput) -> None:
        return None


def ideal(plans: Sequence[Plan], requests: int, seed: int) -> dict[str, Any]:
    """`plans` (one ad group) paced by `IdealCounters`; what `pacing_day.simulate` returns."""
    (plan,) = plans
    probability = plan.budget / (pacing_day.FULL_DAY_REQUESTS * engine.DEFAULT_RESERVE_ECPM / 1000)
    counters = IdealCounters(min(1.0, probability))
    with mock.patch.object(pacing, "may_spend", return_value=True):
        return pacing_day._simulate(tuple(plans), requests, seed, counters)


def run(scenario: str, requests: int, seed: int, law: str = "current", times: int = 1) -> Day:
    """One day of `scenario` paced by `law`: "current", "bid" (the bid-sized law) or "ideal"
    (`ideal`); `times`: events `denser`."""
    plans = denser(SCENARIOS[scenario], times)
    before = resource.getrusage(resource.RUSAGE_SELF)
    bid_law = law == "bid"
    day = (
        ideal(plans, requests, seed) if law == "ideal" else simulate(plans, requests, seed, bid_law)
    )
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    groups = {
        adgroup_id: Hours(
            billing=g["billing"],
            spent_share=g["spent_share"],
            overspend_events=g["overspend_events"],
            billed_events=g["billed_events"],
            hourly_deviation_pct=g["hourly_deviation_pct"],
            hourly_noise_pct=g["hourly_noise_pct"],
            hourly_deviation_sigmas=g["hourly_deviation_sigmas"],
        )
        for adgroup_id, g in day["groups"].items()
    }
    return Day(
        scenario=scenario,
        requests=requests,
        seed=seed,
        law=law,
        times=times,
        cpu_s=round(cpu, 1),
        groups=groups,
    )


def held(rows: Iterable[Hours], below: float, above: float = 0.0) -> tuple[int, int]:
    """Hours held within ±15 % over hours whose noise is in (`above`, `below`] %, every group
    and day of `rows` (`run`'s groups)."""
    kept = total = 0
    for g in rows:
        for pct, noise in zip(g["hourly_deviation_pct"], g["hourly_noise_pct"], strict=True):
            if above < noise <= below:
                total += 1
                kept += abs(pct) <= 15
    return kept, total


def outside(group: Hours, sigmas: float) -> list[tuple[int, float, float]]:
    """(hour, deviation %, σ) of the group's hours off ±15 % by more than `sigmas` of noise."""
    return [
        (hour, pct, z)
        for hour, (pct, z) in enumerate(
            zip(group["hourly_deviation_pct"], group["hourly_deviation_sigmas"], strict=True)
        )
        if abs(pct) > 15 and abs(z) > sigmas
    ]


def rms_sigmas(groups: Iterable[Hours]) -> float:
    """Root mean square of the hours' deviations in σ of counting noise (about 1 for a pacer
    that sets the right probability and leaves each event to chance); hours with the budget
    gone (-100 %) are not counting noise and are left out."""
    zs = [
        z
        for g in groups
        for z, pct in zip(g["hourly_deviation_sigmas"], g["hourly_deviation_pct"], strict=True)
        if pct > -100
    ]
    return (sum(z * z for z in zs) / len(zs)) ** 0.5 if zs else 0.0


def summary(days: Sequence[Day]) -> list[str]:
    """One line per (scenario, requests, law, ad group): hours held among those the noise
    allows, within reach and beyond; the worst allowed hour; spend and overspend."""
    lines: list[str] = []
    keys = sorted({_key(d) for d in days})
    for scenario, requests, law, times in keys:
        same = [d for d in days if _key(d) == (scenario, requests, law, times)]
        for adgroup_id in same[0]["groups"]:
            groups = [d["groups"][adgroup_id] for d in same]
            allowed = held(groups, COMFORTABLE)
            reach = held(groups, ALLOWED, COMFORTABLE)
            rest, far = held(groups, 2 * ALLOWED, ALLOWED), held(groups, 1e9, 2 * ALLOWED)
            worst = max(
                (
                    abs(pct)
                    for g in groups
                    for pct, n in zip(g["hourly_deviation_pct"], g["hourly_noise_pct"], strict=True)
                    if n <= ALLOWED and pct > -100
                ),
                default=0.0,
            )
            rms = rms_sigmas(groups)
            lines.append(
                f"{scenario} {requests:,} {law}{f' ×{times}' if times > 1 else ''} {adgroup_id}: seeds "
                f"{','.join(str(d['seed']) for d in same)}; "
                f"events/day {min(g['billed_events'] for g in groups):,}–"
                f"{max(g['billed_events'] for g in groups):,}; held ±15 %: noise ≤ 7.5 % "
                f"{allowed[0]}/{allowed[1]}, 7.5–15 % {reach[0]}/{reach[1]}, 15–30 % "
                f"{rest[0]}/{rest[1]}, > 30 % {far[0]}/{far[1]}; worst hour of noise ≤ 15 %: {worst:.1f} %; "
                f"rms σ {rms:.2f}; spent {min(g['spent_share'] for g in groups) * 100:.2f} %+; "
                f"overspend ≤ {max(g['overspend_events'] for g in groups):.2f} ev.; "
                f"cpu {sum(d['cpu_s'] for d in same):.0f} s"
            )
    return lines


def _key(day: Day) -> tuple[str, int, str, int]:
    return day["scenario"], day["requests"], day.get("law", "current"), day.get("times", 1)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--seeds", default="3,4,5")
    parser.add_argument("--scenarios", default="CPC alone,3 competing,CPA alone,CPA competing")
    parser.add_argument("--law", default="current", choices=("current", "bid", "ideal"))
    parser.add_argument("--times", type=int, default=1, help="events denser (`denser`)")
    parser.add_argument("--summary", nargs="*", help="tables from saved JSON lines instead")
    args = parser.parse_args(argv)
    if args.summary is not None:
        days = [
            json.loads(line)
            for path in args.summary
            for line in Path(path).read_text().splitlines()
            if line.strip()
        ]
        print("\n".join(summary(days)))
        return
    for scenario in args.scenarios.split(","):
        for seed in (int(s) for s in args.seeds.split(",")):
            print(json.dumps(run(scenario, args.requests, seed, args.law, args.times)), flush=True)
            print(f"done {scenario} seed {seed}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
