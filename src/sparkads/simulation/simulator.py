"""The traffic simulator: simulated days of feed requests along the daily traffic curve, each
viewer drawn from the synthetic population, each decision followed by the reactions the behaviour
model draws, all through a Transport (in process or over HTTP) on the sandbox clock."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Creator
from sparkads.campaigns.catalog import catalog
from sparkads.delivery.pacing import HOURLY_TRAFFIC
from sparkads.posts.models import Post
from sparkads.simulation.behaviour import PostProfile, reactions
from sparkads.simulation.population import Population
from sparkads.simulation.traffic import SimEvent, Transport

TICK = timedelta(minutes=10)
Progress = Callable[[int, int], None]


@dataclass
class Summary:
    requests: int = 0
    fills: int = 0
    events: Counter[str] = field(default_factory=Counter)
    started_at: datetime | None = None
    ended_at: datetime | None = None

    @property
    def fill_rate(self) -> float:
        return self.fills / self.requests if self.requests else 0.0


def post_profiles(session: Session) -> dict[str, PostProfile]:
    """What the behaviour model needs to know about every post: its category (the creator's
    sector), organic engagement, length and creator."""
    cat = catalog()
    profiles = {}
    for post, creator in session.execute(
        select(Post, Creator).join(Creator, Creator.creator_id == Post.creator_id)
    ):
        interest = cat.interest_for_sector(creator.sector) if creator.sector else None
        views = max(post.organic_views, 1)
        engagement = (post.organic_likes + post.organic_comments + post.organic_shares) / views
        profiles[post.item_id] = PostProfile(
            item_id=post.item_id,
            category_id=interest.id if interest else "",
            organic_engagement=engagement,
            duration=post.duration,
            creator_followers=creator.followers,
            creator_country=creator.country,
        )
    return profiles


def requests_per_tick(requests_per_day: int, at: datetime) -> int:
    """Requests in the tick starting at `at`, following the traffic curve (local hours)."""
    share = HOURLY_TRAFFIC[at.hour] * (TICK / timedelta(hours=1))
    return round(requests_per_day * share)


def simulate(
    transport: Transport,
    population: Population,
    profiles: dict[str, PostProfile],
    *,
    days: float,
    requests_per_day: int,
    seed: int,
    slots: int = 1,
    progress: Progress | None = None,
) -> Summary:
    rng = random.Random(seed)
    plays = random.Random(seed + 1)  # how far plays get: its own draws, the others' unchanged
    pick = np.random.default_rng(seed)
    start = transport.now()
    end = start + timedelta(days=days)
    summary = Summary(started_at=start)
    exposures: Counter[tuple[int, str]] = Counter()
    total_ticks = int((end - start) / TICK)
    at, tick, refreshed_hour = start, 0, -1
    while at < end:
        transport.advance_to(at)
        if at.hour != refreshed_hour:
            transport.refresh()  # time-based changes (expiry, schedules) reach the snapshot
            refreshed_hour = at.hour
        pending: list[SimEvent] = []
        count = requests_per_tick(requests_per_day, at)
        for viewer_index in population.sample(pick, count) if count else ():
            index = int(viewer_index)
            served = transport.decide(population.viewer(index), slots)
            summary.requests += 1
            summary.fills += bool(served)
            for decision in served:
                profile = profiles.get(decision.item_id)
                if profile is None:
                    continue
                key = (index, decision.item_id)
                for event_type in reactions(population, index, profile, exposures[key], rng, plays):
                    pending.append(SimEvent(decision.token, event_type, transport.now()))
                    summary.events[event_type] += 1
                exposures[key] += 1
        transport.send(pending)
        at += TICK
        tick += 1
        if progress is not None:
            progress(tick, total_ticks)
    summary.ended_at = transport.now()
    return summary
