"""Account services: create accounts. Functions take a session and never commit. Finding accounts
and checking which advertisers and Business Center a principal may act on are in accounts.lookups
(reads only), tokens are minted and resolved in accounts.tokens, the principal and its role checks
are in accounts.principal; all are re-exported here, where the domains have always imported them.
Entrypoints reach the writes through services.accounts and services.sign_in."""

from __future__ import annotations

import re
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from sparkads.accounts.lookups import (
    advertisers_of,
    authorize_advertiser,
    business_center_of,
    find_creator_by_handle,
    get_advertiser,
    get_business_center,
    get_creator,
    get_creator_by_handle,
    normalize_handle,
)
from sparkads.accounts.models import Advertiser, BusinessCenter, Creator
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
from sparkads.i18n import N_, LocalText
from sparkads.ids import new_id

A = TypeVar("A", BusinessCenter, Advertiser)
HANDLE = re.compile(r"^[a-z0-9._]{2,24}$")
CURRENCIES = {"EUR", "USD", "GBP", "CHF", "CAD", "AUD", "JPY", "BRL", "MXN", "SEK", "PLN"}


def _check_currency(currency: str) -> str:
    code = currency.upper()
    if code not in CURRENCIES:
        raise SparkadsError(
            "invalid_parameter",
            field="currency",
            detail=LocalText(
                N_("{value} is not one of {choices}"),
                {"value": repr(currency), "choices": ", ".join(sorted(CURRENCIES))},
            ),
        )
    return code


def _check_timezone(timezone: str) -> str:
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SparkadsError(
            "invalid_parameter",
            field="timezone",
            detail=LocalText(
                N_("{value} is not an IANA timezone such as Europe/Paris"),
                {"value": repr(timezone)},
            ),
        ) from None
    return timezone


def _check_name(name: str, field: str = "name") -> str:
    cleaned = name.strip()
    if not 1 <= len(cleaned) <= 200:
        raise SparkadsError(
            "invalid_parameter", field=field, detail=LocalText(N_("must be 1 to 200 characters"))
        )
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
    bc = BusinessCenter(bc_id=new_id(), company=company)
    return _opened(session, clock, bc, name=name, currency=currency, timezone=timezone)


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
    advertiser = Advertiser(advertiser_id=new_id(), bc_id=bc_id)
    return _opened(session, clock, advertiser, name=name, currency=currency, timezone=timezone)


def _opened(
    session: Session, clock: Clock, account: A, *, name: str, currency: str, timezone: str
) -> A:
    """A Business Center or an ad account opened: its name, currency and time zone checked."""
    account.name = _check_name(name)
    account.currency = _check_currency(currency)
    account.timezone = _check_timezone(timezone)
    account.created_at = clock.now()
    return added(session, account)


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
            detail=LocalText(N_("2 to 24 lowercase letters, digits, dots or underscores")),
        )
    if find_creator_by_handle(session, cleaned) is not None:
        raise SparkadsError("handle_taken", handle=cleaned)
    if followers < 0:
        raise SparkadsError(
            "invalid_parameter", field="followers", detail=LocalText(N_("cannot be negative"))
        )
    if country and not re.fullmatch(r"[A-Za-z]{2}", country):
        raise SparkadsError(
            "invalid_parameter", field="country", detail=LocalText(N_("ISO 3166 alpha-2 code"))
        )
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


__all__ = [
    "TOKEN_PREFIX",
    "WEB_IDLE_SECONDS",
    "WEB_TOUCH_SECONDS",
    "Principal",
    "advertisers_of",
    "authorize_advertiser",
    "business_center_of",
    "find_creator_by_handle",
    "get_advertiser",
    "get_business_center",
    "get_creator",
    "get_creator_by_handle",
    "is_demo",
    "issue_token",
    "mark_demo",
    "normalize_handle",
    "require_role",
    "require_role_fits",
    "require_scope",
    "resolve_token",
    "revoke_token",
]
