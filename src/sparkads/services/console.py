"""The operator console's figures, platform-wide, from what the platform recorded and nothing
else:

* requests, slots and filled slots per UTC day from the traffic log (`traffic_requests`: a
  sampled share of decision requests, each row weighted by 1 / its sample rate, so the counts
  are estimates when the rate is under 1; the page says how many rows they stand on);
* impressions and revenue per day from the rollups (`rollup_ad_day`, days in each ad account's
  timezone, folded first), revenue converted to EUR with `money.EUR_PER_UNIT` (accounts bill in
  their own currency); eCPM = revenue / impressions × 1000;
* top advertisers and creators by revenue over the period (rollups; creators through the ads'
  posts);
* why ad groups were not served: the engine's counted reasons since this process started
  (`Counters`), summed over the live ad groups, and the logged requests no ad group's targeting
  accepted;
* the feeds and their tokens (never a secret: ids, labels, dates, state).

With fewer than `ENOUGH_REQUESTS` logged requests or no impression, `Console.too_little` says so
and the page shows it rather than rates built on nothing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Float, case, cast, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from sparkads.accounts.models import AccessToken, Advertiser, Creator, TokenScope
from sparkads.campaigns.models import Ad
from sparkads.clock import Clock
from sparkads.db.base import Base
from sparkads.delivery.counters import Counters
from sparkads.delivery.model import Snapshot
from sparkads.delivery.reasons import NotServed
from sparkads.money import EUR_PER_UNIT
from sparkads.posts.models import Post
from sparkads.reporting.models import AdDayRollup
from sparkads.traffic.models import TrafficRequest

ENOUGH_REQUESTS = 100  # logged requests under which rates are not shown as meaningful
TOP = 5
PERIODS = (1, 7, 30)


@dataclass
class Day:
    day: str  # YYYY-MM-DD
    requests: float = 0.0  # estimated from the log (weighted by 1 / sample rate)
    logged: int = 0  # rows of the traffic log behind the estimate
    slots: float = 0.0
    filled: float = 0.0
    unmatched: float = 0.0  # requests no ad group's targeting accepted
    impressions: int = 0
    revenue_eur: float = 0.0

    @property
    def fill_rate(self) -> float | None:
        return self.filled / self.slots if self.slots else None

    @property
    def ecpm_eur(self) -> float | None:
        return self.revenue_eur / self.impressions * 1000 if self.impressions else None


@dataclass(frozen=True)
class Top:
    id: str
    name: str
    revenue_eur: float
    impressions: int


@dataclass(frozen=True)
class FeedToken:
    feed_id: str
    label: str
    token_id: str
    created_at: datetime
    revoked_at: datetime | None
    expires_at: datetime | None
    requests: float  # estimated over the period, from the traffic log


@dataclass
class Console:
    days: list[Day]
    totals: Day
    top_advertisers: list[Top]
    top_creators: list[Top]
    reasons: list[tuple[str, int]]  # since this process started, most frequent first
    feeds: list[FeedToken]
    period_days: int
    notes: list[str] = field(default_factory=list)

    @property
    def too_little(self) -> bool:
        return self.totals.logged < ENOUGH_REQUESTS or self.totals.impressions == 0


def figures(
    session: Session,
    clock: Clock,
    counters: Counters,
    snapshot: Snapshot | None,
    period_days: int = 7,
) -> Console:
    """Everything the console shows for the last `period_days` days (today included), from the
    rollups as the folder keeps them (the caller asks the folder first: `before_read`); reads
    only, so a long period holds no write lock."""
    today = clock.now().date()
    first = today - timedelta(days=period_days - 1)
    days = {
        (first + timedelta(days=n)).isoformat(): Day((first + timedelta(days=n)).isoformat())
        for n in range(period_days)
    }
    requests_by_feed = _traffic(session, first, days)
    currencies = dict(session.execute(select(Advertiser.advertiser_id, Advertiser.currency)).all())
    period = _Period(first, today, currencies)
    _delivery(session, period, days)
    totals = Day("total")
    for day in days.values():
        for name in ("requests", "slots", "filled", "unmatched", "revenue_eur"):
            setattr(totals, name, getattr(totals, name) + getattr(day, name))
        totals.logged += day.logged
        totals.impressions += day.impressions
    return Console(
        days=sorted(days.values(), key=lambda d: d.day, reverse=True),
        totals=totals,
        top_advertisers=_top_advertisers(session, period),
        top_creators=_top_creators(session, period),
        reasons=_reasons(counters, snapshot),
        feeds=_feeds(session, requests_by_feed),
        period_days=period_days,
    )


def _traffic(session: Session, first: date, days: dict[str, Day]) -> dict[str, float]:
    weight = 1.0 / cast(TrafficRequest.sample_rate, Float)
    won = TrafficRequest.won
    filled = case(
        (won == "", 0), else_=func.length(won) - func.length(func.replace(won, ";", "")) + 1
    )
    since = datetime.combine(first, datetime.min.time()).replace(tzinfo=UTC)
    day = func.date(TrafficRequest.occurred_at)
    rows = session.execute(
        select(
            day,
            func.count(),
            func.sum(weight),
            func.sum(TrafficRequest.slots * weight),
            func.sum(filled * weight),
            func.sum(case((TrafficRequest.eligible == 0, weight), else_=0.0)),
        )
        .where(TrafficRequest.occurred_at >= since)
        .group_by(day)
    ).all()
    for key, logged, requests, slots, filled_slots, unmatched in rows:
        target = days.get(str(key)[:10])
        if target is None:
            continue
        target.logged += int(logged)
        target.requests += float(requests or 0)
        target.slots += float(slots or 0)
        target.filled += float(filled_slots or 0)
        target.unmatched += float(unmatched or 0)
    by_feed = session.execute(
        select(TrafficRequest.feed_id, func.sum(weight))
        .where(TrafficRequest.occurred_at >= since)
        .group_by(TrafficRequest.feed_id)
    ).all()
    return {str(feed_id): float(total or 0) for feed_id, total in by_feed if feed_id}


def _eur(micros: int, currency: str) -> float:
    return micros / 1_000_000 * EUR_PER_UNIT.get(currency, 1.0)


class _Period(NamedTuple):
    """The rollups' days of the period, and the ad accounts' currencies to bring them to EUR."""

    first: date
    last: date
    currencies: dict[str, str]


def _summed(
    session: Session,
    period: _Period,
    keys: tuple[InstrumentedAttribute[str], ...],
    joins: Sequence[tuple[type[Base], ColumnElement[bool]]] = (),
) -> list[tuple[tuple[str, ...], int, float]]:
    """Impressions and revenue in EUR over the period, per `keys` and ad account (revenue is
    converted in each account's currency before it is added up)."""
    query = select(
        *keys,
        AdDayRollup.advertiser_id,
        func.sum(AdDayRollup.impressions),
        func.sum(AdDayRollup.spend),
    )
    for target, on in joins:
        query = query.join(target, on)
    rows = session.execute(
        query.where(
            AdDayRollup.day >= period.first.isoformat(), AdDayRollup.day <= period.last.isoformat()
        ).group_by(*keys, AdDayRollup.advertiser_id)
    ).all()
    sums = []
    for *key, advertiser_id, impressions, spend in rows:
        revenue = _eur(int(spend or 0), period.currencies.get(advertiser_id, "EUR"))
        sums.append((tuple(str(k) for k in key), int(impressions or 0), revenue))
    return sums


def _delivery(session: Session, period: _Period, days: dict[str, Day]) -> None:
    for (day,), impressions, revenue in _summed(session, period, (AdDayRollup.day,)):
        target = days.get(day)
        if target is None:
            continue
        target.impressions += impressions
        target.revenue_eur += revenue


def _top(sums: list[tuple[tuple[str, ...], int, float]]) -> list[Top]:
    """The first `TOP` by revenue (then impressions, then name) of sums keyed (id, name),
    added up over the ad accounts; none that had neither revenue nor impressions."""
    revenue: dict[tuple[str, ...], float] = defaultdict(float)
    impressions: dict[tuple[str, ...], int] = defaultdict(int)
    for key, imps, eur in sums:
        revenue[key] += eur
        impressions[key] += imps
    ranked = sorted(
        (Top(k[0], k[1], revenue[k], impressions[k]) for k in revenue),
        key=lambda t: (-t.revenue_eur, -t.impressions, t.name),
    )
    return [t for t in ranked if t.revenue_eur > 0 or t.impressions > 0][:TOP]


def _top_advertisers(session: Session, period: _Period) -> list[Top]:
    keys = (Advertiser.advertiser_id, Advertiser.name)
    joins = [(Advertiser, Advertiser.advertiser_id == AdDayRollup.advertiser_id)]
    return _top(_summed(session, period, keys, joins))


def _top_creators(session: Session, period: _Period) -> list[Top]:
    """Creators through the ads' posts, named by their handle."""
    joins = [
        (Ad, Ad.ad_id == AdDayRollup.ad_id),
        (Post, Post.item_id == Ad.tiktok_item_id),
        (Creator, Creator.creator_id == Post.creator_id),
    ]
    sums = _summed(session, period, (Creator.creator_id, Creator.handle), joins)
    return _top(
        [((creator_id, "@" + handle), imps, eur) for (creator_id, handle), imps, eur in sums]
    )


def _reasons(counters: Counters, snapshot: Snapshot | None) -> list[tuple[str, int]]:
    """Reasons counted by the engine for the live ad groups since this process started, except
    'targeting' (a viewer outside an ad group's targeting is not a failure to serve: the
    requests no ad group accepted are counted from the log instead)."""
    if snapshot is None:
        return []
    totals: dict[str, int] = defaultdict(int)
    for group in snapshot.groups:
        for reason, count in counters.reasons(group.adgroup_id).items():
            if reason != NotServed.TARGETING:
                totals[reason] += count
    return sorted(((r, c) for r, c in totals.items() if c), key=lambda rc: (-rc[1], rc[0]))


def _feeds(session: Session, requests_by_feed: dict[str, float]) -> list[FeedToken]:
    rows = session.scalars(
        select(AccessToken)
        .where(AccessToken.scope == TokenScope.FEED.value, AccessToken.web_session.is_(False))
        .order_by(AccessToken.created_at.desc())
    ).all()
    return [
        FeedToken(
            feed_id=row.subject_id,
            label=row.label,
            token_id=row.token_id,
            created_at=row.created_at,
            revoked_at=row.revoked_at,
            expires_at=row.expires_at,
            requests=requests_by_feed.get(row.subject_id, 0.0),
        )
        for row in rows
    ]
