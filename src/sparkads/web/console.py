"""The operator console (operator tokens only): platform-wide figures by day (requests, fill
rate, impressions, revenue, eCPM), top advertisers and creators, why ads were not served, the
feeds and their tokens (`services/console.py` says where each figure comes from); how many ads
and appeals wait in the review queue (`web/review.py`)."""

from __future__ import annotations

from fastapi.responses import Response

from sparkads.services import console
from sparkads.web.delivery import REASONS
from sparkads.web.review import reviews_of
from sparkads.web.routing import web_router
from sparkads.web.session import WebDep

router = web_router()


@router.get("/console")
def console_page(web: WebDep, days: int = 7) -> Response:
    web.require_operator()
    period = days if days in console.PERIODS else 7
    runtime = web.context.delivery
    web.context.rollups.before_read()  # folds here only where no folder thread keeps them
    with web.context.traffic_uow() as uow:  # the intake's buffer written first
        figures = console.figures(
            uow.session, web.context.clock, runtime.counters, runtime.store.peek(), period
        )
    reviews = reviews_of(web)
    return web.render(
        "console.html", section="console", figures=figures, periods=console.PERIODS,
        reasons={k: v[0] for k, v in REASONS.items()}, enough=console.ENOUGH_REQUESTS,
        waiting=len(reviews.queue()), appeals=len(reviews.appeals()),
    )  # fmt: skip
