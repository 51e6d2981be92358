"""Feed preview: a phone-sized feed of organic posts with sponsored posts inserted by the real
decision engine for a viewer chosen on the page. Views are measured in the browser by
@sparkads/feed (packages/feed, served as /static/sparkads-feed.js), exactly as on a platform's
feed, and sent to POST /feed/batch (the body of POST /api/v1/events, signed in and CSRF-checked
instead of a feed token); what the user does there (like, share, follow, click) is sent as real
events, so the original post's paid counters move (R2)."""

from __future__ import annotations

import secrets
import time
from datetime import datetime
from typing import Annotated, Any

from babel.numbers import format_decimal
from fastapi import Body, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Creator
from sparkads.campaigns.catalog import catalog
from sparkads.delivery.model import Viewer
from sparkads.errors import SparkadsError
from sparkads.events.kinds import EVENT_TYPES, EventStatus
from sparkads.i18n import LocalText
from sparkads.posts.models import Post, PostStatus, Visibility
from sparkads.services.decisions import Decision, preview_decisions
from sparkads.services.events import IncomingEvent, record_events
from sparkads.web.forms import FormDep, whole_number
from sparkads.web.i18n import N_, gettext
from sparkads.web.labels import INTERESTS
from sparkads.web.problems import safe_next
from sparkads.web.routing import web_router
from sparkads.web.session import Web, WebDep

router = web_router()
ORGANIC_POSTS = 6
SPONSORED_SLOTS = 2
PREVIEW_FEED = "web-preview"  # the feed id its decision tokens are bound to
SPONSORED_AFTER = (1, 3)  # positions in the organic list after which a sponsored post goes
MAX_BATCH = 100  # what @sparkads/feed sends at once is 20
MAX_TOKEN = 2_000
USER_EVENTS = {
    "like": N_("Like counted on the original post."),
    "share": N_("Share counted on the original post."),
    "follow": N_("Follow counted on the creator's account."),
    "click": N_("Click recorded: the landing page would open now."),
}

# Why an event was refused (a result's `reason` on the wire), in words for the page.
REASONS = {
    "token_malformed": N_("the decision token is damaged"),
    "token_tampered": N_("the decision token was altered"),
    "token_expired": N_("the decision token has expired"),
    "token_wrong_feed": N_("the decision token was made for another feed"),
    "unknown_event_type": N_("this kind of event is unknown"),
    "occurred_at_out_of_range": N_("the event's time is too far from its decision's"),
}


def _reason(lang: str, reason: str | None) -> str:
    return gettext(lang, REASONS[reason]) if reason in REASONS else reason or ""


def _viewer(country: str, age: str, gender: str, interest: str, viewer_id: str) -> Viewer:
    return Viewer(
        viewer_id=viewer_id,
        country=country,
        age=whole_number(age),
        gender=gender if gender in ("MALE", "FEMALE") else None,
        interests=(interest,) if interest else (),
    )


def _send(web: Web, events: list[IncomingEvent]) -> list[Any]:
    """What POST /api/v1/events does: verify, record, bill, count; commit, then acknowledge."""
    started = time.perf_counter()
    runtime = web.context.delivery
    results = list(
        record_events(
            web.uow,
            runtime.counters,
            runtime.store.peek,
            runtime.config.verification_keys,
            web.context.clock.now(),
            events,
            feed_id=PREVIEW_FEED,
        )
    )
    if web.context.metrics is not None:  # the preview's events count like a feed's in /metrics
        web.context.metrics.events([r.status for r in results], time.perf_counter() - started)
    return results


def _card(session: Session, post: Post, decision: Decision | None = None) -> dict[str, object]:
    creator = session.get_one(Creator, post.creator_id)
    return {"post": post, "creator": creator, "decision": decision}


def _organic(session: Session) -> list[Post]:
    return list(
        session.scalars(
            select(Post)
            .where(
                Post.status == PostStatus.ACTIVE.value,
                Post.visibility == Visibility.PUBLIC.value,
                Post.ads_only.is_(False),
            )
            .order_by(Post.published_at.desc())
            .limit(ORGANIC_POSTS)
        )
    )


@router.get("/feed")
def feed(
    web: WebDep,
    country: str = "FR",
    age: str = "25",
    gender: str = "",
    interest: str = "",
    viewer: str = "",
) -> Response:
    web.require_user()
    countries = {loc.country_code for loc in catalog().locations(level="COUNTRY")}
    country = country if country in countries else "FR"
    viewer_id = viewer[:64] or f"preview-{secrets.token_hex(4)}"
    person = _viewer(country, age, gender, interest, viewer_id)
    runtime = web.context.delivery
    decisions = preview_decisions(
        runtime.store, runtime.counters, runtime.config, runtime.rng, web.context.clock,
        person, SPONSORED_SLOTS, PREVIEW_FEED,
    )  # fmt: skip
    with web.uow() as uow:
        cards = [_card(uow.session, post) for post in _organic(uow.session)]
        sponsored = [
            _card(uow.session, uow.session.get_one(Post, d.ad.item_id), d) for d in decisions
        ]
    for position, card in zip(
        reversed(SPONSORED_AFTER[: len(sponsored)]), reversed(sponsored), strict=False
    ):
        cards.insert(min(position, len(cards)), card)
    return web.render(
        "feed.html", section="feed", cards=cards, sponsored=len(sponsored),
        viewer={"country": country, "age": age, "gender": gender, "interest": interest, "id": viewer_id},
        countries=sorted(countries), interests=list(INTERESTS.items()),
        messages=_messages(web.lang),
    )  # fmt: skip


def _messages(lang: str) -> dict[str, str]:
    """What the preview's script says after an event, in the page's language."""
    said = {kind: gettext(lang, message) for kind, message in USER_EVENTS.items()}
    said["duplicate"] = gettext(lang, "Already counted: one per post and viewer.")
    said["refused"] = gettext(lang, "Refused: %(reason)s", reason="{reason}")
    said.update({f"reason:{code}": _reason(lang, code) for code in REASONS})
    return said


def _moment(raw: Any, field: str) -> datetime | None:
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise SparkadsError(
            "invalid_parameter", field=field, detail=N_("an ISO 8601 time with a timezone")
        )
    return moment


def _batch(payload: Any) -> list[IncomingEvent]:
    """The body of POST /api/v1/events, checked as strictly."""
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list) or not 1 <= len(events) <= MAX_BATCH:
        raise SparkadsError(
            "invalid_parameter",
            field="events",
            detail=LocalText(N_("a list of 1 to {most} events"), {"most": MAX_BATCH}),
        )
    parsed = []
    for index, event in enumerate(events):
        token = event.get("token") if isinstance(event, dict) else None
        kind = event.get("type") if isinstance(event, dict) else None
        if not isinstance(token, str) or not 1 <= len(token) <= MAX_TOKEN:
            raise SparkadsError(
                "invalid_parameter", field=f"events.{index}.token", detail=N_("a decision token")
            )
        if kind not in EVENT_TYPES:
            raise SparkadsError(
                "invalid_parameter", field=f"events.{index}.type",
                detail=LocalText(N_("one of {choices}"), {"choices": ", ".join(EVENT_TYPES)}),
            )  # fmt: skip
        at = _moment(event.get("occurred_at"), f"events.{index}.occurred_at")
        parsed.append(IncomingEvent(token, kind, at))
    return parsed


@router.post("/feed/batch")
def feed_batch(
    request: Request, web: WebDep, payload: Annotated[Any, Body()] = None
) -> JSONResponse:
    """Events from @sparkads/feed on the preview page: signed in, CSRF token in X-CSRF-Token."""
    web.require_user()
    web.check_csrf(request.headers.get("x-csrf-token", ""))
    results = _send(web, _batch(payload))
    statuses = [r.status for r in results]
    return JSONResponse(
        {
            "accepted": statuses.count(EventStatus.ACCEPTED),
            "duplicates": statuses.count(EventStatus.DUPLICATE),
            "rejected": statuses.count(EventStatus.REJECTED),
            "results": [
                {"index": r.index, "status": r.status, "reason": r.reason, "billed": r.billed}
                for r in results
            ],
        }
    )


def _counters(session: Session, item_id: str, lang: str) -> dict[str, str]:
    post = session.get_one(Post, item_id)
    creator = session.get_one(Creator, post.creator_id)

    def n(value: int) -> str:
        return format_decimal(value, locale=lang)

    return {
        "likes": n(post.organic_likes + post.paid_likes),
        "paid_likes": n(post.paid_likes),
        "shares": n(post.organic_shares + post.paid_shares),
        "paid_shares": n(post.paid_shares),
        "followers": n(creator.followers + creator.paid_followers),
        "paid_followers": n(creator.paid_followers),
    }


@router.get("/feed/counters/{item_id}")
def feed_counters(item_id: str, web: WebDep) -> JSONResponse:
    """A sponsored post's counters as the card shows them, after the package reported an event."""
    web.require_user()
    with web.uow() as uow:
        if uow.session.get(Post, item_id) is None:
            raise SparkadsError("object_not_found", object_type="post", object_id=item_id)
        return JSONResponse(_counters(uow.session, item_id, web.lang))


@router.post("/feed/events")
def feed_event(request: Request, web: WebDep, form: FormDep) -> Response:
    web.require_user()
    kind, item_id = form.get("type"), form.get("item_id")
    if kind not in USER_EVENTS:
        kind = "like"
    [result] = _send(web, [IncomingEvent(form.get("token"), kind)])
    if result.status == EventStatus.ACCEPTED:
        message = gettext(web.lang, USER_EVENTS[kind])
    elif result.status == EventStatus.DUPLICATE:
        message = gettext(web.lang, "Already counted: one per post and viewer.")
    else:
        message = gettext(web.lang, "Refused: %(reason)s", reason=_reason(web.lang, result.reason))
    if "application/json" in request.headers.get("accept", ""):
        with web.uow() as uow:
            counters = _counters(uow.session, item_id, web.lang) if item_id else {}
        return JSONResponse({"status": result.status, "message": message, "counters": counters})
    web.flash(message, "success" if result.status == EventStatus.ACCEPTED else "info")
    return web.redirect(safe_next(form.get("next"), "/feed"))
