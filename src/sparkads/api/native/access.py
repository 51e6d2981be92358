"""Account access requests (R6, R11): a Business Center (or an advertiser, for its own account)
asks, gets a link and QR code; the creator accepts or rejects; either side ends it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy.orm import Session

from sparkads.accounts.models import TokenScope
from sparkads.accounts.service import Principal, authorize_advertiser, business_center_of
from sparkads.api.context import ContextDep
from sparkads.api.native.deps import AnyPrincipal, CreatorPrincipal, RequesterPrincipal
from sparkads.api.native.schemas import AccessRequestCreate, AccessRequestRead, AccountLinkCreate
from sparkads.api.native.views import access_read
from sparkads.authorizations import access
from sparkads.authorizations.models import AccessRequest, AccessStatus
from sparkads.authorizations.qr import qr_png, qr_svg
from sparkads.errors import SparkadsError

router = APIRouter(prefix="/api/v1", tags=["Account access (Business Center, own account)"])


@router.post("/access-requests", status_code=201)
def request_access(
    body: AccessRequestCreate, who: RequesterPrincipal, context: ContextDep
) -> AccessRequestRead:
    """A Business Center asks a creator (by handle) for access to their whole account, or creates
    an open invitation. Send the link or show the QR code to the creator."""
    with context.uow() as uow:
        bc = business_center_of(uow.session, who)
        request = access.request_bc_access(
            uow.session, context.clock, bc=bc, handle=body.handle, message=body.message
        )
        uow.commit()
        return access_read(uow.session, request, context.settings.public_base_url)


@router.post("/advertisers/{advertiser_id}/tiktok-accounts", status_code=201)
def link_own_account(
    advertiser_id: str, body: AccountLinkCreate, who: RequesterPrincipal, context: ContextDep
) -> AccessRequestRead:
    """An advertiser links its own TikTok account (TT_USER identity); the account accepts."""
    with context.uow() as uow:
        advertiser = authorize_advertiser(uow.session, who, advertiser_id)
        request = access.request_account_link(
            uow.session,
            context.clock,
            advertiser=advertiser,
            handle=body.handle,
            message=body.message,
        )
        uow.commit()
        return access_read(uow.session, request, context.settings.public_base_url)


def _visible(session: Session, who: Principal, request_id: str) -> AccessRequest:
    """The request, if this principal is its creator, its Business Center or its advertiser."""
    request = access.get_request(session, request_id)
    if who.scope is TokenScope.CREATOR:
        return access.get_request_for_creator(
            session, creator_id=who.subject_id, request_id=request_id
        )
    if who.scope is TokenScope.BUSINESS_CENTER and request.bc_id == who.subject_id:
        return request
    if who.scope is TokenScope.ADVERTISER and request.advertiser_id == who.subject_id:
        return request
    if who.scope is TokenScope.ADVERTISER and request.bc_id:
        advertiser_bc = business_center_of(session, who).bc_id
        if advertiser_bc == request.bc_id:
            return request
    raise SparkadsError("access_request_not_found", request_id=request_id[:12] + "…")


@router.get("/access-requests")
def list_requests(
    who: AnyPrincipal, context: ContextDep, status: Annotated[AccessStatus | None, Query()] = None
) -> list[AccessRequestRead]:
    """A creator sees requests addressed to them (pending by default filter: none); a Business
    Center or advertiser sees the requests it made."""
    with context.uow() as uow:
        if who.scope is TokenScope.CREATOR:
            rows = access.list_for_creator(uow.session, creator_id=who.subject_id, status=status)
        elif who.scope is TokenScope.BUSINESS_CENTER:
            rows = access.list_for_requester(uow.session, bc_id=who.subject_id)
        else:
            rows = access.list_for_requester(uow.session, advertiser_id=who.subject_id)
        rows = [r for r in rows if status is None or r.status == status.value]
        base = context.settings.public_base_url
        return [access_read(uow.session, r, base) for r in rows]


@router.get("/access-requests/{request_id}")
def get_request(request_id: str, who: AnyPrincipal, context: ContextDep) -> AccessRequestRead:
    with context.uow() as uow:
        request = _visible(uow.session, who, request_id)
        return access_read(uow.session, request, context.settings.public_base_url)


@router.get(
    "/access-requests/{request_id}/qr.png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}},
)
def request_qr_png(request_id: str, who: RequesterPrincipal, context: ContextDep) -> Response:
    """The QR code encoding the accept link, as PNG."""
    with context.uow() as uow:
        request = _visible(uow.session, who, request_id)
        link = access.accept_link(context.settings.public_base_url, request.request_id)
    return Response(qr_png(link), media_type="image/png")


@router.get(
    "/access-requests/{request_id}/qr.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}},
)
def request_qr_svg(request_id: str, who: RequesterPrincipal, context: ContextDep) -> Response:
    """The QR code encoding the accept link, as SVG."""
    with context.uow() as uow:
        request = _visible(uow.session, who, request_id)
        link = access.accept_link(context.settings.public_base_url, request.request_id)
    return Response(qr_svg(link), media_type="image/svg+xml")


@router.post("/access-requests/{request_id}/accept")
def accept_request(
    request_id: str, who: CreatorPrincipal, context: ContextDep
) -> AccessRequestRead:
    """The creator grants access; the account becomes a BC_AUTH_TT (or TT_USER) identity."""
    with context.uow() as uow:
        access.accept(uow.session, context.clock, creator_id=who.subject_id, request_id=request_id)
        uow.commit()
        return access_read(
            uow.session,
            access.get_request(uow.session, request_id),
            context.settings.public_base_url,
        )


@router.post("/access-requests/{request_id}/reject")
def reject_request(
    request_id: str, who: CreatorPrincipal, context: ContextDep
) -> AccessRequestRead:
    with context.uow() as uow:
        request = access.reject(
            uow.session, context.clock, creator_id=who.subject_id, request_id=request_id
        )
        uow.commit()
        return access_read(uow.session, request, context.settings.public_base_url)


@router.post("/access-requests/{request_id}/end")
def end_access(request_id: str, who: AnyPrincipal, context: ContextDep) -> AccessRequestRead:
    """Either side ends an accepted access; its identity stops working at once."""
    with context.uow() as uow:
        request = _visible(uow.session, who, request_id)
        access.end_access(uow.session, context.clock, request, by=who.scope.value)
        uow.commit()
        return access_read(uow.session, request, context.settings.public_base_url)
