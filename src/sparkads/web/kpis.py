"""The dashboard's figures, read from the events and the spend ledger (as
`sparkads.simulation.summary` does): impressions, clicks, CTR, conversions, CPA and spend per day and
per campaign. Reports proper (rollups, breakdowns) live in `sparkads.reporting`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

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


def account_dashboard(
    session: Session, advertiser_id: str, until: datetime, days: int
) -> Dashboard:
    """One ad account over the `days` UTC days ending with `until`'s."""
    first = until.date() - timedelta(days=days - 1)
    since = datetime.combine(first, datetime.min.time(), tzinfo=until.tzinfo)

    def count(kind: str) -> ColumnElement[int]:
        return func.sum(case((Event.event_type == kind, 1), else_=0))

    per_day: dict[date, Kpis] = defaultdict(Kpis)
    per_campaign: dict[str, Kpis] = defaultdict(Kpis)
    event_day = func.date(Event.occurred_at)
    for day, campaign_id, impressions, clicks, conversions in session.execute(
        select(
            event_day, Event.campaign_id, count("impression"), count("click"), count("conversion")
        )
        .where(
            Event.advertiser_id == advertiser_id,
            Event.occurred_at >= since,
            Event.occurred_at <= until,
        )
        .group_by(event_day, Event.campaign_id)
    ):
        kpis = Kpis(int(impressions or 0), int(clicks or 0), int(conversions or 0))
        per_day[_day(day)].add(kpis)
        per_campaign[campaign_id].add(kpis)
    spend_day = func.date(SpendEntry.at)
    for day, campaign_id, amount in session.execute(
        select(spend_day, SpendEntry.campaign_id, func.sum(SpendEntry.amount))
        .where(
            SpendEntry.advertiser_id == advertiser_id,
            SpendEntry.at >= since,
            SpendEntry.at <= until,
        )
        .group_by(spend_day, SpendEntry.campaign_id)
    ):
        per_day[_day(day)].spend += int(amount or 0)
        per_campaign[campaign_id].spend += int(amount or 0)
    total = Kpis()
    for kpis in per_day.values():
        total.add(kpis)
    series = [
        (first + timedelta(days=n), per_day.get(first + timedelta(days=n), Kpis()))
        for n in range(days)
    ]
    return Dashboard(total, series, dict(per_campaign))
