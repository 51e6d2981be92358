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
    prefix = "ADGROUP_STATUS_"
    stopped = _stopped(prefix, ((own, ""), (campaign, "CAMPAIGN_")))
    return stopped or _scheduled(prefix, window.phase(now), done="TIME_DONE")


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
    prefix = "AD_STATUS_"
    stopped = _stopped(prefix, ((own, ""), (campaign, "CAMPAIGN_"), (adgroup, "ADGROUP_")))
    if stopped is not None:
        return stopped
    if review is not None:
        return review
    if asset_lost:
        return "AD_STATUS_ASSET_AUTHORIZATION_LOST"
    return _scheduled(prefix, window.phase(now), done="DONE")


def _stopped(prefix: str, levels: tuple[tuple[str, str], ...]) -> str | None:
    """`<prefix><level>DELETE` for the first level deleted (the object, then its parents), else
    `<prefix><level>DISABLE` for the first disabled; None when every level is enabled."""
    for stop in (DELETE, DISABLE):
        for state, level in levels:
            if state == stop:
                return f"{prefix}{level}{stop}"
    return None


def _scheduled(prefix: str, phase: str, *, done: str) -> str:
    """An enabled object's status from where its schedule is."""
    if phase == "NOT_START":
        return f"{prefix}NOT_START"
    if phase == "DONE":
        return prefix + done
    return f"{prefix}DELIVERY_OK"


def is_delivering(secondary_status: str) -> bool:
    return secondary_status.endswith("DELIVERY_OK")
