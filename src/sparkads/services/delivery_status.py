"""Delivery status from facts, next to the status from configuration (as TikTok Ads Manager shows
a primary status and a delivery status).

An ad group whose configuration says it runs (enabled, its campaign enabled, within its dates:
`ADGROUP_STATUS_DELIVERY_OK`) is *delivering* only if it was served over the last `RECENT` (and
*learning* while its goal's results over a week stay under `LEARNING_RESULTS`); if the
feed asked and it won nothing it is *not delivering*, with the reason counted most often for it
(`delivery.reasons.NotServed`: outbid, below the reserve, pacing, budget, frequency cap, schedule,
authorization expired; `targeting` when no request matched its targeting); one the compiler left
out of the auction is not delivering for that reason (`Excluded`: in review, authorization
lost…); with no feed request at all in the window, `no_traffic`. The counts are the saved hours
(`reporting.reason_hours`) plus what the counters hold that is not saved yet.

Over the open API (`secondary`) the reasons TikTok names keep its v1.3 value (reference §4.3:
`ADGROUP_STATUS_BUDGET_EXCEED`, `…_ASSET_AUTHORIZATION_LOST`, `…_AUDIT`, `…_AUDIT_DENY`); for the
others TikTok has no secondary status, and `primary_status` says `STATUS_NOT_DELIVERY`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sparkads.delivery.reasons import Excluded, NotServed
from sparkads.reporting.models import AdDayRollup
from sparkads.reporting.reason_hours import REQUESTS, ReasonSaver, counted, counting_since

RECENT = timedelta(hours=24)
NO_TRAFFIC = "no_traffic"
DELIVERING, LEARNING, NOT_DELIVERING = "delivering", "learning", "not_delivering"
# an ad group that delivers is learning until its goal's results over the last 7 days reach this
# (TikTok's learning phase: about 50 results a week)
LEARNING_RESULTS, LEARNING_DAYS = 50, 7
RESULT_OF_GOAL = {  # the rollup measure that counts a goal's results (else conversions)
    "REACH": "impressions", "CLICK": "clicks", "TRAFFIC_LANDING_PAGE_VIEW": "clicks",
    "VIDEO_VIEW": "views_6s", "ENGAGED_VIEW": "views_6s", "FOLLOWERS": "follows",
    "PROFILE_VIEWS": "profile_visits",
}  # fmt: skip
RUNNING = "ADGROUP_STATUS_DELIVERY_OK"
# reasons TikTok names an ad group's secondary status for (reference §4.3)
TIKTOK_SECONDARY: dict[str, str] = {
    NotServed.BUDGET: "ADGROUP_STATUS_BUDGET_EXCEED",
    NotServed.AUTHORIZATION_EXPIRED: "ADGROUP_STATUS_ASSET_AUTHORIZATION_LOST",  # = Excluded's
    Excluded.AUTHORIZATION_REVOKED: "ADGROUP_STATUS_ASSET_AUTHORIZATION_LOST",
    Excluded.AUTHORIZATION_LOST: "ADGROUP_STATUS_ASSET_AUTHORIZATION_LOST",
    Excluded.POST_UNAVAILABLE: "ADGROUP_STATUS_ASSET_AUTHORIZATION_LOST",
    Excluded.IN_REVIEW: "ADGROUP_STATUS_AUDIT",
    Excluded.REVIEW_REJECTED: "ADGROUP_STATUS_AUDIT_DENY",
}


@dataclass(frozen=True)
class Delivery:
    """What an ad group did over the window: `state` delivering or not_delivering (None: its
    configuration stops it, nothing to add), with the main `reason` when it did not deliver."""

    state: str | None
    reason: str | None
    served: int  # requests it won in the window
    asked: int  # requests its targeting matched in the window
    requests: int  # feed requests answered in the window, whoever won
    since: datetime | None  # when the saved counts for it begin (None: only this process's)

    def secondary(self, configured: str) -> str:
        """The v1.3 secondary status: the configured one, or TikTok's name for the reason."""
        if self.state != NOT_DELIVERING or self.reason is None:
            return configured
        return TIKTOK_SECONDARY.get(self.reason, configured)

    @property
    def primary(self) -> str | None:
        """`STATUS_DELIVERY_OK` / `STATUS_NOT_DELIVERY` for a running ad group (else None)."""
        if self.state is None:
            return None
        return "STATUS_NOT_DELIVERY" if self.state == NOT_DELIVERING else "STATUS_DELIVERY_OK"


@dataclass(frozen=True)
class Facts:
    """What the statuses of some ad groups are read from: the saved hours and the live state."""

    saver: ReasonSaver | None  # its unsaved counts join the saved ones
    excluded: dict[str, Excluded]  # ad groups the compiler left out of the auction, and why


def deliveries(
    session: Session,
    configured: dict[str, str],
    facts: Facts,
    now: datetime,
    goals: Mapping[str, str] | None = None,
) -> dict[str, Delivery]:
    """The delivery of each ad group of `configured` (ad group → its configured secondary
    status); only running ones (`ADGROUP_STATUS_DELIVERY_OK`) get a state. With their `goals`,
    one that delivers with fewer than `LEARNING_RESULTS` results in a week is learning."""
    running = [a for a, secondary in configured.items() if secondary == RUNNING]
    counts, requests = reason_counts(session, running, facts, now - RECENT)
    results = _results(session, goals or {}, now - timedelta(days=LEARNING_DAYS))
    first_hours = counting_since(session, running) if running else {}
    answer: dict[str, Delivery] = {}
    for adgroup_id in configured:
        if adgroup_id not in running:
            answer[adgroup_id] = Delivery(None, None, 0, 0, requests, None)
            continue
        delivery = _delivery(
            counts.get(adgroup_id, Counter()),
            requests,
            facts.excluded.get(adgroup_id),
            first_hours.get(adgroup_id),
        )
        if delivery.state == DELIVERING and results.get(adgroup_id, 0) < LEARNING_RESULTS:
            delivery = replace(delivery, state=LEARNING)
        answer[adgroup_id] = delivery
    return answer


def _results(session: Session, goals: Mapping[str, str], since: datetime) -> dict[str, int]:
    """Each ad group's results of its goal in the rollups' days from `since`'s on."""
    by_measure: dict[str, list[str]] = {}
    for adgroup_id, goal in goals.items():
        by_measure.setdefault(RESULT_OF_GOAL.get(goal, "conversions"), []).append(adgroup_id)
    found: dict[str, int] = {}
    for measure, ids in by_measure.items():
        rows = session.execute(
            select(AdDayRollup.adgroup_id, func.sum(getattr(AdDayRollup, measure)))
            .where(AdDayRollup.adgroup_id.in_(ids), AdDayRollup.day >= since.date().isoformat())
            .group_by(AdDayRollup.adgroup_id)
        )
        found.update({adgroup_id: int(total or 0) for adgroup_id, total in rows})
    return found


def reason_counts(
    session: Session, adgroup_ids: list[str], facts: Facts, since: datetime
) -> tuple[dict[str, Counter[str]], int]:
    """Each ad group's reasons counted from the hour of `since` on (saved, and not saved yet),
    and the feed requests answered over the same time."""
    counts = counted(session, adgroup_ids, since) if adgroup_ids else {}
    if facts.saver is not None:
        for (group, reason), count in facts.saver.pending(adgroup_ids).items():
            counts.setdefault(group, Counter())[reason] += count
    requests = counts.pop(REQUESTS[0], Counter())[REQUESTS[1]]
    return counts, requests


def _delivery(
    counts: Counter[str], requests: int, excluded: Excluded | None, since: datetime | None
) -> Delivery:
    served = counts[NotServed.SERVED]
    asked = sum(n for reason, n in counts.items() if reason != NotServed.TARGETING)
    if excluded is not None:  # out of the auction now, whatever it won earlier in the window
        reason: str = excluded
    elif served:
        return Delivery(DELIVERING, None, served, asked, requests, since)
    elif asked:
        lost = Counter(
            {r: n for r, n in counts.items() if r not in (NotServed.SERVED, NotServed.TARGETING)}
        )
        reason = lost.most_common(1)[0][0]
    elif requests:
        reason = NotServed.TARGETING
    else:
        reason = NO_TRAFFIC
    return Delivery(NOT_DELIVERING, reason, served, asked, requests, since)
