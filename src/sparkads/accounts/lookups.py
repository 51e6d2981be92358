"""Looking accounts up, and which advertisers and Business Center a principal may act on: reads
only, so the entrypoints may call them inside their own units of work (the writes are in
accounts.service, accounts.tokens and accounts.people, reached through services.accounts)."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser, BusinessCenter, Creator, PartnerShare, TokenScope
from sparkads.accounts.principal import Principal, tokens_text
from sparkads.errors import SparkadsError

R = TypeVar("R", Advertiser, BusinessCenter, Creator)


def normalize_handle(handle: str) -> str:
    return handle.strip().removeprefix("@").lower()


def find_creator_by_handle(session: Session, handle: str) -> Creator | None:
    return session.scalar(select(Creator).where(Creator.handle == normalize_handle(handle)))


def _found(row: R | None, code: str, **params: object) -> R:
    if row is None:
        raise SparkadsError(code, **params)
    return row


def get_creator_by_handle(session: Session, handle: str) -> Creator:
    found = find_creator_by_handle(session, handle)
    return _found(found, "creator_not_found", handle=normalize_handle(handle))


def get_creator(session: Session, creator_id: str) -> Creator:
    return _found(session.get(Creator, creator_id), "creator_not_found", handle=creator_id)


def get_advertiser(session: Session, advertiser_id: str) -> Advertiser:
    found = session.get(Advertiser, advertiser_id)
    return _found(found, "advertiser_not_found", advertiser_id=advertiser_id)


def get_business_center(session: Session, bc_id: str) -> BusinessCenter:
    return _found(session.get(BusinessCenter, bc_id), "business_center_not_found", bc_id=bc_id)


def authorize_advertiser(session: Session, principal: Principal, advertiser_id: str) -> Advertiser:
    """The advertiser, if this principal may act on it: its own token, its Business Center's, or
    that of a partner Business Center it was shared with (bc/partner/add/).

    An advertiser the principal cannot see answers 40001 whether or not it exists, so ids of other
    accounts cannot be probed."""
    advertiser = session.get(Advertiser, str(advertiser_id))
    if principal.advertisers is not None and str(advertiser_id) not in principal.advertisers:
        advertiser = None  # a member limited to other ad accounts of the Business Center
    allowed = advertiser is not None and (
        (
            principal.scope is TokenScope.ADVERTISER
            and principal.subject_id == advertiser.advertiser_id
        )
        or (
            principal.scope is TokenScope.BUSINESS_CENTER
            and principal.subject_id == advertiser.bc_id
        )
    )
    if (
        not allowed
        and advertiser is not None
        and principal.scope is TokenScope.BUSINESS_CENTER
        and advertiser.bc_id is not None
    ):
        # an ad account its Business Center shared with the caller's, as a partner
        allowed = (
            session.scalar(
                select(PartnerShare.id).where(
                    PartnerShare.partner_id == principal.subject_id,
                    PartnerShare.asset_id == advertiser.advertiser_id,
                    PartnerShare.bc_id == advertiser.bc_id,
                )
            )
            is not None
        )
    if not allowed or advertiser is None:
        raise SparkadsError("no_permission", what=f"advertiser {advertiser_id}")
    return advertiser


def business_center_of(
    session: Session, principal: Principal, bc_id: str | None = None
) -> BusinessCenter:
    """The Business Center a principal acts for: a BC token's own, or an advertiser token's parent.
    A developer app's token acts on the ad accounts a person approved, never on the Business
    Center itself (its assets, members, partners, invitations)."""
    if principal.app_id is not None:
        raise SparkadsError(
            "no_permission",
            what="the Business Center (an app acts on its approved ad accounts only)",
        )
    if principal.scope is TokenScope.BUSINESS_CENTER:
        own = principal.subject_id
    elif principal.scope is TokenScope.ADVERTISER:
        own = get_advertiser(session, principal.subject_id).bc_id or ""
    else:
        raise SparkadsError(
            "wrong_token_scope",
            needed=tokens_text(TokenScope.BUSINESS_CENTER),
            given=tokens_text(principal.scope),
        )
    if bc_id is not None and str(bc_id) != own:
        raise SparkadsError("no_permission", what=f"business center {bc_id}")
    if not own:
        raise SparkadsError("no_permission", what="a business center")
    return get_business_center(session, own)


def advertisers_of(session: Session, principal: Principal) -> list[Advertiser]:
    """The advertisers a token may act on: its own, or every one of its Business Center's."""
    if principal.scope is TokenScope.ADVERTISER:
        return [get_advertiser(session, principal.subject_id)]
    if principal.scope is TokenScope.BUSINESS_CENTER:
        return [
            a
            for a in session.scalars(
                select(Advertiser)
                .where(Advertiser.bc_id == principal.subject_id)
                .order_by(Advertiser.created_at, Advertiser.advertiser_id)
            )
            if principal.advertisers is None or a.advertiser_id in principal.advertisers
        ]
    raise SparkadsError(
        "wrong_token_scope",
        needed=tokens_text(TokenScope.ADVERTISER, TokenScope.BUSINESS_CENTER),
        given=tokens_text(principal.scope),
    )
