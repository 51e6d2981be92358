"""Creator Studio → sponsorships (R19): what sponsorship brought the creator. Each of her posts
authorized for ads (a Spark code, Business Center access, a linked account), the brands that use
it, since when, the state of what lets them, and what their ads delivered on it over a period, by
brand and in total (services.reports.sponsorship_results); then the marketplace's sponsorships:
the brands that invited her, at which agreed fee, the state of the Spark code behind each, and
the paid reach of each post, read through the same marketplace service as GET
/api/v1/sponsorships and counted as GET /api/v1/creator/report does."""

from __future__ import annotations

from fastapi.responses import Response
from sqlalchemy import func, select

from sparkads.authorizations.code_states import code_state
from sparkads.events.models import Event
from sparkads.reporting.creator_results import COUNTS, Delivery, Through, UseState
from sparkads.services import marketplace, reports
from sparkads.traffic.store import MIN_AGGREGATE
from sparkads.web.i18n import N_
from sparkads.web.routing import web_router
from sparkads.web.session import WebDep
from sparkads.web.studio import CODE_STATES

router = web_router()
# An accepted sponsorship whose Spark code is not issued yet; then, the code's state.
ACCEPTED = (N_("Accepted"), "ok")
# The periods a creator may choose: the last days of each brand, or everything so far (0).
PERIODS = (0, 7, 30, 90)
FIGURES = {  # what the rollups count of an ad's delivery on a post, by COUNTS' names
    "impressions": N_("Paid impressions"),
    "views_2s": N_("Paid views"),
    "likes": N_("Likes"),
    "comments": N_("Comments"),
    "shares": N_("Shares"),
    "follows": N_("Follows"),
    "profile_visits": N_("Profile visits"),
}
assert tuple(FIGURES) == COUNTS
THROUGH = {
    Through.SPARK_CODE: N_("Spark code"),
    Through.BUSINESS_CENTER: N_("Business Center access"),
    Through.LINKED_ACCOUNT: N_("Linked account"),
}
USE_STATES = {
    UseState.ACTIVE: (N_("Active"), "ok"),
    UseState.CODE_EXPIRED: (N_("Code expired"), "off"),
    UseState.REVOKED: (N_("Revoked"), "bad"),
    UseState.REMOVED: (N_("Removed from its library"), "off"),
}
DELIVERY = {  # said in words where a brand's use shows nothing in the period
    Delivery.NO_AD: N_("In the brand's library, not yet used in a running ad."),
    Delivery.NOT_RUNNING: N_("In an ad that is not running: paused, or waiting for review."),
    Delivery.NOT_SHOWN_YET: N_("In a running ad that has not been shown yet."),
    Delivery.NOT_IN_PERIOD: N_("Shown before, not in this period."),
}


@router.get("/studio/sponsorships")
def sponsorships_page(web: WebDep, days: str = "0") -> Response:
    user = web.require_creator()
    creator_id = user.principal.subject_id
    now = web.context.clock.now()
    chosen = int(days) if days in {str(d) for d in PERIODS} else 0
    results = reports.sponsorship_results(
        web.uow, web.context.rollups, web.context.clock, creator_id=creator_id,
        days=chosen or None,
    )  # fmt: skip
    found = marketplace.sponsorships(web.uow, creator_id=creator_id)
    with web.uow() as uow:
        items = [s.post.item_id for s in found if s.post is not None]
        # Distinct viewers with an impression on the post, whichever brand paid for it.
        reach = dict(
            uow.session.execute(
                select(Event.item_id, func.count(func.distinct(Event.viewer_id)))
                .where(Event.item_id.in_(items), Event.event_type == "impression")
                .group_by(Event.item_id)
            ).all()
        )
        rows = []
        for s in found:
            label, tone = (
                ACCEPTED if s.spark_code is None else CODE_STATES[code_state(s.spark_code, now)]
            )
            rows.append(
                {
                    "sponsorship": s,
                    "state": label,
                    "tone": tone,
                    "post_reach": int(reach.get(s.post.item_id, 0)) if s.post else 0,
                }
            )
    total = sum(s.collaboration.fee for s in found)
    return web.render(
        "studio/sponsorships.html", section="sponsorships", rows=rows, total=total,
        results=results, periods=PERIODS, chosen=chosen, figures=FIGURES, through=THROUGH,
        use_states=USE_STATES, delivery=DELIVERY, minimum=MIN_AGGREGATE,
    )  # fmt: skip
