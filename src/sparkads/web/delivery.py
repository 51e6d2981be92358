"""Ads Manager → an ad group's delivery: its delivery status (`services.delivery_status`: delivering,
or not delivering with the main reason, in words, also the badge of the campaigns page) and why it
was (not) served over the last week, from the engine's reasons saved an hour at a time
(`reporting.reason_hours`) plus what this process counted since, each named in the page's language
with what to do about it, and since when the counts run."""

from __future__ import annotations

from datetime import timedelta

from fastapi.responses import Response

from sparkads.campaigns.queries import get_adgroup, get_campaign
from sparkads.campaigns.standing import adgroup_status
from sparkads.delivery.reasons import Excluded, NotServed
from sparkads.services.delivery_status import (
    LEARNING,
    NO_TRAFFIC,
    NOT_DELIVERING,
    Delivery,
    Facts,
    deliveries,
    reason_counts,
)
from sparkads.web.i18n import N_
from sparkads.web.labels import SECONDARY
from sparkads.web.routing import web_router
from sparkads.web.session import Web, WebDep

router = web_router()
SHOWN = timedelta(days=7)  # the counts the page shows: the last week's, saved across restarts
# reason → (label, what to do), in the order an advertiser reads them
REASONS = {
    NotServed.SERVED: (N_("Served"), N_("The ad was shown.")),
    NotServed.OUTBID: (
        N_("Outbid"),
        N_("Another ad won the auction: raise the bid, or let the lowest-cost bid compete."),
    ),
    NotServed.BELOW_RESERVE: (
        N_("Below the reserve price"),
        N_("The bid is under the minimum price of the placement: raise it."),
    ),
    NotServed.PACING: (
        N_("Held back by pacing"),
        N_("The budget is spread over the day along the traffic curve; nothing to do."),
    ),
    NotServed.BUDGET: (
        N_("Budget spent"),
        N_("The daily or lifetime budget is spent: raise it if results are good."),
    ),
    NotServed.CAP: (
        N_("Frequency cap"),
        N_("This viewer has seen the ad enough times for now."),
    ),
    NotServed.SCHEDULE: (
        N_("Outside the schedule"),
        N_("Outside the ad group's dates or dayparting."),
    ),
    NotServed.AUTHORIZATION_EXPIRED: (
        N_("Authorization expired"),
        N_("The creator's Spark code ended: ask for a new code."),
    ),
    NotServed.TARGETING: (
        N_("Viewer not targeted"),
        N_("The viewer did not match the targeting; widen it to reach more people."),
    ),
    NotServed.MINOR_PROFILING: (
        N_("Minor: no profiled ads"),
        N_("A minor in the EEA, UK or Switzerland: no ads from interests, behaviours, audiences."),
    ),
}
EXCLUDED = {
    Excluded.SCHEDULE: N_("The ad group's schedule has ended."),
    Excluded.AUTHORIZATION_EXPIRED: N_("The creator's authorization has expired."),
    Excluded.AUTHORIZATION_REVOKED: N_("The creator revoked the authorization."),
    Excluded.AUTHORIZATION_LOST: N_("The ad group's post can no longer be used."),
    Excluded.POST_UNAVAILABLE: N_("The post was deleted or made unavailable."),
    Excluded.IN_REVIEW: N_("The ad group's ads are waiting for review."),
    Excluded.REVIEW_REJECTED: N_("The ad group's ads were rejected in review."),
}


NOT_DELIVERING_BECAUSE: dict[str, str] = {
    NotServed.OUTBID: N_("Not delivering: outbid"),
    NotServed.BELOW_RESERVE: N_("Not delivering: bid below the reserve price"),
    NotServed.PACING: N_("Not delivering: held back by pacing"),
    NotServed.BUDGET: N_("Not delivering: budget spent"),
    NotServed.CAP: N_("Not delivering: frequency cap reached"),
    NotServed.SCHEDULE: N_("Not delivering: outside the schedule"),
    NotServed.AUTHORIZATION_EXPIRED: N_("Not delivering: authorization expired"),
    NotServed.TARGETING: N_("Not delivering: no feed request matched the targeting"),
    NO_TRAFFIC: N_("Not delivering: no feed request in the last 24 hours"),
    Excluded.AUTHORIZATION_REVOKED: N_("Not delivering: authorization revoked"),
    Excluded.AUTHORIZATION_LOST: N_("Not delivering: authorization lost"),
    Excluded.POST_UNAVAILABLE: N_("Not delivering: post unavailable"),
    Excluded.IN_REVIEW: N_("Not delivering: in review"),
    Excluded.REVIEW_REJECTED: N_("Not delivering: rejected in review"),
    Excluded.NO_ADS: N_("Not delivering: no ad to show"),
}
ADVICE: dict[str, str] = {
    **{reason: advice for reason, (_, advice) in REASONS.items()},
    NO_TRAFFIC: N_("The feed sent no ad request: check that it calls POST /api/v1/feed/decisions."),
}


LEARNING_ADVICE = N_(
    "Delivering while the engine learns who responds: it leaves learning after 50 results in 7 days."
)


def delivery_badge(configured: str, delivery: Delivery | None) -> dict[str, str]:
    """The badge of an ad group: its delivery when it runs, its configuration otherwise."""
    if delivery is None or delivery.state is None:
        label, tone = SECONDARY.get(configured, (configured, "off"))
        return {"code": configured, "label": label, "tone": tone, "advice": ""}
    if delivery.state == LEARNING:
        return {"code": LEARNING, "label": N_("Learning"), "tone": "ok", "advice": LEARNING_ADVICE}
    if delivery.state != NOT_DELIVERING or delivery.reason is None:
        return {"code": configured, "label": N_("Delivering"), "tone": "ok", "advice": ""}
    reason = delivery.reason
    return {
        "code": reason,
        "label": NOT_DELIVERING_BECAUSE.get(reason, N_("Not delivering")),
        "tone": "bad",
        "advice": ADVICE.get(reason, ""),
    }


def delivery_facts(web: Web) -> Facts:
    """What this process knows beyond the saved hours: unsaved counts, ad groups left out; the
    rollups (results, for learning) folded first where no thread keeps them current, as reports
    do (call it before opening the unit of work that reads them)."""
    web.context.rollups.before_read()
    return Facts(web.context.rollups.reasons, dict(web.context.delivery.store.excluded))


@router.get("/ads/adgroups/{adgroup_id}/delivery")
def delivery_page(adgroup_id: str, web: WebDep) -> Response:
    runtime, now = web.context.delivery, web.context.clock.now()
    facts = delivery_facts(web)
    with web.uow() as uow:
        advertiser = web.advertiser(uow.session)
        group = get_adgroup(uow.session, advertiser.advertiser_id, adgroup_id)
        campaign = get_campaign(uow.session, advertiser.advertiser_id, group.campaign_id)
        configured = adgroup_status(group, campaign, now)
        goal = {adgroup_id: group.optimization_goal}
        delivery = deliveries(uow.session, {adgroup_id: configured}, facts, now, goal)[adgroup_id]
        since = max(now - SHOWN, delivery.since) if delivery.since else None
        by_group, requests = reason_counts(uow.session, [adgroup_id], facts, since or now - SHOWN)
    counted = dict(by_group.get(adgroup_id, {}))
    matched = sum(n for reason, n in counted.items() if reason != NotServed.TARGETING)
    counted[NotServed.TARGETING] = counted.get(NotServed.TARGETING, 0) + max(0, requests - matched)
    total = sum(counted.values())
    rows = [
        {"reason": reason, "label": label, "advice": advice, "count": counted.get(reason, 0),
         "share": counted.get(reason, 0) / total if total else 0.0}
        for reason, (label, advice) in REASONS.items()
    ]  # fmt: skip
    rows += [
        {"reason": reason, "label": reason, "advice": "", "count": count,
         "share": count / total if total else 0.0}
        for reason, count in counted.items() if reason not in REASONS
    ]  # fmt: skip
    snapshot = runtime.store.snapshot
    excluded = runtime.store.excluded.get(group.adgroup_id)
    return web.render(
        "ads/delivery.html", section="campaigns", group=group, campaign=campaign, rows=rows,
        total=total, live=snapshot.group(group.adgroup_id) is not None,
        excluded=EXCLUDED.get(excluded, excluded) if excluded else None,
        delivery_status=delivery_badge(configured, delivery), since=since,
    )  # fmt: skip
