"""Benchmark 4: pacing quality over one simulated day.

Ad groups with a daily budget and SMOOTH pacing, all targeting the same viewers, face a day of
requests shaped by `sparkads.delivery.pacing.HOURLY_TRAFFIC` (local time of the advertiser). The
clock moves with every request; `decide()` runs for each, and what it serves is billed through
`MemoryCounters.try_bill` on the engine's own `budget_lines`, at the price the events service would
bill (`cost_per_event`): CPM per impression, CPC per click (a share of impressions, drawn at the ad's
click rate), CPA (OCPM with a conversion goal: a target cost per conversion, billed per conversion,
a share of clicks drawn at the ad's conversion rate). Billing happens a little after the decision
(impressions ~2 s, clicks ~20 s, conversions ~60 s later), as events arrive from a feed; ad
statistics are fed back like the events endpoint does. The run starts at 20:00 the day before
(not measured), so the pacing controller enters the day warm.

Reported per ad group: share of the budget spent, overspend (micros over budget, and in events),
events served but refused for want of budget, and the deviation of each local hour's spend from
the traffic-shaped target budget × HOURLY_TRAFFIC[h] (max and mean absolute %), and the same
deviation in units of the hour's counting noise: billable events arrive one at a time, so an hour
planned to hold λ events of mean cost c̄ varies by about √(λ·E[c²]) even when the probability is
exactly right (compound Poisson; for clicks this is a floor, since whether a shown ad is clicked is
drawn after the throttle decided). Where λ is a handful, ±15 % is out of reach whatever the
controller does; the σ row says how far each hour is from what noise alone explains.

The reference is the traffic curve itself; the same day is also run with two earlier laws, kept
here as same-run baselines: the bid-sized law (`bid_law`: the gate's slack and the throttle's
horizon counted in bids, no narrow gate: the law before issue 19 item 4) and the previous control
law (a correction per 5-minute interval from that interval's spend: ×1.5 + 0.05 below 90 %, ÷ the
ratio above 110 %).
"""

from __future__ import annotations

import heapq
import math
import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

from bench.common import Row, Scale, Section, progress
from sparkads.delivery import pacing
from sparkads.delivery.compile import geography
from sparkads.delivery.counters import MemoryCounters
from sparkads.delivery.engine import EngineConfig, budget_lines, decide
from sparkads.delivery.model import AdEntry, GroupEntry, Snapshot, Viewer
from sparkads.delivery.pacing import HOURLY_TRAFFIC
from sparkads.delivery.targeting import TargetingIndex
from sparkads.events.service import cost_per_event

PARIS = ZoneInfo("Europe/Paris")
DAY = datetime(2026, 12, 1, tzinfo=PARIS)  # a Tuesday, far from a DST change
EUR = 1_000_000
IMPRESSION_DELAY = 2.0
CLICK_DELAY = 20.0
CONVERSION_DELAY = 60.0
SECRET = b"bench-pacing-secret-0123456789ab"
FULL_DAY_REQUESTS = 200_000
WARM_UP_HOURS = 4  # 20:00 to midnight of the day before, not measured


@dataclass(frozen=True)
class Plan:
    adgroup: str
    billing: str  # CPM, CPC or OCPM (CPA: a target cost per conversion, billed per conversion)
    bid: int  # micros: per 1,000 impressions (CPM), per click (CPC), per conversion (OCPM)
    budget: int  # daily, micros
    ctr: float = 0.02  # true click rate, also the ad's prior
    cvr: float = 0.03  # true conversions per click, also the ad's prior


SCENARIOS: dict[str, tuple[Plan, ...]] = {
    # One CPM group alone: it pays the reserve (0.50 EUR CPM); the day's traffic could buy twice
    # its budget.
    "CPM alone": (Plan("cpm", "CPM", 5 * EUR, 50 * EUR),),
    # One CPC group alone, clicks at 2 %: the day's traffic could buy twice its budget.
    "CPC alone": (Plan("cpc", "CPC", 600_000, 50 * EUR),),
    # Three groups competing for the same viewers (second price between them).
    "3 competing": (
        Plan("cpm-high", "CPM", 6 * EUR, 60 * EUR),
        Plan("cpm-low", "CPM", 3 * EUR, 30 * EUR),
        Plan("cpc", "CPC", 400_000, 40 * EUR, ctr=0.015),
    ),
    # One CPA group alone, 0.2 % of impressions convert: the day's traffic could buy twice its
    # budget (about 200 conversions a day).
    "CPA alone": (Plan("cpa", "OCPM", 5 * EUR, 50 * EUR, cvr=0.10),),
    # A CPA group (0.4 % of impressions convert) against a CPM group it outbids.
    "CPA competing": (
        Plan("cpm-high", "CPM", 6 * EUR, 60 * EUR),
        Plan("cpa", "OCPM", 4 * EUR, 120 * EUR, cvr=0.20),
    ),
}
GOAL = {"CPM": "REACH", "CPC": "CLICK", "OCPM": "CONVERSIONS"}


def _entry(index: int, plan: Plan, start: float) -> GroupEntry:
    goal = GOAL[plan.billing]
    ad = AdEntry(
        f"ad-{plan.adgroup}",
        f"item-{plan.adgroup}",
        None,
        plan.ctr,
        plan.cvr,
        0.3,
        0.002,
        {"item_id": f"item-{plan.adgroup}"},
    )
    return GroupEntry(
        index=index,
        adgroup_id=plan.adgroup,
        campaign_id=f"cp-{plan.adgroup}",
        advertiser_id="adv",
        eur_rate=1.0,
        goal=goal,
        billing=plan.billing,
        bid_type="BID_TYPE_CUSTOM",
        bid=plan.bid,
        daily_budget=plan.budget,
        lifetime_budget=None,
        campaign_daily_budget=None,
        start=start,
        end=None,
        dayparting=None,
        timezone=PARIS,
        frequency=None,
        frequency_window=86_400.0,
        min_os_version={},
        price_range=None,
        included_audiences=frozenset(),
        excluded_audiences=frozenset(),
        pacing_smooth=True,
        ads=(ad,),
    )


def request_times(total: int, rng: random.Random) -> list[float]:
    """`total` request instants over the local day, each hour getting its share of the curve,
    after the last `WARM_UP_HOURS` of the day before (so that the pacing controller enters the
    measured day in the state a running server would have, not fresh)."""
    times: list[float] = []
    for offset in range(-WARM_UP_HOURS, 24):
        hour = offset % 24
        begin = (DAY + timedelta(hours=offset)).timestamp()
        count = round(total * HOURLY_TRAFFIC[hour])
        times += sorted(begin + rng.random() * 3_600 for _ in range(count))
    return times


@dataclass
class Tally:
    plan: Plan
    hourly: list[int] = field(default_factory=lambda: [0] * 24)
    served: int = 0
    billed_events: int = 0
    refused: int = 0  # events that arrived with no budget left: delivered for free
    max_event_cost: int = 0
    cost_squares: int = 0  # Σ cost² of billed events, for the noise of an hour
    first_exhausted: float | None = None
    next_day: int = 0


class PreviousLawCounters(MemoryCounters):
    """The control law before the feed-forward throttle (commit 853c09e), as a baseline."""

    INTERVAL = 300.0

    def __init__(self) -> None:
        super().__init__()
        self._previous: dict[str, list[float]] = {}  # probability, start, spent, wanted

    def pacing_probability(self, adgroup_id: str) -> float:
        state = self._previous.get(adgroup_id)
        return 1.0 if state is None else state[0]

    def control_pacing(self, adgroup_id: str, reading: pacing.PacingInput) -> None:
        now, spent = reading.now, reading.spent
        wanted_total, state = reading.budget * reading.fraction, self._previous.get(adgroup_id)
        if state is None:
            self._previous[adgroup_id] = [1.0, now, spent, wanted_total]
            return
        if now - state[1] < self.INTERVAL and now >= state[1]:
            return
        if spent < state[2] or wanted_total < state[3]:  # a new day
            self._previous[adgroup_id] = [state[0], now, spent, wanted_total]
            return
        wanted, achieved, probability = wanted_total - state[3], spent - state[2], state[0]
        if wanted > 0:
            ratio = achieved / wanted
            if ratio > 1.1:
                probability *= max(0.5, 1 / ratio)
            elif ratio < 0.9:
                probability = probability * 1.5 + 0.05
            probability = min(1.0, max(0.02, probability))
        self._previous[adgroup_id] = [probability, now, spent, wanted_total]


class BidLawCounters(MemoryCounters):
    """The law before pacing measured the price paid (issue 19 item 4), as a baseline: no price
    measured, so the engine sizes the gate and the horizon in bids; `simulate` also turns the
    narrow gate off (`pacing.TIGHT_EVENTS = 0`) for it."""

    def billed(self, key: str) -> tuple[int, int]:
        return (0, 0)


def hour_noise(budget: int, billed_events: int, spent: int, cost_squares: int) -> list[float]:
    """Standard deviation of each hour's spend around its plan from counting alone (compound
    Poisson: λ_h events of the day's cost mix), micros."""
    if not billed_events or not spent:
        return [0.0] * 24
    mean_cost, mean_square = spent / billed_events, cost_squares / billed_events
    return [math.sqrt(budget * share / mean_cost * mean_square) for share in HOURLY_TRAFFIC]


def simulate(
    plans: tuple[Plan, ...],
    requests: int,
    seed: int = 3,
    previous_law: bool = False,
    bid_law: bool = False,
) -> dict[str, Any]:
    """A day of `requests`; budgets are scaled from the 200k-request plans so that traffic always
    could buy about twice what the budgets allow. `previous_law`, `bid_law`: pace with an earlier
    law (the same-run baselines, see the module)."""
    if bid_law:
        with mock.patch.object(pacing, "TIGHT_EVENTS", 0):
            return _simulate(plans, requests, seed, BidLawCounters())
    return _simulate(
        plans, requests, seed, PreviousLawCounters() if previous_law else MemoryCounters()
    )


def _simulate(
    plans: tuple[Plan, ...], requests: int, seed: int, counters: MemoryCounters
) -> dict[str, Any]:
    scale = requests / FULL_DAY_REQUESTS
    plans = tuple(replace(p, budget=int(p.budget * scale)) for p in plans)
    geo = geography()
    start = DAY.timestamp() - 86_400.0
    groups = tuple(_entry(i, plan, start) for i, plan in enumerate(plans))
    index = TargetingIndex.build([{"location_ids": [geo.country_id["FR"]]}] * len(groups), geo)
    snapshot = Snapshot(groups=groups, index=index, version=1, built_at=start)
    rng = random.Random(seed)
    clicks, config = random.Random(seed + 1), EngineConfig(secret=SECRET)
    conversions = random.Random(seed + 3)  # its own draws: the click draws stay as they were
    tallies = {g.adgroup_id: Tally(p) for g, p in zip(groups, plans, strict=True)}
    by_id = {g.adgroup_id: g for g in groups}
    pending: list[tuple[float, int, str, str, int]] = []  # (at, seq, adgroup, stat, cost)
    seq = 0

    def bill_until(moment: float) -> None:
        while pending and pending[0][0] <= moment:
            at, _, adgroup_id, stat, cost = heapq.heappop(pending)
            group, tally = by_id[adgroup_id], tallies[adgroup_id]
            counters.add_ad_stat(group.ads[0].ad_id, stat)
            if cost == 0:
                continue
            local = datetime.fromtimestamp(at, PARIS)
            lines = budget_lines(group, local.date())
            today = local.date() == DAY.date()
            if counters.try_bill(lines, cost):
                if local.date() < DAY.date():
                    continue  # warm-up evening, on the day before's budget
                if today:
                    tally.hourly[local.hour] += cost
                else:  # a late event of the simulated day, billed on the next
                    tally.next_day += cost
                exhausted = counters.spent(lines[0].key) >= tally.plan.budget
                if today and exhausted and tally.first_exhausted is None:
                    tally.first_exhausted = at
                tally.billed_events += 1
                tally.max_event_cost = max(tally.max_event_cost, cost)
                tally.cost_squares += cost * cost
            elif today:
                tally.refused += 1

    times = request_times(requests, random.Random(seed + 2))
    midnight = DAY.timestamp()
    for n, now in enumerate(times):
        bill_until(now)
        viewer = Viewer(viewer_id=f"p{n}", country="FR")
        for decision in decide(viewer, 1, snapshot, counters, now, rng, config):
            group = decision.group
            tally = tallies[group.adgroup_id]
            if now >= midnight:
                tally.served += 1
            cost_each = cost_per_event(decision.event_price, group.billing)
            impression_cost = cost_each if group.billing == "CPM" else 0
            heapq.heappush(
                pending,
                (now + IMPRESSION_DELAY, seq, group.adgroup_id, "impressions", impression_cost),
            )
            seq += 1
            if clicks.random() < tally.plan.ctr:
                click_cost = cost_each if group.billing == "CPC" else 0
                heapq.heappush(
                    pending, (now + CLICK_DELAY, seq, group.adgroup_id, "clicks", click_cost)
                )
                seq += 1
                if conversions.random() < tally.plan.cvr:
                    cost = cost_each if group.billing == "OCPM" else 0
                    heapq.heappush(
                        pending,
                        (now + CONVERSION_DELAY, seq, group.adgroup_id, "conversions", cost),
                    )
                    seq += 1
    bill_until(math.inf)
    day = DAY.date()
    results = {}
    for adgroup_id, tally in tallies.items():
        group, budget = by_id[adgroup_id], tally.plan.budget
        spent = counters.spent(budget_lines(group, day)[0].key)
        assert spent == sum(tally.hourly)
        targets = [budget * share for share in HOURLY_TRAFFIC]
        deviations = [(s - t) / t * 100 for s, t in zip(tally.hourly, targets, strict=True)]
        noise = hour_noise(budget, tally.billed_events, spent, tally.cost_squares)
        sigmas = [
            (s - t) / n if n else 0.0 for s, t, n in zip(tally.hourly, targets, noise, strict=True)
        ]
        over = max(0, spent - budget)
        results[adgroup_id] = {
            "billing": tally.plan.billing,
            "budget_micros": budget,
            "spent_micros": spent,
            "spent_share": spent / budget,
            "overspend_micros": over,
            "overspend_events": (over / tally.max_event_cost) if tally.max_event_cost else 0.0,
            "max_event_cost_micros": tally.max_event_cost,
            "served": tally.served,
            "billed_events": tally.billed_events,
            "refused_over_budget": tally.refused,
            "billed_next_day_micros": tally.next_day,
            "budget_exhausted_at": (
                datetime.fromtimestamp(tally.first_exhausted, PARIS).strftime("%H:%M")
                if tally.first_exhausted
                else None
            ),
            "hourly_spend_micros": tally.hourly,
            "hourly_deviation_pct": [round(d, 1) for d in deviations],
            "hourly_deviation_max_abs_pct": max(abs(d) for d in deviations),
            "hourly_deviation_mean_abs_pct": sum(abs(d) for d in deviations) / 24,
            "hourly_noise_pct": [
                round(n / t * 100, 1) for n, t in zip(noise, targets, strict=True)
            ],
            "hourly_deviation_sigmas": [round(z, 2) for z in sigmas],
            "hourly_deviation_max_abs_sigmas": max(abs(z) for z in sigmas),
            "hourly_deviation_mean_abs_sigmas": sum(abs(z) for z in sigmas) / 24,
            "hours_where_15pct_is_2_sigmas": sum(
                1 for n, t in zip(noise, targets, strict=True) if 2 * n <= 0.15 * t
            ),
        }
    measured = sum(1 for t in times if t >= midnight)
    return {"requests": measured, "warm_up_requests": len(times) - measured, "groups": results}


def run(scale: Scale) -> Section:
    section = Section("pacing")
    for name, plans in SCENARIOS.items():
        progress(f"pacing: {name}, {scale.pacing_requests:,} requests (and the earlier laws)")
        result = simulate(plans, scale.pacing_requests)
        before = simulate(plans, scale.pacing_requests, bid_law=True)
        section.data[name] = result
        section.data[f"{name}, bid-sized law"] = before
        section.data[f"{name}, previous law"] = simulate(
            plans, scale.pacing_requests, previous_law=True
        )
        for adgroup_id, g in result["groups"].items():
            case = f"{name}: {adgroup_id} ({g['billing']})"
            section.notes.append(_note(case, g))
            section.rows += _rows(case, g, before["groups"][adgroup_id])
    return section


def _note(case: str, g: dict[str, Any]) -> str:
    off = [
        f"{hour:02d}h {d:+.0f} % ({z:+.1f}σ)"
        for hour, (d, z) in enumerate(
            zip(g["hourly_deviation_pct"], g["hourly_deviation_sigmas"], strict=True)
        )
        if abs(d) > 15
    ]
    noise = g["hourly_noise_pct"]
    gone = g["budget_exhausted_at"]
    return (
        f"pacing {case}: budget {f'gone at {gone}' if gone else 'not gone'}; "
        f"{g['billed_events']:,} billable events; counting noise per hour {min(noise):.0f}–"
        f"{max(noise):.0f} % (±15 % is ≥ 2σ in {g['hours_where_15pct_is_2_sigmas']} of 24 "
        f"hours); hours outside ±15 %: {', '.join(off) or 'none'}"
    )


def _rows(case: str, g: dict[str, Any], before: dict[str, Any]) -> list[Row]:
    return [
        Row(
            "pacing",
            case,
            "budget spent",
            g["spent_share"] * 100,
            "%",
            baseline=before["spent_share"] * 100,
            baseline_name="bid-sized law",
            target="≥ 95 %",
            holds=g["spent_share"] >= 0.95,
        ),
        Row(
            "pacing",
            case,
            "overspend",
            g["overspend_events"],
            "events",
            baseline=before["overspend_events"],
            baseline_name="bid-sized law",
            target="≤ 1 event",
            holds=g["overspend_events"] <= 1,
        ),
        Row(
            "pacing",
            case,
            "hourly deviation, max abs",
            g["hourly_deviation_max_abs_pct"],
            "%",
            baseline=before["hourly_deviation_max_abs_pct"],
            baseline_name="bid-sized law",
            target="within ±15 %",
            holds=g["hourly_deviation_max_abs_pct"] <= 15,
        ),
        Row(
            "pacing",
            case,
            "hourly deviation, mean abs",
            g["hourly_deviation_mean_abs_pct"],
            "%",
            baseline=before["hourly_deviation_mean_abs_pct"],
            baseline_name="bid-sized law",
        ),
        Row(
            "pacing",
            case,
            "hourly deviation / counting noise, max abs",
            g["hourly_deviation_max_abs_sigmas"],
            "σ",
            baseline=before["hourly_deviation_max_abs_sigmas"],
            baseline_name="bid-sized law",
            target="reference, not a target: ≤ 3σ is what noise alone gives",
        ),
    ]
