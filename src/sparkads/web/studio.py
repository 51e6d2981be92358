"""Creator Studio: posts with organic and paid counters, publishing, ad authorization (R9: a code for
7, 30, 60 or 365 days, copied once, listed and revoked) and which brands use which posts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from fastapi.responses import Response
from sqlalchemy import select

from sparkads.api.validation import parse_model
from sparkads.authorizations import code_states
from sparkads.authorizations.models import SparkCode
from sparkads.errors import SparkadsError
from sparkads.posts.media import MediaError, read_video
from sparkads.posts.models import Post, Visibility
from sparkads.posts.schemas import PostCreate
from sparkads.services import authorizations, posts
from sparkads.services.assets import MAX_VIDEO_BYTES
from sparkads.web.forms import Form, FormDep
from sparkads.web.i18n import N_, gettext
from sparkads.web.problems import explain, safe_next
from sparkads.web.routing import back_to, shows_errors_on, web_router
from sparkads.web.session import Web, WebDep

router = web_router()
VISIBILITY_LABELS = {
    Visibility.PUBLIC.value: N_("Public"),
    Visibility.FRIENDS.value: N_("Friends"),
    Visibility.PRIVATE.value: N_("Private"),
}
CODE_STATES = {
    "AUTHORIZED": (N_("Active"), "ok"),
    "EXPIRED": (N_("Expired"), "off"),
    "REVOKED": (N_("Revoked"), "bad"),
}


def code_rows(web: Web, rows: Iterable[SparkCode]) -> list[dict[str, object]]:
    now = web.context.clock.now()
    found = []
    for row in rows:
        label, tone = CODE_STATES[code_states.code_state(row, now).value]
        found.append({"row": row, "state": label, "tone": tone})
    return found


@router.get("/studio")
def posts_page(web: WebDep) -> Response:
    user = web.require_creator()
    creator_id = user.principal.subject_id
    rows, total = posts.own_posts(web.uow, creator_id=creator_id, limit=100)
    now = web.context.clock.now()
    active = Counter(
        code.item_id
        for code in authorizations.codes(web.uow, creator_id=creator_id)
        if code_states.code_state(code, now) is code_states.CodeState.AUTHORIZED
    )
    return web.render(
        "studio/posts.html", section="posts", posts=rows, total=total, active=active,
        visibility=VISIBILITY_LABELS,
    )  # fmt: skip


def post_page(web: Web, item_id: str, status: int = 200, **extra: object) -> Response:
    user = web.require_creator()
    found = posts.creator_post(web.uow, creator_id=user.principal.subject_id, item_id=item_id)
    values = {
        "post": found.post,
        "codes": code_rows(web, found.codes),
        # which ad accounts put this post in their creative library, and whether it is still there
        "brands": [{"item": item, "advertiser": advertiser} for item, advertiser in found.brands],
        "history": found.history,
    }
    return web.render(
        "studio/post.html", status=status, section="posts", durations=code_states.DURATIONS,
        visibility=VISIBILITY_LABELS, **values, **extra,
    )  # fmt: skip


def new_post_page(web: Web, form: dict[str, str], error: SparkadsError | None = None) -> Response:
    web.require_creator()
    return web.render(
        "studio/new_post.html", status=400 if error else 200, section="posts", form=form,
        error=explain(error, web.lang) if error else None,
    )  # fmt: skip


def publish_with_error(web: Web, error: SparkadsError, form: Form) -> Response:
    return new_post_page(web, form.values(), error)


@router.get("/studio/posts/new")
def new_post(web: WebDep) -> Response:
    return new_post_page(web, {})


def _video_facts(form: FormDep) -> dict[str, object]:
    """Duration, frame and size read from the uploaded file; nothing when no file was chosen."""
    upload = form.file("video_file")
    if upload is None:
        return {}
    _name, content = upload
    if len(content) > MAX_VIDEO_BYTES:
        raise SparkadsError("video_file_invalid", detail=N_("larger than 500 MB"))
    try:
        facts = read_video(content)
    except MediaError as exc:
        raise SparkadsError("video_file_invalid", detail=exc.text) from None
    found: dict[str, Any] = {"duration": facts.duration, "size_bytes": len(content)}
    if facts.width and facts.height:
        found.update(width=facts.width, height=facts.height)
    return found


def _post_data(form: FormDep) -> dict[str, object]:
    data: dict[str, Any] = {
        "caption": form.get("caption"),
        "visibility": form.get("visibility", "PUBLIC"),
        "ads_only": form.get("ads_only") == "on",
        "duration": form.get("duration") or None,
    }
    if form.get("music_title"):
        data["music"] = {
            "title": form.get("music_title"),
            "cleared_for_commercial_use": form.get("music_cleared") == "on",
        }
    data.update(_video_facts(form))
    return data


@router.post("/studio/posts")
@shows_errors_on(publish_with_error)
def publish(web: WebDep, form: FormDep) -> Response:
    user = web.require_creator()
    data = parse_model(PostCreate, _post_data(form)).command()
    post = posts.publish(
        web.uow, web.context.clock, creator_id=user.principal.subject_id, data=data
    )
    web.flash(N_("Your post is published."))
    return web.redirect(f"/studio/posts/{post.item_id}")


@router.get("/studio/posts/{item_id}")
def show_post(item_id: str, web: WebDep) -> Response:
    shown = web.revealed()  # the code just generated, shown on this page once
    if "new_code" in shown and "new_code_ends" in shown:
        shown["new_code_ends"] = datetime.fromisoformat(shown["new_code_ends"])
    return post_page(web, item_id, **shown)


# The catalogue's solutions speak to the advertiser ("ask the creator…"); in Creator Studio the
# reader is the creator, so the same warnings say what the creator can do.
CREATOR_SOLUTIONS = {
    "not_public_video": N_(
        "Make the post public before sharing the code: brands cannot use it while it is private."
    ),
    "story_not_supported": N_("Stories cannot be sponsored: generate the code on an in-feed post."),
    "video_unavailable": N_("Choose a post that is still online."),
}


def for_the_creator(warning: SparkadsError, lang: str) -> dict[str, str]:
    """A warning rendered for the creator who will read it."""
    rendered = explain(warning, lang)
    if warning.code in CREATOR_SOLUTIONS:
        rendered["solution"] = gettext(lang, CREATOR_SOLUTIONS[warning.code])
    return rendered


@router.post("/studio/posts/{item_id}/authorizations")
@shows_errors_on(back_to("/studio/posts/{item_id}"))  # a refusal: a reload sends nothing again
def generate_code(item_id: str, web: WebDep, form: FormDep) -> Response:
    """The code is in this answer only: sparkads keeps a digest of it, never the code."""
    user = web.require_creator()
    typed = form.get("duration_days")
    try:
        days = int(typed or 0)
    except ValueError:
        raise SparkadsError("invalid_authorization_duration", duration_days=typed) from None
    issued = authorizations.generate_code(
        web.uow, web.context.clock, creator_id=user.principal.subject_id, item_id=item_id,
        duration_days=days,
    )  # fmt: skip
    where = f"/studio/posts/{item_id}"
    web.reveal_next(
        where, new_code=issued.code, new_code_days=issued.row.duration_days,
        new_code_ends=issued.row.ends_at.isoformat(),
        warnings=[for_the_creator(w, web.lang) for w in issued.warnings],
    )  # fmt: skip
    return web.redirect(where)  # POST-redirect-GET: reloading the page mints no second code


@router.post("/studio/authorizations/{authorization_id}/revoke")
def revoke_code(authorization_id: str, web: WebDep, form: FormDep) -> Response:
    user = web.require_creator()
    authorizations.revoke_code(
        web.uow, web.context.clock, creator_id=user.principal.subject_id, ref=authorization_id
    )
    web.flash(N_("The code is revoked: ads using it stop delivering."))
    return web.redirect(safe_next(form.get("next"), "/studio/codes"))


@router.get("/studio/codes")
def codes_page(web: WebDep) -> Response:
    user = web.require_creator()
    codes = authorizations.codes(web.uow, creator_id=user.principal.subject_id)
    with web.uow() as uow:
        captions = {
            post.item_id: post
            for post in uow.session.scalars(
                select(Post).where(Post.item_id.in_({c.item_id for c in codes}))
            )
        }
        rows = code_rows(web, codes)
    return web.render("studio/codes.html", section="codes", codes=rows, posts=captions)
