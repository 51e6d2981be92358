"""Ads Manager → Business Center (R11): ask a creator for access to their whole account, then show
them the QR code and the link that open the page where they accept."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response
from markupsafe import Markup

from sparkads.accounts.models import BusinessCenter
from sparkads.accounts.service import business_center_of
from sparkads.authorizations import access
from sparkads.authorizations.qr import qr_svg
from sparkads.errors import SparkadsError
from sparkads.web.access import describe
from sparkads.web.i18n import N_
from sparkads.web.routing import web_router
from sparkads.web.session import FormDep, Web, WebDep, explain

router = web_router()


def _bc(web: Web, session: Any) -> BusinessCenter:
    user = web.require_user()
    if user.is_creator:
        raise SparkadsError("wrong_token_scope", needed="business_center", given=user.scope)
    return business_center_of(session, user.principal)


def bc_page(web: Web, status: int = 200, **extra: Any) -> Response:
    with web.uow() as uow:
        try:
            bc = _bc(web, uow.session)
        except SparkadsError as error:
            if error.code != "no_permission":
                raise
            return web.render(
                "ads/business.html", section="bc", bc=None, requests=[], form={},
                error=explain(error, web.lang),
            )  # fmt: skip
        rows = [
            describe(uow.session, r) for r in access.list_for_requester(uow.session, bc_id=bc.bc_id)
        ]
    return web.render(
        "ads/business.html", status=status, section="bc", bc=bc, requests=rows,
        form=extra.pop("form", {}), error=extra.pop("error", None),
    )  # fmt: skip


@router.get("/ads/business-center")
def show(web: WebDep) -> Response:
    return bc_page(web)


@router.post("/ads/business-center/requests")
def request_access(web: WebDep, form: FormDep) -> Response:
    try:
        with web.uow() as uow:
            bc = _bc(web, uow.session)
            request = access.request_bc_access(
                uow.session, web.context.clock, bc=bc, handle=form.get("handle") or None,
                message=form.get("message"),
            )  # fmt: skip
            uow.commit()
            request_id = request.request_id
    except SparkadsError as error:
        return bc_page(web, 400, form=form.values(), error=explain(error, web.lang))
    web.flash(N_("Access requested: show the QR code to the creator, or send the link."))
    return web.redirect(f"/ads/business-center/requests/{request_id}")


@router.get("/ads/business-center/requests/{request_id}")
def show_request(request_id: str, web: WebDep) -> Response:
    with web.uow() as uow:
        bc = _bc(web, uow.session)
        request = access.get_request(uow.session, request_id)
        if request.bc_id != bc.bc_id:
            raise SparkadsError("access_request_not_found", request_id=request_id[:12] + "…")
        described = describe(uow.session, request)
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
