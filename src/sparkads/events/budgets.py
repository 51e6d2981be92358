"""Which budget lines an event bills against: the ad group's and campaign's day in the advertiser's
timezone (and lifetime lines), from the live snapshot, or from the database for ad groups that
left it (paused since the decision: the impression still happened)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.campaigns.models import AdGroup, Campaign
from sparkads.delivery.counters import BudgetLine
from sparkads.delivery.engine import budget_lines
from sparkads.delivery.model import Snapshot


class BudgetBook:
    def __init__(self, session: Session, snapshot: Callable[[], Snapshot | None]) -> None:
        self._session = session
        self._snapshot = snapshot
        self._fallback: dict[str, tuple[ZoneInfo, int | None, int | None, int | None, str]] = {}

    def lines(self, adgroup_id: str, at: datetime) -> tuple[list[BudgetLine], str]:
        """Budget lines and the local day (YYYY-MM-DD) the spend belongs to."""
        snapshot = self._snapshot()
        group = snapshot.group(adgroup_id) if snapshot is not None else None
        if group is not None:
            day = at.astimezone(group.timezone).date()
            return budget_lines(group, day), day.isoformat()
        zone, daily, lifetime, campaign_daily, campaign_id = self._from_database(adgroup_id)
        day = at.astimezone(zone).date()
        lines = [
            BudgetLine(f"ag:{adgroup_id}:{day}", daily),
            BudgetLine(f"cp:{campaign_id}:{day}", campaign_daily),
        ]
        if lifetime is not None:
            lines.append(BudgetLine(f"agl:{adgroup_id}", lifetime))
        return lines, day.isoformat()

    def _from_database(
        self, adgroup_id: str
    ) -> tuple[ZoneInfo, int | None, int | None, int | None, str]:
        if adgroup_id not in self._fallback:
            group = self._session.get_one(AdGroup, adgroup_id)
            campaign = self._session.get_one(Campaign, group.campaign_id)
            advertiser = self._session.get_one(Advertiser, group.advertiser_id)
            self._fallback[adgroup_id] = (
                ZoneInfo(advertiser.timezone),
                group.budget if group.budget_mode == "BUDGET_MODE_DAY" else None,
                group.budget if group.budget_mode == "BUDGET_MODE_TOTAL" else None,
                campaign.budget if campaign.budget_mode == "BUDGET_MODE_DAY" else None,
                campaign.campaign_id,
            )
        return self._fallback[adgroup_id]
