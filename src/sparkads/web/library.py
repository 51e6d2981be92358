"""Ads Manager → creative library → Spark Ads posts (R10): paste a creator's code, validate it, see
each R15 refusal with its cause and solution; list the posts the ad account may sponsor."""

from __future__ import annotations

from datetime import datetime

from fastapi.responses import Response

from sparkads.authorizations.code_states import check_usable, code_state
from sparkads.errors import SparkadsError
from sparkads.services import authorizations
from sparkads.services.authorizations import LibraryQuery, SparkPost
from sparkads.web.forms import Form, FormDep
from sparkads.web.i18n import N_
from sparkads.web.problems import explain, labelled
from sparkads.web.routing import shows_errors_on, shows_page, web_router
from sparkads.web.session import Web, WebDep
from sparkads.web.studio import CODE_STATES

router = web_router()
PAGE_SIZE = 50
# the form's fields by their labels, for a refusal that names one (the API says the field's code)
LABELS = {"auth_code": N_("Spark code"), "original_post_auth_code": N_("Original post's code")}


def unusable(spark: SparkPost, now: datetime) -> SparkadsError | None:
    """Why this library post's Spark code cannot put it in an ad now (R12, R15), or None (a post
    reached without a code has none to check)."""
    if spark.spark_code is None:
        return None
    try:
        check_usable(spark.spark_code, spark.post, now)
    except SparkadsError as error:
        return error
    return None


def library_page(web: Web, status: int = 200, **extra: object) -> Response:
    account = web.require_ad_account()
    assert web.user is not None
    rows, total = authorizations.library_page(
        web.uow, web.user.principal, advertiser_id=account.advertiser_id,
        query=lambda: LibraryQuery(["VIDEO", "CAROUSEL"], keyword=None, offset=0, limit=PAGE_SIZE),
    )  # fmt: skip
    now = web.context.clock.now()
    items = []
    for spark in rows:
        state = code_state(spark.spark_code, now).value if spark.spark_code else "AUTHORIZED"
        label, tone = CODE_STATES[state]
        error = unusable(spark, now)
        problem = explain(error, web.lang) if error else None
        items.append({"spark": spark, "state": label, "tone": tone, "problem": problem})
    return web.render(
        "ads/library.html", status=status, section="library", items=items, total=total,
        code=extra.pop("code", ""), error=extra.pop("error", None), **extra,
    )  # fmt: skip


def library_with_error(web: Web, error: SparkadsError, form: Form) -> Response:
    code = form.get("auth_code")
    problem = explain(labelled(error, LABELS), web.lang)
    return library_page(web, status=400, code=code, error=problem)


shows_page(router, "/ads/library", library_page)


@router.post("/ads/library")
@shows_errors_on(library_with_error)
def apply_code(web: WebDep, form: FormDep) -> Response:
    """tt_video/authorize from the browser: the same validation, throttle and errors."""
    code, original = form.get("auth_code"), form.get("original_post_auth_code") or None
    account = web.require_ad_account()
    assert web.user is not None
    item = authorizations.apply_code(
        web.uow, web.context.clock, web.context.code_throttle, web.user.principal,
        advertiser_id=account.advertiser_id, auth_code=code, original_post_auth_code=original,
    )  # fmt: skip
    item_id = item.item_id
    web.flash(N_("The post is in your creative library: you can use it in a campaign."))
    return web.redirect(f"/ads/library?added={item_id}")
