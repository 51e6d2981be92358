"""Ads Manager → new campaign, in the order of R6: objective → a post from the library (or an own
account's) → call to action, link, targeting, budget, bid, schedule → review (warnings from the
real rules, forecast) → submit. Each step is a POST answered by a redirect to a GET of the next
step (/ads/campaigns/new/<draft>/<step>); the state is kept server-side between the steps
(services.campaign_drafts), and nothing is created before the launch."""

from __future__ import annotations

import re
import secrets
from typing import Any

from fastapi.responses import Response
from markupsafe import Markup

from sparkads.campaigns import review
from sparkads.campaigns.enums import Objective
from sparkads.errors import SparkadsError
from sparkads.services import assets, campaign_drafts
from sparkads.web import drafts
from sparkads.web.drafts import UPLOAD, NewVideo, PostChoice, State, one
from sparkads.web.forms import FormDep
from sparkads.web.i18n import N_
from sparkads.web.labels import (
    OBJECTIVES,
)
from sparkads.web.problems import explain, invalid_field
from sparkads.web.routing import web_router
from sparkads.web.session import Web, WebDep
from sparkads.web.wizard_choices import (
    details_choices,
    new_video_of,
    post_choices,
    targeting_choices,
    upload_accounts,
)

router = web_router()
STEPS = ("objective", "post", "details", "review")
STEP_LABELS = {
    "objective": N_("Objective"),
    "post": N_("Post"),
    "details": N_("Audience, budget and bid"),
    "review": N_("Review"),
}
CONTROL_FIELDS = {"csrf_token", "step", "go", "key"}
STEP_FIELDS = {
    "objective": ("objective", "campaign_name"),
    "post": ("post", "upload_identity", "ad_text"),  # video_id travels hidden once uploaded
    "details": (
        "promotion_type", "call_to_action", "landing_page_url", "location_ids", "age_groups",
        "gender", "interests", "languages", "behaviour_actions", "behaviour_category",
        "behaviour_period", "operating_systems", "min_android_version", "min_ios_version",
        "network_types", "audience_ids", "excluded_audience_ids", "goal", "budget_mode",
        "budget", "bid_type", "bid", "schedule", "start", "end", "adgroup_name", "ad_name",
    ),
    "review": (),
}  # fmt: skip


def _review(web: Web, state: State, key: str) -> dict[str, object]:
    """A dry run: everything is created through the services, then rolled back (leaving the
    unit of work without commit), so the review shows what launching will do. The forecast runs
    afterwards, outside that transaction, so it holds no lock while it replays the traffic log."""
    with web.uow() as uow:
        advertiser = web.advertiser(uow.session)
    built = drafts.build(web, advertiser, state, key, dry_run=True)
    runtime = web.context.delivery
    outlook, no_basis = None, None
    with web.context.traffic_uow() as uow:
        try:
            outlook = drafts.outlook(
                uow.session, built, advertiser, runtime.store.snapshot, runtime.counters,
                web.context.clock.now(), web.context.traffic.settings.sample_rate,
            )  # fmt: skip
        except SparkadsError as error:
            if error.code != "forecast_no_basis":
                raise
            no_basis = explain(error, web.lang)
    zero = outlook.zero.render(web.lang) if outlook and outlook.zero else None
    return {
        "built": built, "outlook": outlook, "no_basis": no_basis,
        # catalogue texts with numbers and an amount: nothing typed by a user, shown as written
        "zero": {k: Markup(v) for k, v in zero.items()} if zero else None,  # noqa: S704
        "warnings": [explain(drafts.warning_in_words(w, web.lang), web.lang) for w in built.warnings],
        "review_status": built.ad.review_status,
        "review_reasons": [explain(r, web.lang) for r in review.reasons(built.ad)],
    }  # fmt: skip


def step_page(
    web: Web, step: str, state: State, key: str, error: SparkadsError | None = None
) -> Response:
    review: dict[str, Any] = {}
    if step == "review" and error is not None:
        step = "details"
    elif step == "review":
        try:
            review = _review(web, state, key)
        except SparkadsError as problem:
            step, error = "details", drafts.labelled(problem)
    with web.uow() as uow:
        advertiser = web.advertiser(uow.session)
        choices = post_choices(uow.session, advertiser, web.context.clock.now())
        chosen = next((c for c in choices if c["value"] == one(state, "post")), None)
        accounts = upload_accounts(uow.session, advertiser)
        new_video = new_video_of(uow.session, advertiser, state)
        details = (
            details_choices(web.lang, advertiser, state) if step in ("details", "review") else {}
        )
        if step in ("details", "review"):  # the review names the languages and audiences
            details.update(targeting_choices(uow.session, advertiser, web.lang))
    return web.render(
        "ads/wizard.html", section="campaigns", step=step,
        steps=STEPS, step_labels=STEP_LABELS, state=state,
        key=key, currency=advertiser.currency, choices=choices, post=chosen, upload=UPLOAD,
        accounts=accounts, new_video=new_video,
        objectives=[(o.value, *OBJECTIVES[o.value]) for o in Objective],
        error=explain(error, web.lang) if error else None, invalid=invalid_field(error),
        one=one, **details, **review,
    )  # fmt: skip


KEY = re.compile(r"[0-9a-f]{16}")


def _draft_url(key: str, step: str) -> str:
    return f"/ads/campaigns/new/{key}/{step}"


@router.get("/ads/campaigns/new")
def start(web: WebDep, post: str = "") -> Response:
    state: State = {"post": [post]} if PostChoice.parse(post) else {}
    return step_page(web, "objective", state, secrets.token_hex(8))


@router.get("/ads/campaigns/new/{key}/{step}")
def show_step(key: str, step: str, web: WebDep) -> Response:
    """A step of a draft kept server-side: what the last form sent, and its problem, if any."""
    account = web.require_ad_account()
    user = web.require_user()
    draft = campaign_drafts.load(
        web.uow, user.principal, advertiser_id=account.advertiser_id, draft_id=key
    )
    if step not in STEPS or draft is None:
        web.flash(N_("That campaign draft is no longer here: start again."), "info")
        return web.redirect("/ads/campaigns/new")
    problem = draft.problem if draft.problem_step == step else None
    return step_page(web, step, draft.state, key, problem)


def _state(before: State, form: FormDep, step: str) -> State:
    """The draft's state with what this step's form sent (a box left unticked is cleared)."""
    state = dict(before)
    for name in STEP_FIELDS.get(step, ()):
        state.pop(name, None)
    for name in form.names():
        if name not in CONTROL_FIELDS:
            state[name] = form.getlist(name)
    return state


def _check_step(step: str, state: State) -> None:
    """What each step needs before the next one; the full rules run at the review."""
    if step == "objective" and one(state, "objective") not in {o.value for o in Objective}:
        raise SparkadsError(
            "invalid_parameter", field="objective", detail=N_("choose an objective")
        )
    if step != "post":
        return
    new_video = NewVideo.from_state(state)
    if new_video is not None:
        if (problem := new_video.problem()) is not None:
            raise problem
    elif PostChoice.parse(one(state, "post")) is None:
        raise SparkadsError("invalid_parameter", field="post", detail=N_("choose a post"))


def _receive_video(web: Web, form: FormDep, state: State) -> None:
    """A file chosen at the post step is uploaded at once (as file/video/ad/upload/ does): the
    draft then carries only its video_id. Choosing no new file keeps the one already uploaded."""
    upload = form.file("video_file")
    if one(state, "post") != UPLOAD or upload is None:
        return
    name, content = upload
    account = web.require_ad_account()
    assert web.user is not None
    video = assets.upload_video(
        web.uow, web.context.clock, web.user.principal, account.advertiser_id,
        assets.VideoFile(content, name),
    )  # fmt: skip
    state["video_id"] = [video.video_id]


def _dry_run(web: Web, state: State, key: str) -> None:
    """Everything the review will create, created and rolled back: its errors stay on the
    details step."""
    with web.uow() as uow:
        advertiser = web.advertiser(uow.session)
    drafts.build(web, advertiser, state, key, dry_run=True)


def _next_step(web: Web, form: FormDep, step: str, state: State, key: str) -> str:
    """Do what the button asks: the step to show next, or "launched" once the campaign exists."""
    position, go = STEPS.index(step), form.get("go", "next")
    if go == "back":
        return STEPS[max(0, position - 1)]
    if go == "launch":
        launch(web, state, key)
        return "launched"
    if step == "post":
        _receive_video(web, form, state)
    _check_step(step, state)
    if step == "details":
        _dry_run(web, state, key)
    return STEPS[min(len(STEPS) - 1, position + 1)]


@router.post("/ads/campaigns/new")
def advance(web: WebDep, form: FormDep) -> Response:
    """Every step is a POST answered by a redirect to a GET of the step to show (the draft is
    kept server-side), so reloading or switching language re-sends nothing. A refused step is
    kept in the draft with its problem, shown on that step (a launch's on the details step)."""
    account, user = web.require_ad_account(), web.require_user()
    step = form.get("step") if form.get("step") in STEPS else "objective"
    key = form.get("key") if KEY.fullmatch(form.get("key")) else secrets.token_hex(8)
    draft = campaign_drafts.load(
        web.uow, user.principal, advertiser_id=account.advertiser_id, draft_id=key
    )
    state, problem = _state(draft.state if draft else {}, form, step), None
    try:
        target = _next_step(web, form, step, state, key)
    except SparkadsError as error:
        launching = form.get("go", "next") == "launch"
        target, problem = ("details" if launching else step), drafts.labelled(error)
        if launching and error.code == "duplicated_request":  # sent twice: the first went through
            target, problem = "launched", None
    if target == "launched":
        campaign_drafts.discard(web.uow, user.principal, draft_id=key)
        return web.redirect("/ads/campaigns")
    campaign_drafts.save(
        web.uow, web.context.clock, user.principal, advertiser_id=account.advertiser_id,
        draft_id=key, state=state, problem=(target, problem) if problem else None,
    )  # fmt: skip
    return web.redirect(_draft_url(key, target))


def launch(web: Web, state: State, key: str) -> None:
    """Create the campaign for real."""
    with web.uow() as uow:
        advertiser = web.advertiser(uow.session)
    built = drafts.build(web, advertiser, state, key, dry_run=False)
    web.flash(N_("Campaign “%(name)s” launched."), name=built.campaign.campaign_name)
