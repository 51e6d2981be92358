"""Ads Manager → an ad group's delivery: why it was (not) served, with the engine's counted reasons
since the server started (the same figures as GET /api/v1/delivery/adgroups/{id}/diagnosis), each
named in the page's language with what to do about it."""

from __future__ import annotations

from fastapi.responses import Response

from sparkads.campaigns.queries import get_adgroup, get_campaign
from sparkads.delivery.reasons import Excluded, NotServed
from sparkads.services.decisions import reasons_report
from sparkads.web.i18n import N_
from sparkads.web.routing import web_router
from sparkads.web.session import WebDep

router = web_router()
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


@router.get("/ads/adgroups/{adgroup_id}/delivery")
def delivery_page(adgroup_id: str, web: WebDep) -> Response:
    runtime = web.context.delivery
    with web.uow() as uow:
        advertiser = web.advertiser(uow.session)
        group = get_adgroup(uow.session, advertiser.advertiser_id, adgroup_id)
        campaign = get_campaign(uow.session, advertiser.advertiser_id, group.campaign_id)
    counted = reasons_report(runtime.counters, group.adgroup_id)
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
    )  # fmt: skip
