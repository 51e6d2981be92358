"""Secondary statuses (pure): why a campaign, ad group or ad is or is not delivering, in TikTok's
names (reference §4.3). Computed on read from the objects' own state, their parents', the schedule
and the Spark asset, so nothing needs to flip when an authorization expires."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

DELETE, DISABLE = "DELETE", "DISABLE"


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime | None

    def phase(self, now: datetime) -> str:
        if now < self.start:
            return "NOT_START"
        if self.end is not None and now >= self.end:
            return "DONE"
        return "RUNNING"


def campaign_status(own: str) -> str:
    return {DELETE: "CAMPAIGN_STATUS_DELETE", DISABLE: "CAMPAIGN_STATUS_DISABLE"}.get(
        own, "CAMPAIGN_STATUS_ENABLE"
    )


def adgroup_status(own: str, campaign: str, window: Window, now: datetime) -> str:
    if own == DELETE:
        return "ADGROUP_STATUS_DELETE"
    if campaign == DELETE:
        return "ADGROUP_STATUS_CAMPAIGN_DELETE"
    if own == DISABLE:
        return "ADGROUP_STATUS_DISABLE"
    if campaign == DISABLE:
        return "ADGROUP_STATUS_CAMPAIGN_DISABLE"
    phase = window.phase(now)
    if phase == "NOT_START":
        return "ADGROUP_STATUS_NOT_START"
    if phase == "DONE":
        return "ADGROUP_STATUS_TIME_DONE"
    return "ADGROUP_STATUS_DELIVERY_OK"


def ad_status(
    own: str,
    adgroup: str,
    campaign: str,
    window: Window,
    now: datetime,
    asset_lost: bool,
    review: str | None = None,
) -> str:
    """`review`: AD_STATUS_AUDIT, AD_STATUS_REAUDIT or AD_STATUS_AUDIT_DENY while the ad is not
    approved (campaigns/review.py `secondary`)."""
    for state, name in (
        (own, "AD_STATUS_DELETE"),
        (campaign, "AD_STATUS_CAMPAIGN_DELETE"),
        (adgroup, "AD_STATUS_ADGROUP_DELETE"),
    ):
        if state == DELETE:
            return name
    for state, name in (
        (own, "AD_STATUS_DISABLE"),
        (campaign, "AD_STATUS_CAMPAIGN_DISABLE"),
        (adgroup, "AD_STATUS_ADGROUP_DISABLE"),
    ):
        if state == DISABLE:
            return name
    if review is not None:
        return review
    if asset_lost:
        return "AD_STATUS_ASSET_AUTHORIZATION_LOST"
    phase = window.phase(now)
    if phase == "NOT_START":
        return "AD_STATUS_NOT_START"
    if phase == "DONE":
        return "AD_STATUS_DONE"
    return "AD_STATUS_DELIVERY_OK"


def is_delivering(secondary_status: str) -> bool:
    return secondary_status.endswith("DELIVERY_OK")
