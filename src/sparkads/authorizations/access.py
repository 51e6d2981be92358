"""Account access (R6, R11): a Business Center asks for a creator's whole account (BC_AUTH_TT), or an
advertiser links its own TikTok account (TT_USER). The creator accepts or rejects; either side can
end it. The request id is unguessable: it is the secret carried by the link and its QR code."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser, BusinessCenter, Creator
from sparkads.accounts.service import get_creator_by_handle
from sparkads.authorizations.models import (
    AccessKind,
    AccessRequest,
    AccessStatus,
    Identity,
    IdentityType,
)
from sparkads.authorizations.new_identities import get_or_create_identity
from sparkads.clock import Clock
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.ids import new_token

# how `access_request_closed` names a request's status, in the reader's language
STATUS_TEXTS = {
    "PENDING": N_("pending"),
    "ACCEPTED": N_("accepted"),
    "REJECTED": N_("rejected"),
    "ENDED": N_("ended"),
}


def _open_request(
    session: Session,
    clock: Clock,
    *,
    kind: AccessKind,
    creator: Creator | None,
    bc_id: str | None,
    advertiser_id: str | None,
    message: str,
) -> AccessRequest:
    if creator is not None:
        granted = session.scalar(
            select(AccessRequest).where(
                AccessRequest.kind == kind.value,
                AccessRequest.creator_id == creator.creator_id,
                AccessRequest.bc_id == bc_id
                if bc_id
                else AccessRequest.advertiser_id == advertiser_id,
                AccessRequest.status.in_([AccessStatus.PENDING.value, AccessStatus.ACCEPTED.value]),
            )
        )
        if granted is not None and granted.status == AccessStatus.ACCEPTED.value:
            raise SparkadsError(
                "access_already_granted", name="This account", handle=creator.handle
            )
        if granted is not None:
            return granted
    request = AccessRequest(
        request_id=new_token("acr", 24),
        kind=kind.value,
        bc_id=bc_id,
        advertiser_id=advertiser_id,
        creator_id=creator.creator_id if creator else None,
        message=message[:500],
        created_at=clock.now(),
    )
    session.add(request)
    session.flush()
    return request


def request_bc_access(
    session: Session, clock: Clock, *, bc: BusinessCenter, handle: str | None, message: str = ""
) -> AccessRequest:
    """A Business Center asks for access to @handle, or (no handle) to whoever opens the link."""
    creator = get_creator_by_handle(session, handle) if handle else None
    return _open_request(
        session,
        clock,
        kind=AccessKind.BUSINESS_CENTER,
        creator=creator,
        bc_id=bc.bc_id,
        advertiser_id=None,
        message=message,
    )


def request_account_link(
    session: Session, clock: Clock, *, advertiser: Advertiser, handle: str, message: str = ""
) -> AccessRequest:
    """An advertiser asks to link @handle, its own TikTok account, as a TT_USER identity."""
    creator = get_creator_by_handle(session, handle)
    return _open_request(
        session,
        clock,
        kind=AccessKind.ADVERTISER_ACCOUNT,
        creator=creator,
        bc_id=None,
        advertiser_id=advertiser.advertiser_id,
        message=message,
    )


def get_request(session: Session, request_id: str) -> AccessRequest:
    request = session.get(AccessRequest, request_id)
    if request is None:
        raise SparkadsError("access_request_not_found", request_id=request_id[:12] + "…")
    return request


def get_request_for_creator(session: Session, *, creator_id: str, request_id: str) -> AccessRequest:
    """A request addressed to this creator, or an open invitation (anyone with the link)."""
    request = get_request(session, request_id)
    if request.creator_id not in (None, creator_id):
        raise SparkadsError("access_request_not_found", request_id=request_id[:12] + "…")
    return request


def list_for_creator(
    session: Session, *, creator_id: str, status: AccessStatus | None = None
) -> Sequence[AccessRequest]:
    query = select(AccessRequest).where(AccessRequest.creator_id == creator_id)
    if status is not None:
        query = query.where(AccessRequest.status == status.value)
    return session.scalars(query.order_by(AccessRequest.created_at.desc())).all()


def list_for_requester(
    session: Session, *, bc_id: str | None = None, advertiser_id: str | None = None
) -> Sequence[AccessRequest]:
    query = select(AccessRequest)
    query = (
        query.where(AccessRequest.bc_id == bc_id)
        if bc_id
        else query.where(AccessRequest.advertiser_id == advertiser_id)
    )
    return session.scalars(query.order_by(AccessRequest.created_at.desc())).all()


def _require_status(request: AccessRequest, status: AccessStatus) -> None:
    if request.status != status.value:
        raise SparkadsError(
            "access_request_closed",
            status=LocalText(STATUS_TEXTS[request.status]),
        )


def accept(session: Session, clock: Clock, *, creator_id: str, request_id: str) -> Identity:
    request = get_request_for_creator(session, creator_id=creator_id, request_id=request_id)
    _require_status(request, AccessStatus.PENDING)
    request.creator_id = creator_id
    of_bc = request.kind == AccessKind.BUSINESS_CENTER.value  # else: of an ad account
    identity = get_or_create_identity(
        session,
        clock,
        identity_type=IdentityType.BC_AUTH_TT if of_bc else IdentityType.TT_USER,
        creator_id=creator_id,
        advertiser_id=None if of_bc else request.advertiser_id,
        bc_id=request.bc_id if of_bc else None,
    )
    request.status = AccessStatus.ACCEPTED.value
    request.decided_at = clock.now()
    request.identity_id = identity.identity_id
    session.flush()
    return identity


def reject(session: Session, clock: Clock, *, creator_id: str, request_id: str) -> AccessRequest:
    request = get_request_for_creator(session, creator_id=creator_id, request_id=request_id)
    _require_status(request, AccessStatus.PENDING)
    request.creator_id = creator_id
    request.status = AccessStatus.REJECTED.value
    request.decided_at = clock.now()
    session.flush()
    return request


def end_access(session: Session, clock: Clock, request: AccessRequest, *, by: str) -> AccessRequest:
    """Either side ends an accepted access; the identity stops working at once."""
    _require_status(request, AccessStatus.ACCEPTED)
    now: datetime = clock.now()
    request.status = AccessStatus.ENDED.value
    request.ended_at, request.ended_by = now, by
    if request.identity_id is not None:
        session.get_one(Identity, request.identity_id).ended_at = now
    session.flush()
    return request
