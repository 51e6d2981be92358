"""Account access requests (R6, R11): a Business Center (or an advertiser, for its own account)
asks, gets a link and QR code; the creator accepts or rejects; either side ends it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Query, Response

from sparkads.accounts.models import TokenScope
from sparkads.api.context import ContextDep
from sparkads.api.native.deps import AnyPrincipal, CreatorPrincipal, RequesterPrincipal
from sparkads.api.native.schemas import AccessRequestCreate, AccessRequestRead, AccountLinkCreate
from sparkads.api.native.views import access_read
from sparkads.authorizations.models import AccessStatus
from sparkads.authorizations.qr import accept_link, qr_png, qr_svg
from sparkads.services import authorizations

router = APIRouter(prefix="/api/v1", tags=["Account access (Business Center, own account)"])


@router.post("/access-requests", status_code=201)
def request_access(
    body: AccessRequestCreate, who: RequesterPrincipal, context: ContextDep
) -> AccessRequestRead:
    """A Business Center asks a creator (by handle) for access to their whole account, or creates
    an open invitation. Send the link or show the QR code to the creator."""
    view = authorizations.request_bc_access(
        context.uow, context.clock, who, handle=body.handle, message=body.message
    )
    return access_read(view, context.settings.public_base_url)


@router.post("/advertisers/{advertiser_id}/tiktok-accounts", status_code=201)
def link_own_account(
    advertiser_id: str, body: AccountLinkCreate, who: RequesterPrincipal, context: ContextDep
) -> AccessRequestRead:
    """An advertiser links its own TikTok account (TT_USER identity); the account accepts."""
    view = authorizations.request_account_link(
        context.uow,
        context.clock,
        who,
        advertiser_id=advertiser_id,
        handle=body.handle,
        message=body.message,
    )
    return access_read(view, context.settings.public_base_url)


@router.get("/access-requests")
def list_requests(
    who: AnyPrincipal, context: ContextDep, status: Annotated[AccessStatus | None, Query()] = None
) -> list[AccessRequestRead]:
    """A creator sees requests addressed to them (pending by default filter: none); a Business
    Center or advertiser sees the requests it made."""
    if who.scope is TokenScope.CREATOR:
        rows = authorizations.creator_requests(
            context.uow, creator_id=who.subject_id, status=status
        )
    elif who.scope is TokenScope.BUSINESS_CENTER:
        rows = authorizations.requester_requests(context.uow, bc_id=who.subject_id)
    else:
        rows = authorizations.requester_requests(context.uow, advertiser_id=who.subject_id)
    base = context.settings.public_base_url
    return [
        access_read(r, base) for r in rows if status is None or r.request.status == status.value
    ]


@router.get("/access-requests/{request_id}")
def get_request(request_id: str, who: AnyPrincipal, context: ContextDep) -> AccessRequestRead:
    view = authorizations.visible_request(context.uow, who, request_id)
    return access_read(view, context.settings.public_base_url)


def _link(context: ContextDep, who: RequesterPrincipal, request_id: str) -> str:
    view = authorizations.visible_request(context.uow, who, request_id)
    return accept_link(context.settings.public_base_url, view.request.request_id)


def _qr_route(kind: str, media_type: str, image: Callable[[str], bytes | str]) -> None:
    """GET /access-requests/{request_id}/qr.<kind>: the QR code encoding the accept link."""

    def request_qr(request_id: str, who: RequesterPrincipal, context: ContextDep) -> Response:
        return Response(image(_link(context, who, request_id)), media_type=media_type)

    router.add_api_route(
        f"/access-requests/{{request_id}}/qr.{kind}",
        request_qr,
        methods=["GET"],
        name=f"request_qr_{kind}",
        description=f"The QR code encoding the accept link, as {kind.upper()}.",
        response_class=Response,
        responses={200: {"content": {media_type: {}}}},
    )


_qr_route("png", "image/png", qr_png)
_qr_route("svg", "image/svg+xml", qr_svg)


def _answer(
    context: ContextDep, who: CreatorPrincipal, request_id: str, *, accept: bool
) -> AccessRequestRead:
    view = authorizations.answer_access(
        context.uow, context.clock, creator_id=who.subject_id, request_id=request_id, accept=accept
    )
    return access_read(view, context.settings.public_base_url)


@router.post("/access-requests/{request_id}/accept")
def accept_request(
    request_id: str, who: CreatorPrincipal, context: ContextDep
) -> AccessRequestRead:
    """The creator grants access; the account becomes a BC_AUTH_TT (or TT_USER) identity."""
    return _answer(context, who, request_id, accept=True)


@router.post("/access-requests/{request_id}/reject")
def reject_request(
    request_id: str, who: CreatorPrincipal, context: ContextDep
) -> AccessRequestRead:
    return _answer(context, who, request_id, accept=False)


@router.post("/access-requests/{request_id}/end")
def end_access(request_id: str, who: AnyPrincipal, context: ContextDep) -> AccessRequestRead:
    """Either side ends an accepted access; its identity stops working at once."""
    view = authorizations.end_access(context.uow, context.clock, who, request_id)
    return access_read(view, context.settings.public_base_url)
