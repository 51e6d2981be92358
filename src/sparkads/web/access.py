"""Business Center access requests, creator side (R11): the page the link and its QR code open, and
the list of requests in Creator Studio; the creator accepts or rejects."""

from __future__ import annotations

from fastapi.responses import Response

from sparkads.services import authorizations
from sparkads.services.authorizations import AccessView
from sparkads.web.forms import FormDep
from sparkads.web.i18n import N_
from sparkads.web.problems import Redirect, safe_next
from sparkads.web.routing import web_router
from sparkads.web.session import WebDep

router = web_router()
STATUS = {
    "PENDING": (N_("Pending"), "warn"),
    "ACCEPTED": (N_("Accepted"), "ok"),
    "REJECTED": (N_("Rejected"), "off"),
    "ENDED": (N_("Ended"), "off"),
}


def describe(view: AccessView) -> dict[str, object]:
    """What a person needs to answer: who asks, for which account, and in what state it is."""
    request = view.request
    label, tone = STATUS[request.status]
    return {
        "request": request,
        "requester": view.requester_name,
        "handle": view.creator.handle if view.creator else None,
        "whole_account": request.kind == "BUSINESS_CENTER",
        "status": label,
        "tone": tone,
    }


@router.get("/studio/access")
def requests_page(web: WebDep) -> Response:
    user = web.require_creator()
    found = authorizations.creator_requests(web.uow, creator_id=user.principal.subject_id)
    rows = [describe(r) for r in found]
    return web.render("studio/access.html", section="access", requests=rows)


@router.get("/access/{request_id}")
def access_page(request_id: str, web: WebDep) -> Response:
    """What a creator sees after scanning the QR code: who asks for what, and how to answer."""
    found = authorizations.open_request(web.uow, request_id)
    request = describe(found)
    mine = (
        web.user is not None
        and web.user.is_creator
        and found.request.creator_id in (None, web.user.principal.subject_id)
    )
    return web.render("access.html", section="access", r=request, mine=mine)


def _answer(request_id: str, web: WebDep, form: FormDep, accept: bool) -> Response:
    if web.user is None:
        raise Redirect(f"/signin?next=/access/{request_id}")
    user = web.require_creator()
    authorizations.answer_access(
        web.uow, web.context.clock, creator_id=user.principal.subject_id, request_id=request_id,
        accept=accept,
    )  # fmt: skip
    web.flash(N_("Access granted.") if accept else N_("Request rejected."))
    return web.redirect(safe_next(form.get("next"), f"/access/{request_id}"))


@router.post("/access/{request_id}/accept")
def accept(request_id: str, web: WebDep, form: FormDep) -> Response:
    return _answer(request_id, web, form, accept=True)


@router.post("/access/{request_id}/reject")
def reject(request_id: str, web: WebDep, form: FormDep) -> Response:
    return _answer(request_id, web, form, accept=False)
