"""KPIs per campaign over a window, from the events and the spend ledger (what a simulation left)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from sparkads.campaigns.models import Campaign
from sparkads.events.models import Event, SpendEntry
from sparkads.money import from_micros


@dataclass(frozen=True)
class CampaignKpis:
    campaign_id: str
    name: str
    objective: str
    impressions: int
    clicks: int
    conversions: int
    spend: float

    @property
    def ctr(self) -> float:
        return self.clicks / self.impressions if self.impressions else 0.0

    @property
    def cpa(self) -> float | None:
        return self.spend / self.conversions if self.conversions else None


def campaign_kpis(session: Session, since: datetime, until: datetime) -> list[CampaignKpis]:
    def count(kind: str) -> ColumnElement[int]:
        return func.sum(case((Event.event_type == kind, 1), else_=0))

    events = {
        row[0]: row[1:]
        for row in session.execute(
            select(Event.campaign_id, count("impression"), count("click"), count("conversion"))
            .where(Event.occurred_at >= since, Event.occurred_at <= until)
            .group_by(Event.campaign_id)
        )
    }
    spend = dict(
        session.execute(
            select(SpendEntry.campaign_id, func.sum(SpendEntry.amount))
            .where(SpendEntry.at >= since, SpendEntry.at <= until)
            .group_by(SpendEntry.campaign_id)
        )
        .tuples()
        .all()
    )
    rows = []
    for campaign in session.scalars(select(Campaign).order_by(Campaign.create_time)):
        impressions, clicks, conversions = events.get(campaign.campaign_id, (0, 0, 0))
        rows.append(
            CampaignKpis(
                campaign.campaign_id,
                campaign.campaign_name,
                campaign.objective_type,
                int(impressions or 0),
                int(clicks or 0),
                int(conversions or 0),
                float(from_micros(int(spend.get(campaign.campaign_id, 0)))),
            )
        )
    return rows
