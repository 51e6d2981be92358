"""Rollups per ad and hour (UTC) and per ad and day (advertiser's timezone), from events.

Incremental and idempotent: new events (id above the cursor) name the (ad, hour) and (ad, day)
cells they touch; those cells are deleted and recomputed from all their events. Rebuilding from
scratch gives the same numbers. Spend is the billed cost on each event, the same amounts as the
spend ledger. Watch time is estimated per impression from how far the viewer got (see KPIS)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.campaigns.models import Ad
from sparkads.clock import Clock, as_utc
from sparkads.events.models import Event
from sparkads.posts.models import Post
from sparkads.reporting.models import COUNTED, AdDayRollup, AdHourRollup, RollupState

EVENT_COLUMN = {
    "impression": "impressions",
    "click": "clicks",
    "conversion": "conversions",
    "view_2s": "views_2s",
    "view_6s": "views_6s",
    "complete_view": "complete_views",
    "like": "likes",
    "comment": "comments",
    "share": "shares",
    "follow": "follows",
    "profile_visit": "profile_visits",
}
STATE = "rollups"
# Seconds watched, by how far an impression got: <2 s ≈ 1 s, 2–6 s ≈ 4 s, past 6 s ≈ halfway
# between 6 s and the end, complete = the whole post.
WATCHED_BEFORE_2S, WATCHED_2_TO_6S = 1.0, 4.0


def _hour(moment: datetime) -> datetime:
    return as_utc(moment).replace(minute=0, second=0, microsecond=0)


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
        hour = _hour(occurred_at)
        # the local day from the exact time: zones with half-hour offsets split UTC hours
        day = as_utc(occurred_at).astimezone(context.zone(advertiser_id)).date().isoformat()
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
    # grouped by hour-truncated time in Python: the SQL groups by exact time first (cheap).
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
    """Fold new events into the rollups; returns how many new events were read."""
    state = session.get(RollupState, STATE)
    if state is None:
        state = RollupState(name=STATE, last_event_id=0, updated_at=clock.now())
        session.add(state)
    top = session.scalar(select(func.max(Event.id))) or 0
    if top <= state.last_event_id:
        return 0
    context = _Context(session)
    fresh = list(
        session.execute(
            select(Event.ad_id, Event.advertiser_id, Event.occurred_at).where(
                Event.id > state.last_event_id, Event.id <= top
            )
        )
    )
    touched_ads = {ad_id for ad_id, _, _ in fresh}
    touched_hours = {(ad_id, _hour(at)) for ad_id, _, at in fresh}
    touched_days = {
        (ad_id, as_utc(at).astimezone(context.zone(adv)).date().isoformat())
        for ad_id, adv, at in fresh
    }
    # Recompute whole local days, so read every event of the touched ads from that day's start.
    advertiser_of = {ad_id: adv for ad_id, adv, _ in fresh}
    window_start = min(
        *(hour for _, hour in touched_hours),
        *(
            datetime.fromisoformat(day)
            .replace(tzinfo=context.zone(advertiser_of[ad]))
            .astimezone(UTC)
            for ad, day in touched_days
        ),
    )
    rows = _event_rows(
        session,
        (Event.ad_id.in_(touched_ads)) & (Event.occurred_at >= window_start) & (Event.id <= top),
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
    state.last_event_id, state.updated_at = top, clock.now()
    session.flush()
    return len(fresh)


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
    session.execute(delete(RollupState))
    session.flush()
    return refresh(session, clock)


def hourly_cells(session: Session, advertiser_id: str) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in session.scalars(
        select(AdHourRollup).where(AdHourRollup.advertiser_id == advertiser_id)
    ):
        counts["impressions"] += row.impressions
    return dict(counts)
