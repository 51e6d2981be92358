"""Account services: create accounts and find them, check which advertisers and Business Center a
principal may act on. Functions take a session and never commit. Tokens are minted and resolved in
accounts.tokens, the principal and its role checks are in accounts.principal; both are re-exported
here, where the rest of the code has always imported them."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import (
    Advertiser,
    BusinessCenter,
    Creator,
    PartnerShare,
    TokenScope,
)
from sparkads.accounts.principal import (
    Principal,
    require_role,
    require_role_fits,
    require_scope,
)
from sparkads.accounts.tokens import (
    TOKEN_PREFIX,
    WEB_IDLE_SECONDS,
    WEB_TOUCH_SECONDS,
    is_demo,
    issue_token,
    mark_demo,
    resolve_token,
    revoke_token,
)
from sparkads.clock import Clock
from sparkads.db.base import added
from sparkads.errors import SparkadsError
from sparkads.ids import new_id

HANDLE = re.compile(r"^[a-z0-9._]{2,24}$")
CURRENCIES = {"EUR", "USD", "GBP", "CHF", "CAD", "AUD", "JPY", "BRL", "MXN", "SEK", "PLN"}


def _check_currency(currency: str) -> str:
    code = currency.upper()
    if code not in CURRENCIES:
        raise SparkadsError(
            "invalid_parameter",
            field="currency",
            detail=f"{currency!r} is not one of {', '.join(sorted(CURRENCIES))}",
        )
    return code


def _check_timezone(timezone: str) -> str:
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SparkadsError(
            "invalid_parameter",
            field="timezone",
            detail=f"{timezone!r} is not an IANA timezone such as Europe/Paris",
        ) from None
    return timezone


def _check_name(name: str, field: str = "name") -> str:
    cleaned = name.strip()
    if not 1 <= len(cleaned) <= 200:
        raise SparkadsError("invalid_parameter", field=field, detail="must be 1 to 200 characters")
    return cleaned


def create_business_center(
    session: Session,
    clock: Clock,
    *,
    name: str,
    currency: str = "EUR",
    timezone: str = "Europe/Paris",
    company: str = "",
) -> BusinessCenter:
    bc = BusinessCenter(
        bc_id=new_id(),
        name=_check_name(name),
        company=company,
        currency=_check_currency(currency),
        timezone=_check_timezone(timezone),
        created_at=clock.now(),
    )
    return added(session, bc)


def create_advertiser(
    session: Session,
    clock: Clock,
    *,
    name: str,
    currency: str,
    timezone: str,
    bc_id: str | None = None,
) -> Advertiser:
    if bc_id is not None and session.get(BusinessCenter, bc_id) is None:
        raise SparkadsError("business_center_not_found", bc_id=bc_id)
    advertiser = Advertiser(
        advertiser_id=new_id(),
        name=_check_name(name),
        currency=_check_currency(currency),
        timezone=_check_timezone(timezone),
        bc_id=bc_id,
        created_at=clock.now(),
    )
    return added(session, advertiser)


def normalize_handle(handle: str) -> str:
    return handle.strip().removeprefix("@").lower()


def create_creator(
    session: Session,
    clock: Clock,
    *,
    handle: str,
    display_name: str = "",
    country: str = "",
    sector: str = "",
    followers: int = 0,
    bio: str = "",
) -> Creator:
    cleaned = normalize_handle(handle)
    if not HANDLE.match(cleaned):
        raise SparkadsError(
            "invalid_parameter",
            field="handle",
            detail="2 to 24 lowercase letters, digits, dots or underscores",
        )
    if find_creator_by_handle(session, cleaned) is not None:
        raise SparkadsError("handle_taken", handle=cleaned)
    if followers < 0:
        raise SparkadsError("invalid_parameter", field="followers", detail="cannot be negative")
    if country and not re.fullmatch(r"[A-Za-z]{2}", country):
        raise SparkadsError("invalid_parameter", field="country", detail="ISO 3166 alpha-2 code")
    creator = Creator(
        creator_id=new_id(),
        handle=cleaned,
        display_name=(display_name.strip() or cleaned)[:100],
        country=country.upper(),
        sector=sector.strip().lower()[:40],
        followers=followers,
        bio=bio[:500],
        created_at=clock.now(),
    )
    return added(session, creator)


def find_creator_by_handle(session: Session, handle: str) -> Creator | None:
    return session.scalar(select(Creator).where(Creator.handle == normalize_handle(handle)))


def get_creator_by_handle(session: Session, handle: str) -> Creator:
    creator = find_creator_by_handle(session, handle)
    if creator is None:
        raise SparkadsError("creator_not_found", handle=normalize_handle(handle))
    return creator


def get_creator(session: Session, creator_id: str) -> Creator:
    creator = session.get(Creator, creator_id)
    if creator is None:
        raise SparkadsError("creator_not_found", handle=creator_id)
    return creator


def get_advertiser(session: Session, advertiser_id: str) -> Advertiser:
    advertiser = session.get(Advertiser, advertiser_id)
    if advertiser is None:
        raise SparkadsError("advertiser_not_found", advertiser_id=advertiser_id)
    return advertiser


def get_business_center(session: Session, bc_id: str) -> BusinessCenter:
    bc = session.get(BusinessCenter, bc_id)
    if bc is None:
        raise SparkadsError("business_center_not_found", bc_id=bc_id)
    return bc


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
            "wrong_token_scope", needed="business_center", given=principal.scope.value
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
        "wrong_token_scope", needed="advertiser or business_center", given=principal.scope.value
    )


__all__ = [
    "TOKEN_PREFIX",
    "WEB_IDLE_SECONDS",
    "WEB_TOUCH_SECONDS",
    "Principal",
    "is_demo",
    "issue_token",
    "mark_demo",
    "require_role",
    "require_role_fits",
    "require_scope",
    "resolve_token",
    "revoke_token",
]
