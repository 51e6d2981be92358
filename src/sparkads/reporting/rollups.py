"""Rollups per ad and hour and per ad and day, both in the advertiser's timezone, from events.

Incremental and idempotent: events not read yet (`cursor`: new ids, and late commits found in
the gaps below the cursor) name the (ad, hour) and (ad, day) cells they touch; those cells are
deleted and recomputed from all their events. Rebuilding from scratch gives the same numbers.
Hours and days are local, from each event's exact time (`periods`), so zones with half-hour or
45-minute offsets are exact. Spend is the billed cost on each event, the same amounts as the
spend ledger. Watch time is estimated per impression from how far the viewer got (see KPIS)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.campaigns.models import Ad
from sparkads.clock import Clock
from sparkads.events.models import Event
from sparkads.posts.models import Post
from sparkads.reporting import cursor
from sparkads.reporting.models import COUNTED, AdDayRollup, AdHourRollup
from sparkads.reporting.periods import day_start, local_day, local_hour, local_hour_and_day

EVENT_COLUMN = {
    "impression": "impressions",
    "click": "clicks",
    "conversion": "conversions",
    "view_2s": "views_2s",
    "view_6s": "views_6s",
    "complete_view": "complete_views",
    "play_25": "views_p25",
    "play_50": "views_p50",
    "play_75": "views_p75",
    "like": "likes",
    "comment": "comments",
    "share": "shares",
    "follow": "follows",
    "profile_visit": "profile_visits",
}
# Seconds watched, by how far an impression got: <2 s ≈ 1 s, 2–6 s ≈ 4 s, past 6 s ≈ halfway
# between 6 s and the end, complete = the whole post.
WATCHED_BEFORE_2S, WATCHED_2_TO_6S = 1.0, 4.0


def play_ms(cells: dict[str, int], duration: float | None) -> int:
    """Estimated watch time of a cell's impressions (milliseconds)."""
    length = duration or 6.0
    impressions, two, six, done = (
        cells["impressions"],
        cells["views_2s"],
        cells["views_6s"],
        cells["complete_views"],
    )
    seconds = (
        max(0, impressions - two) * WATCHED_BEFORE_2S
        + max(0, two - six) * WATCHED_2_TO_6S
        + max(0, six - done) * (6.0 + length) / 2
        + done * length
    )
    return int(seconds * 1000)


class _Context:
    """Per-refresh lookups: each ad's advertiser timezone and post duration."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._zones: dict[str, ZoneInfo] = {}
        self._durations: dict[str, float | None] = {}

    def zone(self, advertiser_id: str) -> ZoneInfo:
        if advertiser_id not in self._zones:
            advertiser = self.session.get(Advertiser, advertiser_id)
            self._zones[advertiser_id] = ZoneInfo(advertiser.timezone if advertiser else "UTC")
        return self._zones[advertiser_id]

    def duration(self, ad_id: str) -> float | None:
        if ad_id not in self._durations:
            post = self.session.scalar(
                select(Post).join(Ad, Ad.tiktok_item_id == Post.item_id).where(Ad.ad_id == ad_id)
            )
            self._durations[ad_id] = post.duration if post else None
        return self._durations[ad_id]


def _aggregate(
    rows: Iterable[Any], context: _Context
) -> tuple[dict[Any, dict[str, Any]], dict[Any, dict[str, Any]]]:
    hours: dict[Any, dict[str, Any]] = {}
    days: dict[Any, dict[str, Any]] = {}
    for ad_id, advertiser_id, campaign_id, adgroup_id, event_type, occurred_at, count, cost in rows:
        hour, day = local_hour_and_day(occurred_at, context.zone(advertiser_id))
        for key, table in (((ad_id, hour), hours), ((ad_id, day), days)):
            cell = table.get(key)
            if cell is None:
                cell = table[key] = {
                    "advertiser_id": advertiser_id,
                    "campaign_id": campaign_id,
                    "adgroup_id": adgroup_id,
                    "spend": 0,
                    **dict.fromkeys(COUNTED, 0),
                }
            cell[EVENT_COLUMN[event_type]] += count
            cell["spend"] += cost
    return hours, days


def _event_rows(session: Session, where: Any) -> Iterable[Any]:
    # grouped by local hour and day in Python: the SQL groups by exact time first (cheap).
    return session.execute(
        select(
            Event.ad_id,
            Event.advertiser_id,
            Event.campaign_id,
            Event.adgroup_id,
            Event.event_type,
            Event.occurred_at,
            func.count(),
            func.sum(Event.cost),
        )
        .where(where)
        .group_by(
            Event.ad_id,
            Event.advertiser_id,
            Event.campaign_id,
            Event.adgroup_id,
            Event.event_type,
            Event.occurred_at,
        )
    )


def refresh(session: Session, clock: Clock) -> int:
    """Fold events not read yet into the rollups; returns how many were read."""
    unread, top = cursor.take_unread(session, clock.now())
    if unread:
        _fold(session, unread, top)
    session.flush()
    return len(unread)


def _fold(session: Session, unread: Sequence[Any], top: int) -> None:
    context = _Context(session)
    touched_hours = {
        (r.ad_id, local_hour(r.occurred_at, context.zone(r.advertiser_id))) for r in unread
    }
    touched_days = {
        (r.ad_id, local_day(r.occurred_at, context.zone(r.advertiser_id))) for r in unread
    }
    # A local hour lies within its local day: recompute whole days, reading every event of the
    # touched ads from the first instant of the earliest touched day.
    advertiser_of = {r.ad_id: r.advertiser_id for r in unread}
    window_start = min(
        day_start(date.fromisoformat(day), context.zone(advertiser_of[ad]))
        for ad, day in touched_days
    )
    rows = _event_rows(
        session,
        (Event.ad_id.in_(advertiser_of)) & (Event.occurred_at >= window_start) & (Event.id <= top),
    )
    hours, days = _aggregate(rows, context)
    _replace(
        session,
        AdHourRollup,
        "hour",
        {k: v for k, v in hours.items() if k in touched_hours},
        context,
    )
    _replace(
        session, AdDayRollup, "day", {k: v for k, v in days.items() if k in touched_days}, context
    )


def _replace(
    session: Session, model: Any, period: str, cells: dict[Any, dict[str, Any]], context: _Context
) -> None:
    if not cells:
        return
    keys = list(cells)
    column = getattr(model, period)
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        session.execute(delete(model).where(tuple_(model.ad_id, column).in_(chunk)))
    session.execute(
        model.__table__.insert(),
        [
            {
                "ad_id": ad_id,
                period: when,
                **cell,
                "play_ms": play_ms(cell, context.duration(ad_id)),
            }
            for (ad_id, when), cell in cells.items()
        ],
    )


def rebuild(session: Session, clock: Clock) -> int:
    """Throw every rollup away and fold all events again (same numbers as incremental)."""
    session.execute(delete(AdHourRollup))
    session.execute(delete(AdDayRollup))
    cursor.reset(session)
    session.flush()
    return refresh(session, clock)
