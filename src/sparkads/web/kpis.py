"""The dashboard's figures, read from the events and the spend ledger (as
`sparkads.simulation.summary` does): impressions, clicks, CTR, conversions, CPA and spend per day and
per campaign, by days of the ad account's timezone. Reports proper (rollups, breakdowns) live in
`sparkads.reporting`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, case, func, literal, literal_column, select
from sqlalchemy.orm import Session

from sparkads.clock import as_utc
from sparkads.events.models import Event, SpendEntry
from sparkads.reporting import periods


@dataclass
class Kpis:
    impressions: int = 0
    clicks: int = 0
    conversions: int = 0
    spend: int = 0  # micros of the account currency

    @property
    def ctr(self) -> float | None:
        return self.clicks / self.impressions if self.impressions else None

    @property
    def cpa(self) -> int | None:
        return self.spend // self.conversions if self.conversions else None

    def add(self, other: Kpis) -> None:
        self.impressions += other.impressions
        self.clicks += other.clicks
        self.conversions += other.conversions
        self.spend += other.spend


@dataclass(frozen=True)
class Dashboard:
    total: Kpis
    days: list[tuple[date, Kpis]]
    campaigns: dict[str, Kpis]


def _local_day(column: Any, since: datetime, until: datetime, zone: ZoneInfo) -> Any:
    """The ad account's day of a timestamp, in SQL: a CASE over the UTC bounds of its local days
    (`periods.segments`, exact for half-hour offsets and clock changes), as the reports bucket."""
    bounds = periods.segments(since, until + timedelta(seconds=1), zone, hourly=False)
    whens = [(column < following, label) for (_, label), (following, _) in pairwise(bounds)]
    last = bounds[-1][1] if bounds else ""
    return (case(*whens, else_=literal(last)) if whens else literal(last)).label("account_day")


def account_dashboard(
    session: Session, advertiser_id: str, until: datetime, days: int, timezone: str = "UTC"
) -> Dashboard:
    """One ad account over the `days` days, in the account's timezone, ending with `until`'s."""
    zone = ZoneInfo(timezone)
    first = as_utc(until).astimezone(zone).date() - timedelta(days=days - 1)
    since = datetime.combine(first, time.min, tzinfo=zone).astimezone(UTC)

    def count(kind: str) -> ColumnElement[int]:
        return func.sum(case((Event.event_type == kind, 1), else_=0))

    per_day: dict[date, Kpis] = defaultdict(Kpis)
    per_campaign: dict[str, Kpis] = defaultdict(Kpis)
    event_day = _local_day(Event.occurred_at, since, until, zone)
    for day, campaign_id, impressions, clicks, conversions in session.execute(
        select(
            event_day,
            Event.campaign_id,
            count("impression"),
            count("click"),
            count("conversion"),
        )
        .where(
            Event.advertiser_id == advertiser_id,
            Event.occurred_at >= since,
            Event.occurred_at <= until,
        )
        .group_by(literal_column("account_day"), Event.campaign_id)
    ):
        kpis = Kpis(int(impressions or 0), int(clicks or 0), int(conversions or 0))
        per_day[date.fromisoformat(day)].add(kpis)
        per_campaign[campaign_id].add(kpis)
    spend_day = _local_day(SpendEntry.at, since, until, zone)
    for day, campaign_id, amount in session.execute(
        select(spend_day, SpendEntry.campaign_id, func.sum(SpendEntry.amount))
        .where(
            SpendEntry.advertiser_id == advertiser_id,
            SpendEntry.at >= since,
            SpendEntry.at <= until,
        )
        .group_by(literal_column("account_day"), SpendEntry.campaign_id)
    ):
        per_day[date.fromisoformat(day)].spend += int(amount or 0)
        per_campaign[campaign_id].spend += int(amount or 0)
    total = Kpis()
    for kpis in per_day.values():
        total.add(kpis)
    series = [
        (first + timedelta(days=n), per_day.get(first + timedelta(days=n), Kpis()))
        for n in range(days)
    ]
    return Dashboard(total, series, dict(per_campaign))
