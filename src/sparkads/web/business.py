"""Ads Manager → Business Center (R11): ask a creator for access to their whole account, or link the
ad account's own TikTok account (a TT_USER identity), then show the QR code and the link that open
the page where the creator accepts."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response
from markupsafe import Markup

from sparkads.accounts.models import Advertiser, BusinessCenter, TokenScope
from sparkads.accounts.principal import tokens_text
from sparkads.authorizations.qr import accept_link, qr_svg
from sparkads.errors import SparkadsError
from sparkads.services import authorizations
from sparkads.web.access import describe
from sparkads.web.forms import Form, FormDep
from sparkads.web.i18n import N_
from sparkads.web.problems import PageError, explain
from sparkads.web.routing import shows_errors_on, shows_page, web_router
from sparkads.web.session import Web, WebDep

router = web_router()


def _require_advertiser(web: Web) -> None:
    user = web.require_user()
    web.send_home(lambda user: user.is_advertiser)
    if not user.is_advertiser:
        raise SparkadsError(
            "wrong_token_scope",
            needed=tokens_text(TokenScope.BUSINESS_CENTER),
            given=tokens_text(user.principal.scope),
        )


def _own_links(web: Web) -> tuple[Advertiser | None, list[dict[str, Any]]]:
    """The current ad account and the requests it sent to link its own TikTok account."""
    if web.require_user().current is None:  # a Business Center with no ad account yet
        return None, []
    try:
        account = web.require_ad_account()
    except PageError:
        return None, []
    assert web.user is not None
    sent = authorizations.account_links(web.uow, web.user.principal, account.advertiser_id)
    assert isinstance(sent.sender, Advertiser)
    return sent.sender, [describe(r) for r in sent.requests]


def bc_page(web: Web, status: int = 200, **extra: object) -> Response:
    error = extra.pop("error", None)
    _require_advertiser(web)
    account, links = _own_links(web)
    assert web.user is not None
    try:
        sent = authorizations.business_center_requests(web.uow, web.user.principal)
    except SparkadsError as problem:
        if problem.code != "no_permission":
            raise
        bc, rows = None, []
        if account is None:
            error = error or explain(problem, web.lang)
    else:
        assert isinstance(sent.sender, BusinessCenter)
        bc, rows = sent.sender, [describe(r) for r in sent.requests]
    return web.render(
        "ads/business.html", status=status, section="bc", bc=bc, requests=rows,
        account=account, links=links, form=extra.pop("form", {}),
        link_form=extra.pop("link_form", {}), error=error,
        link_error=extra.pop("link_error", None),
    )  # fmt: skip


def access_form_with_error(web: Web, error: SparkadsError, form: Form) -> Response:
    return bc_page(web, 400, form=form.values(), error=explain(error, web.lang))


def link_form_with_error(web: Web, error: SparkadsError, form: Form) -> Response:
    return bc_page(web, 400, link_form=form.values(), link_error=explain(error, web.lang))


shows_page(router, "/ads/business-center", bc_page)


@router.post("/ads/business-center/requests")
@shows_errors_on(access_form_with_error)
def request_access(web: WebDep, form: FormDep) -> Response:
    _require_advertiser(web)
    assert web.user is not None
    sent = authorizations.request_bc_access(
        web.uow, web.context.clock, web.user.principal, handle=form.get("handle") or None,
        message=form.get("message"),
    )  # fmt: skip
    request_id = sent.request.request_id
    web.flash(N_("Access requested: show the QR code to the creator, or send the link."))
    return web.redirect(f"/ads/business-center/requests/{request_id}")


@router.post("/ads/business-center/account-links")
@shows_errors_on(link_form_with_error)
def link_own_account(web: WebDep, form: FormDep) -> Response:
    """The ad account asks to link @handle, its own TikTok account; the creator accepts it in
    Creator Studio → Access requests, which makes it a TT_USER identity of the ad account."""
    account = web.require_ad_account()
    assert web.user is not None
    sent = authorizations.request_account_link(
        web.uow, web.context.clock, web.user.principal, advertiser_id=account.advertiser_id,
        handle=form.get("handle").removeprefix("@"), message=form.get("message"),
    )  # fmt: skip
    request_id = sent.request.request_id
    web.flash(
        N_("Link requested: accept it in Creator Studio → Access requests, or send the link.")
    )
    return web.redirect(f"/ads/business-center/requests/{request_id}")


@router.get("/ads/business-center/requests/{request_id}")
def show_request(request_id: str, web: WebDep) -> Response:
    _require_advertiser(web)
    user = web.require_user()
    sent = authorizations.sent_request(
        web.uow, user.principal, request_id, advertiser_ids={a.advertiser_id for a in user.accounts}
    )
    described = describe(sent)
    link = accept_link(web.context.settings.public_base_url, request_id)
    svg = qr_svg(link, scale=6)
    svg = svg[svg.index("<svg") :]
    # segno's own markup, encoding our link: safe to inline.
    return web.render(
        "ads/access_request.html",
        section="bc",
        r=described,
        link=link,
        qr=Markup(svg),  # noqa: S704
    )
