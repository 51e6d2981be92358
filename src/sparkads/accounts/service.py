"""Account services: create accounts, issue and resolve scoped access tokens, check who may act on
what. Functions take a session and never commit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import (
    AccessToken,
    Advertiser,
    BusinessCenter,
    Creator,
    DemoAccount,
    Membership,
    PartnerShare,
    Role,
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
    role: Role = Role.ADMIN
    # the ad accounts of a Business Center it may act on; None: all of them
    advertisers: frozenset[str] | None = None
    user_id: str | None = None
    app_id: str | None = None  # the developer app that obtained this token, if one did

    def may_write(self) -> bool:
        if self.role is Role.REVIEWER:  # reviews ads (operator tokens); changes nothing else
            return self.scope is TokenScope.OPERATOR
        return self.role is not Role.ANALYST


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
    session: Session,
    clock: Clock,
    *,
    scope: TokenScope,
    subject_id: str,
    label: str = "",
    role: Role = Role.ADMIN,
    expires_at: datetime | None = None,
    web_session: bool = False,
    user_id: str | None = None,
    advertisers: frozenset[str] | None = None,
) -> str:
    """Mint a token for an account; only its digest is stored, so this is the one chance to read it.

    `role` narrows what it may do (analyst: read only); `expires_at` ends it; a `web_session` token
    is what a signed-in browser holds, refused by the APIs. `advertisers` narrows a Business Center
    token to some of its ad accounts (it is kept in the label's companion column)."""
    require_role_fits(scope, role)
    secret = new_token(TOKEN_PREFIX[scope] + ("_web" if web_session else ""))
    session.add(
        AccessToken(
            token_id=new_id(),
            token_hash=digest(secret),
            scope=scope,
            subject_id=subject_id,
            label=label[:100],
            created_at=clock.now(),
            role=role,
            expires_at=expires_at,
            web_session=web_session,
            user_id=user_id,
        )
    )
    session.flush()
    return secret


WEB_IDLE_SECONDS = 12 * 3600  # a web session unused this long is over
WEB_TOUCH_SECONDS = 60  # last use is written at most once a minute per session


def resolve_token(
    session: Session, secret: str | None, now: datetime, *, web: bool = False
) -> Principal:
    """The principal behind a token that is known, not revoked and not expired. API tokens and
    web sessions are not interchangeable: `web` says which kind the caller accepts."""
    if not secret:
        raise SparkadsError("access_token_missing")
    row = session.scalar(select(AccessToken).where(AccessToken.token_hash == digest(secret)))
    if (
        row is None
        or row.revoked_at is not None
        or row.web_session != web
        or (row.expires_at is not None and _aware(row.expires_at) <= now)
        or (
            web
            and row.last_used_at is not None
            and (now - _aware(row.last_used_at)).total_seconds() > WEB_IDLE_SECONDS
        )
    ):
        raise SparkadsError("access_token_invalid")
    if web and (
        row.last_used_at is None
        or (now - _aware(row.last_used_at)).total_seconds() > WEB_TOUCH_SECONDS
    ):
        row.last_used_at = now
        session.flush()
    return Principal(
        scope=TokenScope(row.scope),
        subject_id=row.subject_id,
        token_id=row.token_id,
        role=Role(row.role),
        advertisers=_membership_advertisers(session, row),
        user_id=row.user_id,
        app_id=row.app_id,
    )


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes for timestamptz columns: they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _membership_advertisers(session: Session, row: AccessToken) -> frozenset[str] | None:
    """A person's Business Center token carries the ad accounts their membership allows; an app's
    token only those the person approved, and none once the person's membership is gone."""
    if row.app_id is not None:
        approved = frozenset(row.advertiser_ids.split())
        if row.user_id is None:
            return approved
        membership = session.scalar(
            select(Membership).where(
                Membership.user_id == row.user_id,
                Membership.scope == row.scope,
                Membership.subject_id == row.subject_id,
            )
        )
        if membership is None:
            return frozenset()
        limited = frozenset(membership.advertiser_ids.split())
        return approved & limited if limited else approved
    if row.user_id is None or row.scope != TokenScope.BUSINESS_CENTER:
        return None
    membership = session.scalar(
        select(Membership).where(
            Membership.user_id == row.user_id,
            Membership.scope == row.scope,
            Membership.subject_id == row.subject_id,
        )
    )
    if membership is None or not membership.advertiser_ids.strip():
        return None
    return frozenset(membership.advertiser_ids.split())


def revoke_token(session: Session, clock: Clock, token_id: str) -> None:
    row = session.get(AccessToken, token_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = clock.now()
        session.flush()


def require_role_fits(scope: TokenScope, role: Role) -> None:
    """The reviewer role exists only on the platform's operator tokens (it reviews ads)."""
    if role is Role.REVIEWER and scope is not TokenScope.OPERATOR:
        raise SparkadsError(
            "invalid_parameter",
            field="role",
            detail="reviewer is a role of operator tokens only (sparkads operators create)",
        )


def require_role(principal: Principal, *roles: Role) -> None:
    if principal.role not in roles:
        raise SparkadsError(
            "role_not_allowed",
            role=principal.role.value,
            needed=" or ".join(r.value for r in roles),
        )


def require_scope(principal: Principal, *scopes: TokenScope) -> None:
    if principal.scope not in scopes:
        raise SparkadsError(
            "wrong_token_scope",
            needed=" or ".join(s.value for s in scopes),
            given=principal.scope.value,
        )


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
