"""What ads delivered on a creator's posts over a period, brand by brand (read-only): the counts
from the report rollups (per ad and local day of each brand's timezone, as its reports count
them) and reach, distinct viewers with an impression, from the events read through their ads'
index; a count of people, never given between 1 and MIN_AGGREGATE - 1
(`traffic.store.suppressed`). `reporting.creator_results` puts them together per post and brand."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from sparkads.accounts.models import Advertiser
from sparkads.campaigns.models import Ad
from sparkads.events.models import Event
from sparkads.reporting.models import AdDayRollup
from sparkads.reporting.periods import window
from sparkads.traffic.store import suppressed

# What the rollups hold of an ad's delivery on the post, in the order the pages show them.
COUNTS = ("impressions", "views_2s", "likes", "comments", "shares", "follows", "profile_visits")
Pair = tuple[str, str]  # (advertiser_id, item_id)


@dataclass(frozen=True)
class Figures:
    """What ads delivered on a post (or several) in a period. `reach` is None when between 1 and
    MIN_AGGREGATE - 1 distinct viewers: too few to show without singling people out."""

    impressions: int = 0
    views_2s: int = 0  # paid views: watched at least 2 seconds
    likes: int = 0
    comments: int = 0
    shares: int = 0
    follows: int = 0
    profile_visits: int = 0
    reach: int | None = 0

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNTS}

    def with_reach(self, viewers: int) -> Figures:
        return Figures(**self.counts(), reach=suppressed(viewers))


def summed(figures: Iterable[Figures]) -> Figures:
    """The counts added up; reach is not additive (a viewer seen by two brands is one person)."""
    total = dict.fromkeys(COUNTS, 0)
    for one in figures:
        for name, value in one.counts().items():
            total[name] += value
    return Figures(**total)


@dataclass(frozen=True)
class Period:
    """The last `days` local days of each brand, today included; None: everything so far."""

    days: int | None

    def local_days(self, now: datetime, zone: ZoneInfo) -> tuple[date, date] | None:
        if self.days is None:
            return None
        today = now.astimezone(zone).date()
        return today - timedelta(days=self.days - 1), today


Bounds = Callable[[Advertiser, tuple[date, date], ZoneInfo], ColumnElement[bool]]


def rollup_days(brand: Advertiser, days: tuple[date, date], _zone: ZoneInfo) -> ColumnElement[bool]:
    first, last = days[0].isoformat(), days[1].isoformat()
    return and_(Ad.advertiser_id == brand.advertiser_id, AdDayRollup.day.between(first, last))


def event_times(ads_of: dict[str, list[str]]) -> Bounds:
    """A brand's events in its days, read through its ads' index (ad, time)."""

    def bounds(brand: Advertiser, days: tuple[date, date], zone: ZoneInfo) -> ColumnElement[bool]:
        start, end = window(days[0], days[1], zone)
        mine = Event.ad_id.in_(ads_of.get(brand.advertiser_id, []))
        return and_(mine, Event.occurred_at >= start, Event.occurred_at < end)

    return bounds


def per_brand(
    brands: Sequence[Advertiser], now: datetime, period: Period, bounds: Bounds
) -> ColumnElement[bool] | None:
    """Each brand's rows within its own local days of the period; None: no limit."""
    if period.days is None:
        return None
    parts = []
    for brand in brands:
        zone = ZoneInfo(brand.timezone)
        days = period.local_days(now, zone)
        assert days is not None
        parts.append(bounds(brand, days, zone))
    return or_(*parts) if parts else false()


def counts_of(
    session: Session, items: list[str], within: ColumnElement[bool] | None
) -> dict[Pair, Figures]:
    """The rollups' counts per brand and post."""
    query = (
        select(
            Ad.advertiser_id,
            Ad.tiktok_item_id,
            *(func.sum(getattr(AdDayRollup, name)) for name in COUNTS),
        )
        .join(Ad, Ad.ad_id == AdDayRollup.ad_id)
        .where(Ad.tiktok_item_id.in_(items))
        .group_by(Ad.advertiser_id, Ad.tiktok_item_id)
    )
    if within is not None:
        query = query.where(within)
    return {
        (advertiser_id, item_id): Figures(
            **{name: int(value or 0) for name, value in zip(COUNTS, values, strict=True)}
        )
        for advertiser_id, item_id, *values in session.execute(query)
    }


class Reach:
    """Distinct viewers with an impression on the creator's posts in the period, grouped as asked:
    the events of every ad on her posts (deleted ones too), read through their ad's index."""

    def __init__(
        self, session: Session, ads_of: dict[str, list[str]], within: ColumnElement[bool] | None
    ) -> None:
        self._session = session
        every = [ad_id for ads in ads_of.values() for ad_id in ads]
        self._where = [Event.event_type == "impression"]
        self._where.append(Event.ad_id.in_(every) if within is None else within)

    def of(self, *keys: InstrumentedAttribute[str]) -> dict[object, int]:
        viewers = func.count(func.distinct(Event.viewer_id))
        rows = self._session.execute(select(*keys, viewers).where(*self._where).group_by(*keys))
        return {(tuple(row[:-1]) if len(keys) > 1 else row[0]): int(row[-1]) for row in rows}

    def total(self) -> int:
        viewers = func.count(func.distinct(Event.viewer_id))
        return int(self._session.scalar(select(viewers).where(*self._where)) or 0)
