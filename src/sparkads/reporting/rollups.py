"""Rollups per ad and hour and per ad and day, both in the advertiser's timezone, from events.

Incremental: the events not read yet (`cursor`: new ids, and late commits found in the gaps below
the cursor) are counted once each into the (ad, hour) and (ad, day) cells they fall in, added to
what the cells hold (`INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n`), in the transaction
that moves the cursor past them: a fold costs what it reads, not the day so far. Watch time is
then recomputed from each touched cell's totals. Rebuilding from scratch gives the same numbers.
Hours and days are local, from each event's exact time (`periods`), so zones with half-hour or
45-minute offsets are exact. Spend is the billed cost on each event, the same amounts as the
spend ledger. Watch time is estimated per impression from how far the viewer got (see KPIS)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.campaigns.models import Ad
from sparkads.clock import Clock
from sparkads.db.dialect import upsert
from sparkads.posts.models import Post
from sparkads.reporting import cursor
from sparkads.reporting.cursor import Unread
from sparkads.reporting.models import COUNTED, AdDayRollup, AdHourRollup
from sparkads.reporting.periods import local_hour_and_day

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
    """Per-fold lookups, one query each for all the ads of a fold: each advertiser's timezone and
    each ad's post duration."""

    def __init__(self, session: Session, unread: Sequence[Unread]) -> None:
        advertisers = {row.advertiser_id for row in unread}
        ads = sorted({row.ad_id for row in unread})
        self._zones = dict.fromkeys(advertisers, ZoneInfo("UTC"))
        for advertiser_id, timezone in _chunked(
            session,
            select(Advertiser.advertiser_id, Advertiser.timezone),
            Advertiser.advertiser_id,
            sorted(advertisers),
        ):
            self._zones[advertiser_id] = ZoneInfo(timezone)
        self._durations: dict[str, float | None] = dict.fromkeys(ads)
        query = select(Ad.ad_id, Post.duration).join(Post, Ad.tiktok_item_id == Post.item_id)
        for ad_id, duration in _chunked(session, query, Ad.ad_id, ads):
            self._durations[ad_id] = duration

    def zone(self, advertiser_id: str) -> ZoneInfo:
        return self._zones[advertiser_id]

    def duration(self, ad_id: str) -> float | None:
        return self._durations.get(ad_id)


def _chunked(session: Session, query: Any, column: Any, keys: Sequence[Any]) -> Iterable[Any]:
    for start in range(0, len(keys), _CHUNK):
        yield from session.execute(query.where(column.in_(keys[start : start + _CHUNK])))


Cells = dict[tuple[str, str], dict[str, Any]]


def _aggregate(unread: Iterable[Unread], context: _Context) -> tuple[Cells, Cells]:
    hours: Cells = {}
    days: Cells = {}
    # local hour and day per advertiser and minute: every zone offset since 1972 is whole minutes
    periods: dict[tuple[str, datetime], tuple[str, str]] = {}
    for row in unread:
        minute = (row.advertiser_id, row.occurred_at.replace(second=0, microsecond=0))
        found = periods.get(minute)
        if found is None:
            found = periods[minute] = local_hour_and_day(minute[1], context.zone(minute[0]))
        column = EVENT_COLUMN[row.event_type]
        for key, table in (((row.ad_id, found[0]), hours), ((row.ad_id, found[1]), days)):
            cell = table.get(key)
            if cell is None:
                cell = table[key] = {
                    "advertiser_id": row.advertiser_id,
                    "campaign_id": row.campaign_id,
                    "adgroup_id": row.adgroup_id,
                    "spend": 0,
                    **dict.fromkeys(COUNTED, 0),
                }
            cell[column] += 1
            cell["spend"] += row.cost
    return hours, days


def refresh(session: Session, clock: Clock) -> int:
    """Fold events not read yet into the rollups; returns how many were read."""
    unread, _ = cursor.take_unread(session, clock.now())
    if unread:
        context = _Context(session, unread)
        hours, days = _aggregate(unread, context)
        _add(session, AdHourRollup, "hour", hours, context)
        _add(session, AdDayRollup, "day", days, context)
    session.flush()
    return len(unread)


_ADDED = ("spend", *COUNTED)
_WATCH = ("impressions", "views_2s", "views_6s", "complete_views")
_CHUNK = 500


def _add(session: Session, model: Any, period: str, cells: Cells, context: _Context) -> None:
    """Add the cells' counts to the rollups. Watch time is not additive (it depends on how far
    each impression got): it is set from the cells' totals, read first (the cursor's lock keeps
    every other fold out of these cells)."""
    if not cells:
        return
    table = model.__table__
    keys = list(cells)
    column = getattr(model, period)
    held: dict[tuple[str, str], tuple[int, ...]] = {}
    for start in range(0, len(keys), _CHUNK):
        for ad_id, when, *counts in session.execute(
            select(model.ad_id, column, *(getattr(model, name) for name in _WATCH)).where(
                tuple_(model.ad_id, column).in_(keys[start : start + _CHUNK])
            )
        ):
            held[(ad_id, when)] = tuple(counts)
    rows = []
    for (ad_id, when), cell in cells.items():
        before = held.get((ad_id, when), (0,) * len(_WATCH))
        watched = {name: cell[name] + was for name, was in zip(_WATCH, before, strict=True)}
        rows.append(
            {
                "ad_id": ad_id,
                period: when,
                **cell,
                "play_ms": play_ms(watched, context.duration(ad_id)),
            }
        )
    added: dict[str, Any] = {
        name: (lambda excluded, name=name: table.c[name] + excluded[name]) for name in _ADDED
    }
    added["play_ms"] = lambda excluded: excluded.play_ms
    session.execute(upsert(session, table, ["ad_id", period], added), rows)


def rebuild(session: Session, clock: Clock) -> int:
    """Throw every rollup away and fold all events again (same numbers as incremental)."""
    session.execute(delete(AdHourRollup))
    session.execute(delete(AdDayRollup))
    cursor.reset(session)
    session.flush()
    return refresh(session, clock)
