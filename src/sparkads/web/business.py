"""Ads Manager → Business Center (R11): ask a creator for access to their whole account, or link the
ad account's own TikTok account (a TT_USER identity), then show the QR code and the link that open
the page where the creator accepts."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response
from markupsafe import Markup

from sparkads.accounts.models import Advertiser, BusinessCenter
from sparkads.accounts.service import business_center_of
from sparkads.authorizations import access
from sparkads.authorizations.qr import qr_svg
from sparkads.errors import SparkadsError
from sparkads.web.access import describe
from sparkads.web.forms import Form, FormDep
from sparkads.web.i18n import N_
from sparkads.web.problems import PageError, explain
from sparkads.web.routing import shows_errors_on, web_router
from sparkads.web.session import Web, WebDep

router = web_router()


def _bc(web: Web, session: Any) -> BusinessCenter:
    user = web.require_user()
    if not user.is_advertiser:
        raise SparkadsError("wrong_token_scope", needed="business_center", given=user.scope)
    return business_center_of(session, user.principal)


def _own_links(web: Web, session: Any) -> tuple[Advertiser | None, list[dict[str, Any]]]:
    """The current ad account and the requests it sent to link its own TikTok account."""
    try:
        advertiser = web.advertiser(session)
    except PageError:
        return None, []
    rows = access.list_for_requester(session, advertiser_id=advertiser.advertiser_id)
    return advertiser, [describe(session, r) for r in rows if r.bc_id is None]


def bc_page(web: Web, status: int = 200, **extra: Any) -> Response:
    error = extra.pop("error", None)
    with web.uow() as uow:
        user = web.require_user()
        if not user.is_advertiser:
            raise SparkadsError("wrong_token_scope", needed="business_center", given=user.scope)
        account, links = _own_links(web, uow.session)
        try:
            bc: BusinessCenter | None = _bc(web, uow.session)
        except SparkadsError as problem:
            if problem.code != "no_permission":
                raise
            bc, rows = None, []
            if account is None:
                error = error or explain(problem, web.lang)
        else:
            assert bc is not None
            rows = [
                describe(uow.session, r)
                for r in access.list_for_requester(uow.session, bc_id=bc.bc_id)
            ]
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


@router.get("/ads/business-center")
def show(web: WebDep) -> Response:
    return bc_page(web)


@router.post("/ads/business-center/requests")
@shows_errors_on(access_form_with_error)
def request_access(web: WebDep, form: FormDep) -> Response:
    with web.uow() as uow:
        bc = _bc(web, uow.session)
        request = access.request_bc_access(
            uow.session, web.context.clock, bc=bc, handle=form.get("handle") or None,
            message=form.get("message"),
        )  # fmt: skip
        uow.commit()
        request_id = request.request_id
    web.flash(N_("Access requested: show the QR code to the creator, or send the link."))
    return web.redirect(f"/ads/business-center/requests/{request_id}")


@router.post("/ads/business-center/account-links")
@shows_errors_on(link_form_with_error)
def link_own_account(web: WebDep, form: FormDep) -> Response:
    """The ad account asks to link @handle, its own TikTok account; the creator accepts it in
    Creator Studio → Access requests, which makes it a TT_USER identity of the ad account."""
    with web.uow() as uow:
        advertiser = web.advertiser(uow.session)
        request = access.request_account_link(
            uow.session, web.context.clock, advertiser=advertiser,
            handle=form.get("handle").removeprefix("@"), message=form.get("message"),
        )  # fmt: skip
        uow.commit()
        request_id = request.request_id
    web.flash(
        N_("Link requested: accept it in Creator Studio → Access requests, or send the link.")
    )
    return web.redirect(f"/ads/business-center/requests/{request_id}")


def _visible(web: Web, session: Any, request_id: str) -> dict[str, Any]:
    """A request this user sent: from its Business Center, or from one of its ad accounts."""
    user = web.require_user()
    if not user.is_advertiser:
        raise SparkadsError("wrong_token_scope", needed="business_center", given=user.scope)
    request = access.get_request(session, request_id)
    if request.bc_id is not None:
        mine = request.bc_id == _bc(web, session).bc_id
    else:
        mine = request.advertiser_id in {a.advertiser_id for a in user.accounts}
    if not mine:
        raise SparkadsError("access_request_not_found", request_id=request_id[:12] + "…")
    return describe(session, request)


@router.get("/ads/business-center/requests/{request_id}")
def show_request(request_id: str, web: WebDep) -> Response:
    with web.uow() as uow:
        described = _visible(web, uow.session, request_id)
    link = access.accept_link(web.context.settings.public_base_url, request_id)
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
