"""What a budget will buy: a draft ad group is added to a copy of today's snapshot and a simulated
day of traffic is run against it, several times with different seeds, in memory (nothing is
written). Results are daily ranges (lowest and highest run)."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from sparkads.delivery.auction import Stats
from sparkads.delivery.counters import MemoryCounters
from sparkads.delivery.engine import EngineConfig, budget_lines, decide
from sparkads.delivery.model import AdEntry, GroupEntry, Snapshot
from sparkads.delivery.targeting import Geography, TargetingIndex
from sparkads.events.service import AD_STAT, billed_event, cost_of
from sparkads.simulation.behaviour import PostProfile, reactions
from sparkads.simulation.population import Population
from sparkads.simulation.simulator import TICK, requests_per_tick

DRAFT_ID = "draft"


@dataclass(frozen=True)
class Draft:
    """The ad group being planned, in the engine's terms (money in micros of `currency`)."""

    targeting: dict[str, Any]
    goal: str
    billing: str
    bid_type: str
    bid: int
    daily_budget: int
    eur_rate: float
    timezone: ZoneInfo
    post: PostProfile
    frequency: int | None = None
    frequency_days: int = 1
    pacing_smooth: bool = True


@dataclass
class DayResult:
    impressions: int = 0
    reach: int = 0
    clicks: int = 0
    conversions: int = 0
    views_6s: int = 0
    spend: int = 0  # micros


@dataclass(frozen=True)
class Range:
    low: float
    high: float

    @classmethod
    def of(cls, values: list[float]) -> Range:
        return cls(min(values), max(values))


@dataclass
class Forecast:
    audience_size: int
    population_size: int
    days: int
    runs: list[DayResult] = field(default_factory=list)

    def range(self, name: str) -> Range:
        return Range.of([float(getattr(run, name)) for run in self.runs])

    def cpa(self) -> Range | None:
        values = [run.spend / run.conversions for run in self.runs if run.conversions]
        return Range.of(values) if values else None


def _draft_group(draft: Draft, position: int, start: float) -> GroupEntry:
    ad = AdEntry(
        f"{DRAFT_ID}-ad",
        draft.post.item_id or f"{DRAFT_ID}-post",
        None,
        *_priors(draft.post),
        {"label": "Sponsored"},
    )
    return GroupEntry(
        index=position,
        adgroup_id=DRAFT_ID,
        campaign_id=DRAFT_ID,
        advertiser_id=DRAFT_ID,
        eur_rate=draft.eur_rate,
        goal=draft.goal,
        billing=draft.billing,
        bid_type=draft.bid_type,
        bid=draft.bid,
        daily_budget=draft.daily_budget,
        lifetime_budget=None,
        campaign_daily_budget=None,
        start=start,
        end=None,
        dayparting=None,
        timezone=draft.timezone,
        frequency=draft.frequency,
        frequency_window=draft.frequency_days * 86_400.0,
        min_os_version={},
        price_range=None,
        included_audiences=frozenset(),
        excluded_audiences=frozenset(),
        pacing_smooth=draft.pacing_smooth,
        ads=(ad,),
    )


def _priors(post: PostProfile) -> tuple[float, float, float, float]:
    e = post.organic_engagement
    return (
        min(0.05, max(0.003, 0.005 + 0.1 * e)),
        0.03,
        min(0.7, max(0.1, 0.25 + 1.5 * e)),
        min(0.01, max(0.0002, 0.0005 + 0.02 * e)),
    )


def with_draft(snapshot: Snapshot, draft: Draft, geo: Geography, start: float) -> Snapshot:
    group = _draft_group(draft, len(snapshot.groups), start)
    targetings = (*snapshot.targetings, draft.targeting)
    return replace(
        snapshot,
        groups=(*snapshot.groups, group),
        targetings=targetings,
        index=TargetingIndex.build(targetings, geo),
    )


def _run_days(
    snapshot: Snapshot,
    population: Population,
    profiles: dict[str, PostProfile],
    draft: Draft,
    start: datetime,
    days: int,
    requests_per_day: int,
    seed: int,
    config: EngineConfig,
    history: dict[str, Stats],
) -> DayResult:
    """`days` consecutive days with shared counters and fatigue; returns daily averages."""
    counters, rng, pick = MemoryCounters(), random.Random(seed), np.random.default_rng(seed)
    counters.load_stats(history)  # today's competition, with what it has learnt so far
    profiles = {**profiles, snapshot.groups[-1].ads[0].item_id: draft.post}
    total, exposures, daily_reach = DayResult(), Counter[tuple[int, str]](), 0
    at = start
    for _ in range(days):
        reached, end = set[str](), at + timedelta(days=1)
        while at < end:
            now = at.timestamp()
            for index in population.sample(pick, requests_per_tick(requests_per_day, at)):
                viewer = population.viewer(int(index))
                for d in decide(viewer, 1, snapshot, counters, now, rng, config):
                    profile = profiles.get(d.ad.item_id)
                    if profile is None:
                        continue
                    key = (int(index), d.ad.item_id)
                    events = reactions(population, key[0], profile, exposures[key], rng)
                    exposures[key] += 1
                    mine = d.group.adgroup_id == DRAFT_ID
                    _account(
                        d, events, counters, at, total if mine else None, reached, viewer.viewer_id
                    )
            at += TICK
        daily_reach += len(reached)
    return DayResult(
        impressions=total.impressions // days,
        reach=daily_reach // days,
        clicks=total.clicks // days,
        conversions=total.conversions // days,
        views_6s=total.views_6s // days,
        spend=total.spend // days,
    )


def _account(
    decision: Any,
    events: list[str],
    counters: MemoryCounters,
    at: datetime,
    result: DayResult | None,
    reached: set[str],
    viewer_id: str,
) -> None:
    group = decision.group
    payload = {"p": decision.event_price, "b": group.billing}
    paid = billed_event(group.billing, group.goal)
    for event in events:
        stat = AD_STAT.get(event)
        if stat:
            counters.add_ad_stat(decision.ad.ad_id, stat)
        billed = event == paid and counters.try_bill(
            budget_lines(group, at.astimezone(group.timezone).date()), cost_of(payload)
        )
        if result is None:
            continue
        if billed:
            result.spend += cost_of(payload)
        if event == "impression":
            result.impressions += 1
            reached.add(viewer_id)
        elif event == "click":
            result.clicks += 1
        elif event == "conversion":
            result.conversions += 1
        elif event == "view_6s":
            result.views_6s += 1


def forecast(
    snapshot: Snapshot,
    population: Population,
    profiles: dict[str, PostProfile],
    draft: Draft,
    geo: Geography,
    *,
    start: datetime,
    requests_per_day: int,
    runs: int = 3,
    seed: int = 11,
    days: int = 1,
    history: dict[str, Stats] | None = None,
) -> Forecast:
    """Daily ranges (averages over `days`) from `runs` simulations starting at the next local
    midnight; `history` seeds the competitors' per-ad statistics (today's competition)."""
    local = start.astimezone(draft.timezone)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    planned = with_draft(snapshot, draft, geo, midnight.timestamp())
    config = EngineConfig(secret=b"forecast")
    result = Forecast(
        audience_size=population.count_matching(draft.targeting, geo),
        population_size=population.size,
        days=days,
    )
    for run in range(runs):
        result.runs.append(
            _run_days(
                planned,
                population,
                profiles,
                draft,
                midnight,
                days,
                requests_per_day,
                seed + run,
                config,
                history or {},
            )
        )
    return result
