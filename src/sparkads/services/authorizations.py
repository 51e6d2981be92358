"""Spark authorization and account access, for the open API (tt_video/*, bc QR access), the native
API, the web app and the CLI: each use case opens its unit of work, checks who acts, calls the
`authorizations` domain and commits writes.

- Creator side of Spark codes: generate (enable ad authorization on a post), list, revoke.
- Advertiser side: apply a code (the post joins the creative library), read it back, list, unbind.
- Account access: a Business Center's request (a link and its QR code) or an advertiser's link to
  its own account, listed, read, accepted, rejected and ended; answered as `AccessView`s that
  carry the names the surfaces show, so no surface reads the database after the unit of work."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser, BusinessCenter, Creator, TokenScope
from sparkads.accounts.service import Principal, authorize_advertiser, business_center_of
from sparkads.authorizations import access, bc_sharing, library, library_queries, spark_codes
from sparkads.authorizations.library_queries import SparkPost
from sparkads.authorizations.models import AccessRequest, AccessStatus, LibraryItem, SparkCode
from sparkads.authorizations.throttle import FailureThrottle
from sparkads.clock import Clock
from sparkads.errors import SparkadsError
from sparkads.services.units import Units, committed, for_advertiser

__all__ = [
    "AccessView",
    "IssuedCode",
    "LibraryQuery",
    "SentRequests",
    "SparkPost",
    "account_links",
    "answer_access",
    "apply_code",
    "assign_asset",
    "business_center_requests",
    "code_info",
    "codes",
    "creator_requests",
    "end_access",
    "generate_code",
    "invitation",
    "library_page",
    "open_request",
    "request_account_link",
    "request_bc_access",
    "requester_requests",
    "revoke_code",
    "sent_request",
    "unassign_asset",
    "unbind",
    "visible_request",
]


# --- Spark codes, creator side ---------------------------------------------------------------
@dataclass(frozen=True)
class IssuedCode:
    """A code just generated: shown in this answer only (sparkads keeps its digest), with the
    reasons a brand would still be refused that the creator can fix."""

    row: SparkCode
    code: str
    warnings: list[SparkadsError]


def generate_code(
    uow: Units, clock: Clock, *, creator_id: str, item_id: str, duration_days: int
) -> IssuedCode:
    with uow() as unit:
        row, code, warnings = spark_codes.enable_authorization(
            unit.session,
            clock,
            creator_id=creator_id,
            item_id=item_id,
            duration_days=duration_days,
        )
        unit.commit()
        return IssuedCode(row, code, warnings)


def codes(uow: Units, *, creator_id: str, item_id: str | None = None) -> Sequence[SparkCode]:
    """The creator's codes, newest first; with `item_id`, those of one own post."""
    with uow() as unit:
        return spark_codes.list_authorizations(unit.session, creator_id=creator_id, item_id=item_id)


def revoke_code(uow: Units, clock: Clock, *, creator_id: str, ref: str) -> SparkCode:
    """By the code itself or its authorization id; ads using it stop being delivered."""
    with uow() as unit:
        row = spark_codes.revoke_authorization(unit.session, clock, creator_id=creator_id, ref=ref)
        unit.commit()
        return row


# --- the creative library, advertiser side ---------------------------------------------------
@dataclass(frozen=True)
class LibraryQuery:
    item_types: Sequence[str]
    keyword: str | None
    offset: int
    limit: int


def apply_code(
    uow: Units,
    clock: Clock,
    throttle: FailureThrottle,
    principal: Principal,
    *,
    advertiser_id: str,
    auth_code: str,
    original_post_auth_code: str | None = None,
) -> LibraryItem:
    """tt_video/authorize: the post joins the ad account's creative library."""
    return for_advertiser(
        uow, principal, advertiser_id,
        lambda session, advertiser: library.apply_code(
            session, clock, throttle, advertiser=advertiser, auth_code=auth_code,
            original_post_auth_code=original_post_auth_code,
        ),
    )  # fmt: skip


def code_info(
    uow: Units,
    clock: Clock,
    principal: Principal,
    *,
    advertiser_id: str,
    auth_code: Callable[[], str],
) -> SparkPost:
    """tt_video/info. `auth_code` is read once the ad account is authorized (TikTok's order: the
    advertiser's access is checked before the request's other parameters)."""
    with uow() as unit:
        advertiser = authorize_advertiser(unit.session, principal, advertiser_id)
        return library_queries.info_by_code(
            unit.session, clock, advertiser=advertiser, auth_code=auth_code()
        )


def library_page(
    uow: Units, principal: Principal, *, advertiser_id: str, query: Callable[[], LibraryQuery]
) -> tuple[list[SparkPost], int]:
    """tt_video/list (and the web's library). `query` is read once the ad account is authorized."""
    with uow() as unit:
        advertiser = authorize_advertiser(unit.session, principal, advertiser_id)
        wanted = query()
        return library_queries.list_library(
            unit.session,
            advertiser=advertiser,
            item_types=wanted.item_types,
            keyword=wanted.keyword,
            offset=wanted.offset,
            limit=wanted.limit,
        )


def unbind(
    uow: Units, clock: Clock, principal: Principal, *, advertiser_id: str, item_id: str
) -> None:
    for_advertiser(
        uow, principal, advertiser_id,
        lambda session, advertiser: library.unbind(
            session, clock, advertiser=advertiser, item_id=item_id
        ),
    )  # fmt: skip


# --- account access (Business Center requests, own-account links) ----------------------------
@dataclass(frozen=True)
class AccessView:
    """A request with who asks (its Business Center or advertiser) and whom (the creator, once
    known)."""

    request: AccessRequest
    business_center: BusinessCenter | None
    advertiser: Advertiser | None
    creator: Creator | None

    @property
    def requester_name(self) -> str:
        asking = self.business_center or self.advertiser
        return asking.name if asking is not None else ""


def _view(session: Session, request: AccessRequest) -> AccessView:
    return AccessView(
        request,
        session.get(BusinessCenter, request.bc_id) if request.bc_id else None,
        session.get(Advertiser, request.advertiser_id) if request.advertiser_id else None,
        session.get(Creator, request.creator_id) if request.creator_id else None,
    )


def _changed(uow: Units, change: Callable[[Session], AccessRequest]) -> AccessView:
    """A request made in a unit of work of its own, committed, as its view."""
    return committed(uow, lambda session: _view(session, change(session)))


def request_bc_access(
    uow: Units,
    clock: Clock,
    principal: Principal,
    *,
    handle: str | None,
    message: str = "",
    bc_id: str | None = None,
) -> AccessView:
    """The principal's Business Center asks @handle for their whole account, or (no handle)
    whoever opens the link."""
    return _changed(
        uow,
        lambda session: access.request_bc_access(
            session, clock, bc=business_center_of(session, principal, bc_id), handle=handle,
            message=message,
        ),
    )  # fmt: skip


def invitation(uow: Units, clock: Clock, principal: Principal, *, bc_id: str | None) -> str:
    """bc/asset/account/authorization: an open invitation's request id (its link is the QR code)."""
    return request_bc_access(uow, clock, principal, handle=None, bc_id=bc_id).request.request_id


def request_account_link(
    uow: Units, clock: Clock, principal: Principal, *, advertiser_id: str, handle: str, message: str
) -> AccessView:
    """An ad account asks to link @handle, its own TikTok account (a TT_USER identity)."""
    return _changed(
        uow,
        lambda session: access.request_account_link(
            session, clock, advertiser=authorize_advertiser(session, principal, advertiser_id),
            handle=handle, message=message,
        ),
    )  # fmt: skip


def creator_requests(
    uow: Units, *, creator_id: str, status: AccessStatus | None = None
) -> list[AccessView]:
    with uow() as unit:
        rows = access.list_for_creator(unit.session, creator_id=creator_id, status=status)
        return [_view(unit.session, r) for r in rows]


def requester_requests(
    uow: Units, *, bc_id: str | None = None, advertiser_id: str | None = None
) -> list[AccessView]:
    """The requests a Business Center (or else an advertiser) sent, newest first."""
    with uow() as unit:
        rows = access.list_for_requester(unit.session, bc_id=bc_id, advertiser_id=advertiser_id)
        return [_view(unit.session, r) for r in rows]


@dataclass(frozen=True)
class SentRequests:
    """Who sent requests (a Business Center, or an ad account linking its own TikTok account)
    and the requests it sent, newest first."""

    sender: BusinessCenter | Advertiser
    requests: list[AccessView]


def business_center_requests(uow: Units, principal: Principal) -> SentRequests:
    """The principal's Business Center and its access requests."""
    with uow() as unit:
        bc = business_center_of(unit.session, principal)
        rows = access.list_for_requester(unit.session, bc_id=bc.bc_id)
        return SentRequests(bc, [_view(unit.session, r) for r in rows])


def account_links(uow: Units, principal: Principal, advertiser_id: str) -> SentRequests:
    """An ad account and the requests it sent to link its own TikTok account."""
    with uow() as unit:
        advertiser = authorize_advertiser(unit.session, principal, advertiser_id)
        rows = access.list_for_requester(unit.session, advertiser_id=advertiser.advertiser_id)
        return SentRequests(advertiser, [_view(unit.session, r) for r in rows if r.bc_id is None])


def open_request(uow: Units, request_id: str) -> AccessView:
    """A request by its unguessable id: what the link and its QR code open."""
    with uow() as unit:
        return _view(unit.session, access.get_request(unit.session, request_id))


def _not_found(request_id: str) -> SparkadsError:
    return SparkadsError("access_request_not_found", request_id=request_id[:12] + "…")


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
    if (
        who.scope is TokenScope.ADVERTISER
        and request.bc_id
        and business_center_of(session, who).bc_id == request.bc_id
    ):
        return request
    raise _not_found(request_id)


def visible_request(uow: Units, principal: Principal, request_id: str) -> AccessView:
    with uow() as unit:
        return _view(unit.session, _visible(unit.session, principal, request_id))


def sent_request(
    uow: Units, principal: Principal, request_id: str, *, advertiser_ids: set[str]
) -> AccessView:
    """A request a signed-in person sent: from their Business Center, or from one of their ad
    accounts (`advertiser_ids`)."""
    with uow() as unit:
        request = access.get_request(unit.session, request_id)
        if request.bc_id is not None:
            mine = request.bc_id == business_center_of(unit.session, principal).bc_id
        else:
            mine = request.advertiser_id in advertiser_ids
        if not mine:
            raise _not_found(request_id)
        return _view(unit.session, request)


def answer_access(
    uow: Units, clock: Clock, *, creator_id: str, request_id: str, accept: bool
) -> AccessView:
    """The creator grants access (the account becomes a BC_AUTH_TT or TT_USER identity) or
    rejects the request."""
    with uow() as unit:
        if accept:
            access.accept(unit.session, clock, creator_id=creator_id, request_id=request_id)
        else:
            access.reject(unit.session, clock, creator_id=creator_id, request_id=request_id)
        unit.commit()
        return _view(unit.session, access.get_request(unit.session, request_id))


def end_access(uow: Units, clock: Clock, principal: Principal, request_id: str) -> AccessView:
    """Either side ends an accepted access; its identity stops working at once."""
    with uow() as unit:
        request = _visible(unit.session, principal, request_id)
        access.end_access(unit.session, clock, request, by=principal.scope.value)
        unit.commit()
        return _view(unit.session, request)


# --- a Business Center's assets shared with its members (bc/asset/assign|unassign) -------------
def assign_asset(
    uow: Units,
    clock: Clock,
    principal: Principal,
    *,
    bc_id: str | None,
    user_id: str,
    asset_type: str,
    asset_id: str,
    roles: Sequence[str],
) -> None:
    """Share an ad account (one role: ADMIN, OPERATOR or ANALYST) or a creator's TikTok account
    (POST, LIVE, DIRECT_MESSAGE) with a member, replacing the roles given before."""
    with uow() as unit:
        bc = business_center_of(unit.session, principal, bc_id)
        bc_sharing.assign(
            unit.session, clock, bc, user_id=user_id, asset_type=asset_type, asset_id=asset_id,
            roles=roles,
        )  # fmt: skip
        unit.commit()


def unassign_asset(
    uow: Units,
    principal: Principal,
    *,
    bc_id: str | None,
    user_id: str,
    asset_type: str,
    asset_id: str,
) -> None:
    with uow() as unit:
        bc = business_center_of(unit.session, principal, bc_id)
        bc_sharing.unassign(
            unit.session, bc, user_id=user_id, asset_type=asset_type, asset_id=asset_id
        )
        unit.commit()
