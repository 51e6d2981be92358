"""The dashboard's figures, read from the events and the spend ledger (as
`sparkads.simulation.summary` does): impressions, clicks, CTR, conversions, CPA and spend per day and
per campaign, by days of the ad account's timezone. Reports proper (rollups, breakdowns) live in
`sparkads.reporting`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, case, extract, func, select
from sqlalchemy.orm import Session

from sparkads.clock import as_utc
from sparkads.events.models import Event, SpendEntry


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


def _day(value: object) -> date:
    """`date()` of a timestamp: a string on SQLite, a date on PostgreSQL."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _local_day(utc_day: object, utc_hour: object, zone: ZoneInfo) -> date:
    """The ad account's day of a UTC (day, hour) bucket: figures are grouped per UTC hour in SQL
    (portable to SQLite and PostgreSQL), then each hour lands on its day in the account's zone."""
    moment = datetime.combine(_day(utc_day), time(int(str(utc_hour or 0))), tzinfo=UTC)
    return moment.astimezone(zone).date()


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
    event_day, event_hour = func.date(Event.occurred_at), extract("hour", Event.occurred_at)
    for day, hour, campaign_id, impressions, clicks, conversions in session.execute(
        select(
            event_day,
            event_hour,
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
        .group_by(event_day, event_hour, Event.campaign_id)
    ):
        kpis = Kpis(int(impressions or 0), int(clicks or 0), int(conversions or 0))
        per_day[_local_day(day, hour, zone)].add(kpis)
        per_campaign[campaign_id].add(kpis)
    spend_day, spend_hour = func.date(SpendEntry.at), extract("hour", SpendEntry.at)
    for day, hour, campaign_id, amount in session.execute(
        select(spend_day, spend_hour, SpendEntry.campaign_id, func.sum(SpendEntry.amount))
        .where(
            SpendEntry.advertiser_id == advertiser_id,
            SpendEntry.at >= since,
            SpendEntry.at <= until,
        )
        .group_by(spend_day, spend_hour, SpendEntry.campaign_id)
    ):
        per_day[_local_day(day, hour, zone)].spend += int(amount or 0)
        per_campaign[campaign_id].spend += int(amount or 0)
    total = Kpis()
    for kpis in per_day.values():
        total.add(kpis)
    series = [
        (first + timedelta(days=n), per_day.get(first + timedelta(days=n), Kpis()))
        for n in range(days)
    ]
    return Dashboard(total, series, dict(per_campaign))
