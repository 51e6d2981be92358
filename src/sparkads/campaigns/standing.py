"""Where an ad group or an ad stands now, as the open API's */get/ and the web's campaign tables
show it: its schedule window, its secondary status and, for an ad, why its post cannot serve.
Read-only; computed from the rows (campaigns/status.py holds the pure rules)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from sparkads.campaigns import review, status
from sparkads.campaigns.assets import Asset, ad_asset, asset_problem
from sparkads.campaigns.models import Ad, AdGroup, Campaign
from sparkads.clock import as_utc
from sparkads.errors import SparkadsError


def window(group: AdGroup) -> status.Window:
    end = as_utc(group.schedule_end_time) if group.schedule_end_time else None
    return status.Window(as_utc(group.schedule_start_time), end)


def adgroup_status(group: AdGroup, campaign: Campaign, now: datetime) -> str:
    return status.adgroup_status(
        group.operation_status, campaign.operation_status, window(group), now
    )


@dataclass(frozen=True)
class AdStanding:
    asset: Asset | None  # what the ad points at, if it still resolves
    problem: SparkadsError | None  # why that post cannot serve now
    secondary: str


def ad_standing(
    session: Session, ad: Ad, group: AdGroup, campaign: Campaign, now: datetime
) -> AdStanding:
    asset = ad_asset(session, ad)
    problem = (
        asset_problem(asset, now)
        if asset is not None
        else SparkadsError(
            "post_not_authorized", item_id=ad.tiktok_item_id, identity_id=ad.identity_id
        )
    )
    secondary = status.ad_status(
        ad.operation_status, group.operation_status, campaign.operation_status, window(group),
        now, asset_lost=problem is not None, review=review.secondary(ad),
    )  # fmt: skip
    return AdStanding(asset, problem, secondary)
