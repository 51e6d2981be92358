"""Account services: create accounts, issue and resolve scoped access tokens, check who may act on
what. Functions take a session and never commit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import (
    AccessToken,
    Advertiser,
    BusinessCenter,
    Creator,
    DemoAccount,
    TokenScope,
)
from sparkads.clock import Clock
from sparkads.errors import SparkadsError
from sparkads.ids import digest, new_id, new_token

HANDLE = re.compile(r"^[a-z0-9._]{2,24}$")
CURRENCIES = {"EUR", "USD", "GBP", "CHF", "CAD", "AUD", "JPY", "BRL", "MXN", "SEK", "PLN"}
TOKEN_PREFIX = {
    TokenScope.ADVERTISER: "adv",
    TokenScope.BUSINESS_CENTER: "bc",
    TokenScope.CREATOR: "crt",
    TokenScope.OPERATOR: "op",
    TokenScope.FEED: "feed",
}


@dataclass(frozen=True)
class Principal:
    """Who a request acts for, resolved from its token."""

    scope: TokenScope
    subject_id: str
    token_id: str


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
    session.add(bc)
    session.flush()
    return bc


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
    session.add(advertiser)
    session.flush()
    return advertiser


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
    session.add(creator)
    session.flush()
    return creator


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


def mark_demo(session: Session, clock: Clock, *, scope: TokenScope, subject_id: str) -> None:
    """Let anyone sign in as this account on a sandbox server (idempotent)."""
    if session.get(DemoAccount, (scope.value, subject_id)) is None:
        session.add(DemoAccount(kind=scope.value, subject_id=subject_id, created_at=clock.now()))
        session.flush()


def is_demo(session: Session, *, scope: TokenScope, subject_id: str) -> bool:
    return session.get(DemoAccount, (scope.value, subject_id)) is not None


def issue_token(
    session: Session, clock: Clock, *, scope: TokenScope, subject_id: str, label: str = ""
) -> str:
    """Mint a token for an account; only its digest is stored, so this is the one chance to read it."""
    secret = new_token(TOKEN_PREFIX[scope])
    session.add(
        AccessToken(
            token_id=new_id(),
            token_hash=digest(secret),
            scope=scope.value,
            subject_id=subject_id,
            label=label,
            created_at=clock.now(),
        )
    )
    session.flush()
    return secret


def resolve_token(session: Session, secret: str | None) -> Principal:
    if not secret:
        raise SparkadsError("access_token_missing")
    row = session.scalar(select(AccessToken).where(AccessToken.token_hash == digest(secret)))
    if row is None or row.revoked_at is not None:
        raise SparkadsError("access_token_invalid")
    return Principal(scope=TokenScope(row.scope), subject_id=row.subject_id, token_id=row.token_id)


def require_scope(principal: Principal, *scopes: TokenScope) -> None:
    if principal.scope not in scopes:
        raise SparkadsError(
            "wrong_token_scope",
            needed=" or ".join(s.value for s in scopes),
            given=principal.scope.value,
        )


def authorize_advertiser(session: Session, principal: Principal, advertiser_id: str) -> Advertiser:
    """The advertiser, if this principal may act on it: its own token, or its Business Center's.

    An advertiser the principal cannot see answers 40001 whether or not it exists, so ids of other
    accounts cannot be probed."""
    advertiser = session.get(Advertiser, str(advertiser_id))
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
    if not allowed or advertiser is None:
        raise SparkadsError("no_permission", what=f"advertiser {advertiser_id}")
    return advertiser


def business_center_of(
    session: Session, principal: Principal, bc_id: str | None = None
) -> BusinessCenter:
    """The Business Center a principal acts for: a BC token's own, or an advertiser token's parent."""
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
        return list(
            session.scalars(
                select(Advertiser)
                .where(Advertiser.bc_id == principal.subject_id)
                .order_by(Advertiser.created_at, Advertiser.advertiser_id)
            )
        )
    raise SparkadsError(
        "wrong_token_scope", needed="advertiser or business_center", given=principal.scope.value
    )
