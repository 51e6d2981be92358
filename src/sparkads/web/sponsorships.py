"""Creator Studio → sponsorships (R19): the brands that sponsor the creator's posts, at which agreed
fee, the state of the Spark code behind each, and the paid reach of each post, read through the same
marketplace service as GET /api/v1/sponsorships and counted as GET /api/v1/creator/report does."""

from __future__ import annotations

from fastapi.responses import Response
from sqlalchemy import func, select

from sparkads.authorizations.code_states import code_state
from sparkads.events.models import Event
from sparkads.services import marketplace
from sparkads.web.i18n import N_
from sparkads.web.routing import web_router
from sparkads.web.session import WebDep
from sparkads.web.studio import CODE_STATES

router = web_router()
# An accepted sponsorship whose Spark code is not issued yet; then, the code's state.
ACCEPTED = (N_("Accepted"), "ok")


@router.get("/studio/sponsorships")
def sponsorships_page(web: WebDep) -> Response:
    user = web.require_creator()
    now = web.context.clock.now()
    found = marketplace.sponsorships(web.uow, creator_id=user.principal.subject_id)
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
    return web.render("studio/sponsorships.html", section="sponsorships", rows=rows, total=total)
