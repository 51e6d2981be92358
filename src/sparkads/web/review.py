"""The review queue of the platform's operators and reviewers (operator tokens, signed in with a
pasted token): approve an ad, or reject it with reason codes the advertiser then reads in Ads
Manager and through ad/review_info/; decide creators' appeals of takedowns. Creator Studio's side
of a takedown (the reason, the appeal form) is here too. Everything goes through
services.reviews."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi.responses import Response

from sparkads.accounts.models import Role
from sparkads.campaigns.policy import RuleKind
from sparkads.campaigns.review import REVIEWER_REASONS
from sparkads.errors import SparkadsError
from sparkads.services.reviews import Reviews
from sparkads.web.forms import Form, FormDep
from sparkads.web.i18n import N_
from sparkads.web.problems import explain
from sparkads.web.routing import back_to, shows_errors_on, shows_page, web_router
from sparkads.web.session import Web, WebDep

router = web_router()
REASON_LABELS = {
    "review_misleading": N_("Misleading claims"),
    "review_inappropriate": N_("Inappropriate content"),
    "review_intellectual_property": N_("Someone else's rights (music, images, brands)"),
    "review_low_quality": N_("Low quality"),
    "review_prohibited_word": N_("Prohibited word"),
    "review_prohibited_category": N_("Prohibited category"),
}
assert set(REASON_LABELS) == set(REVIEWER_REASONS)


def reviews_of(web: Web) -> Reviews:
    context = web.context
    return Reviews(web.uow, context.clock, auto_approve=context.settings.auto_approve)


def _reviewer(web: Web) -> str:
    user = web.require_reviewer()
    return f"{user.principal.role.value} {user.principal.subject_id}"


RULE_LABELS = {
    RuleKind.PROHIBITED_WORD: N_("Prohibited word"),
    RuleKind.PROHIBITED_CATEGORY: N_("Prohibited category (name: word, word)"),
    RuleKind.AGE_RESTRICTED_CATEGORY: N_("18+ only category (name: word, word)"),
    RuleKind.BLOCKED_DOMAIN: N_("Blocked landing-page domain"),
    RuleKind.ALLOWED_DOMAIN: N_("Allowed landing-page domain (only these)"),
    RuleKind.MIN_DURATION: N_("Shortest video (seconds)"),
    RuleKind.MAX_DURATION: N_("Longest video (seconds)"),
    RuleKind.BLOCKED_FORMAT: N_("Blocked post format"),
}
assert set(RULE_LABELS) == set(RuleKind)


def _operator(web: Web) -> None:
    """Policy rules are the operators' (a reviewer applies them)."""
    user = web.require_reviewer()
    if user.principal.role is Role.REVIEWER:
        raise SparkadsError("role_not_allowed", role="reviewer", needed="an operator token")


def queue_page(
    web: Web,
    status: int = 200,
    error: SparkadsError | None = None,
    typed: Mapping[str, str] | None = None,
) -> Response:
    user = web.require_reviewer()
    reviews = reviews_of(web)
    operator = user.principal.role is not Role.REVIEWER
    return web.render(
        "review.html",
        status=status,
        section="review",
        ads=reviews.queue(),
        appeals=reviews.appeals(),
        reasons=[(code, REASON_LABELS[code]) for code in REVIEWER_REASONS],
        rules=reviews.rules() if operator else None,
        rule_kinds=[(kind.value, label) for kind, label in RULE_LABELS.items()],
        error=explain(error, web.lang) if error else None,
        typed=typed or {},
    )


def queue_with_error(web: Web, error: SparkadsError, form: Form) -> Response:
    """The queue again with the problem; a refused rule's form filled in as it was sent."""
    typed = {key: form.get(key) for key in ("kind", "value")}
    return queue_page(web, error.spec.http_status, error, typed)


@router.post("/review/rules")
@shows_errors_on(queue_with_error)
def add_rule(web: WebDep, form: FormDep) -> Response:
    _operator(web)
    reviews_of(web).add_rule(form.get("kind"), form.get("value"))
    web.flash(N_("Rule added: new and edited ads meet it."))
    return web.redirect("/review#rules")


@router.post("/review/rules/{rule_id}/remove")
@shows_errors_on(queue_with_error)
def remove_rule(rule_id: str, web: WebDep, form: FormDep) -> Response:
    _operator(web)
    reviews_of(web).remove_rule(rule_id)
    web.flash(N_("Rule removed."))
    return web.redirect("/review#rules")


shows_page(router, "/review", queue_page)


@router.post("/review/ads/{ad_id}/approve")
@shows_errors_on(queue_with_error)
def approve(ad_id: str, web: WebDep, form: FormDep) -> Response:
    reviews_of(web).approve(ad_id, reviewer=_reviewer(web))
    web.flash(N_("Approved: the ad serves within a second."))
    return web.redirect("/review")


@router.post("/review/ads/{ad_id}/reject")
@shows_errors_on(queue_with_error)
def reject(ad_id: str, web: WebDep, form: FormDep) -> Response:
    reviews_of(web).reject(
        ad_id,
        reviewer=_reviewer(web),
        reasons=form.getlist("reason"),
        note=form.get("note"),
    )
    web.flash(N_("Rejected: the advertiser sees the reasons."))
    return web.redirect("/review")


@router.post("/review/appeals/{item_id}")
@shows_errors_on(queue_with_error)
def decide_appeal(item_id: str, web: WebDep, form: FormDep) -> Response:
    reinstate = form.get("decision") == "reinstate"
    reviews_of(web).decide_appeal(item_id, reinstate=reinstate, reviewer=_reviewer(web))
    web.flash(
        N_("Reinstated: the post is back and its ads are reviewed again.")
        if reinstate
        else N_("Takedown upheld.")
    )
    return web.redirect("/review")


@router.post("/studio/posts/{item_id}/appeal")
@shows_errors_on(back_to("/studio/posts/{item_id}"))  # the refusal is shown on the post's page
def appeal(item_id: str, web: WebDep, form: FormDep) -> Response:
    """The creator contests a takedown from the post's page."""
    user = web.require_creator()
    reviews_of(web).appeal(
        creator_id=user.principal.subject_id, item_id=item_id, text=form.get("text")
    )
    web.flash(N_("Appeal sent: a reviewer will look at the post again."))
    return web.redirect(f"/studio/posts/{item_id}")
