"""Signing in and out of the web app (a pasted API token, an email and a password, or a sandbox's
demo account), who a web session is, the APIs' principal behind a token, and password resets.
Each function is one use case: it opens the unit of work, calls `accounts.tokens` and
`accounts.people`, and commits (or writes nothing when it raises). Throttling failures is the
surface's (it knows the address): the functions call `refused` when the credentials are wrong."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TypeVar

from sqlalchemy import and_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from sparkads.accounts import lookups, people, tokens
from sparkads.accounts.models import (
    AccessToken,
    Advertiser,
    BusinessCenter,
    Creator,
    DemoAccount,
    TokenScope,
)
from sparkads.accounts.people import SESSION_LIFETIME, SignInProvider, normalize_email
from sparkads.accounts.principal import Principal, tokens_text
from sparkads.clock import Clock
from sparkads.errors import SparkadsError
from sparkads.services.units import Units, committed

PASSWORDS: SignInProvider = people.PasswordSignIn()
WEB_SCOPES = (
    TokenScope.ADVERTISER,
    TokenScope.BUSINESS_CENTER,
    TokenScope.CREATOR,
    TokenScope.OPERATOR,  # operators (console, review queue) and reviewers (review queue)
)
DEMO_LIMIT = 60
M = TypeVar("M", Creator, Advertiser, BusinessCenter)
_Order = InstrumentedAttribute[str] | InstrumentedAttribute[datetime]

__all__ = [
    "WEB_SCOPES",
    "DemoAccounts",
    "SignedIn",
    "as_demo",
    "complete_reset",
    "demo_accounts",
    "normalize_email",  # the address as it is kept (the web's throttle counts failures by it)
    "principal_of",
    "sign_out",
    "signed_in",
    "start_reset",
    "with_password",
    "with_token",
]


def principal_of(uow: Units, now: datetime, token: str | None) -> Principal:
    """The principal behind an API token (not a web session's): reads only."""
    with uow() as unit:
        return tokens.resolve_token(unit.session, token, now)


@dataclass(frozen=True)
class SignedIn:
    """Who a web session is: its principal, the creator's handle or the ad accounts' owner's
    name (empty for operators), the ad accounts it may work on (sorted by name), and the API
    token pasted to open it (None for a password's or a demo account's session)."""

    principal: Principal
    name: str = ""
    advertisers: tuple[Advertiser, ...] = field(default=())
    opened_with: str | None = None


def signed_in(uow: Units, now: datetime, token: str | None) -> SignedIn | None:
    """The web session behind a cookie, or None when it holds no valid one any more (signed out,
    expired, idle too long, password changed); its last use is written (once a minute)."""
    if not token:
        return None

    def act(session: Session) -> SignedIn | None:
        try:
            principal = tokens.resolve_token(session, token, now, web=True)
            if principal.scope not in WEB_SCOPES:
                return None
            opened_with = session.get_one(AccessToken, principal.token_id).opened_with
            return replace(_signed_in(session, principal), opened_with=opened_with)
        except SparkadsError:
            return None

    return committed(uow, act)  # the session's last use is written


def _signed_in(session: Session, principal: Principal) -> SignedIn:
    if principal.scope is TokenScope.CREATOR:
        return SignedIn(principal, "@" + lookups.get_creator(session, principal.subject_id).handle)
    if principal.scope is TokenScope.OPERATOR:
        return SignedIn(principal)
    if principal.scope is TokenScope.ADVERTISER:
        advertiser = lookups.get_advertiser(session, principal.subject_id)
        name, rows = advertiser.name, [advertiser]
    else:
        bc = lookups.get_business_center(session, principal.subject_id)
        query = select(Advertiser).where(Advertiser.bc_id == bc.bc_id).order_by(Advertiser.name)
        name, rows = bc.name, list(session.scalars(query))
    if principal.advertisers is not None:
        rows = [row for row in rows if row.advertiser_id in principal.advertisers]
    return SignedIn(principal, name, tuple(rows))


def with_token(uow: Units, clock: Clock, token: str, *, refused: Callable[[], None]) -> str:
    """A pasted API token opens a web session of the same account and role (the secret of the
    session is answered, for the cookie; never the token). A person's token opens it as that
    person, so a Business Center member limited to some ad accounts stays limited; a developer
    app's token, limited to the ad accounts a person approved, opens none."""

    def act(session: Session) -> str:
        try:
            principal = tokens.resolve_token(session, token, clock.now())
        except SparkadsError:
            refused()
            raise
        if principal.scope not in WEB_SCOPES:
            raise SparkadsError(
                "wrong_token_scope",
                needed=tokens_text(*WEB_SCOPES),
                given=tokens_text(principal.scope),
            )
        if principal.app_id is not None:
            raise SparkadsError(
                "no_permission",
                what="the Business Center (an app acts on its approved ad accounts only)",
            )
        return tokens.issue_token(
            session,
            clock,
            scope=principal.scope,
            subject_id=principal.subject_id,
            label="web session (token)",
            role=principal.role,
            expires_at=clock.now() + SESSION_LIFETIME,
            web_session=True,
            user_id=principal.user_id,
            opened_with=principal.token_id,
        )

    return committed(uow, act)


def with_password(
    uow: Units,
    clock: Clock,
    *,
    email: str,
    password: str,
    refused: Callable[[], None],
    provider: SignInProvider = PASSWORDS,
) -> str:
    """Email and password (the provider seam): the person acts through their first membership."""

    def act(session: Session) -> str:
        try:
            user = provider.authenticate(
                session, clock, {"email": normalize_email(email), "password": password}
            )
        except SparkadsError:
            refused()
            raise
        memberships = people.memberships_of(session, user.user_id)
        if not memberships:
            raise SparkadsError("no_permission", what="any account yet")
        return people.open_session(session, clock, user, memberships[0])

    return committed(uow, act)


DEMO_MODELS: dict[TokenScope, type[Creator] | type[Advertiser] | type[BusinessCenter]] = {
    TokenScope.CREATOR: Creator,
    TokenScope.ADVERTISER: Advertiser,
    TokenScope.BUSINESS_CENTER: BusinessCenter,
}


def as_demo(uow: Units, clock: Clock, *, scope: TokenScope, account_id: str, chosen: str) -> str:
    """A web session of a demo account (seeded by `sparkads demo`), no token: the caller checks
    that the server is a sandbox."""

    def act(session: Session) -> str:
        model = DEMO_MODELS.get(scope)
        if (
            model is None
            or session.get(model, account_id) is None
            or not tokens.is_demo(session, scope=scope, subject_id=account_id)
        ):
            raise SparkadsError("not_a_demo_account", account=chosen)
        return tokens.issue_token(
            session,
            clock,
            scope=scope,
            subject_id=account_id,
            label="web session (demo)",
            expires_at=clock.now() + SESSION_LIFETIME,
            web_session=True,
        )

    return committed(uow, act)


@dataclass(frozen=True)
class DemoAccounts:
    """The seeded demo accounts a sandbox's sign-in page offers (never any other: ids of real
    accounts are not secrets)."""

    creators: list[Creator]
    advertisers: list[Advertiser]
    business_centers: list[BusinessCenter]


def demo_accounts(uow: Units, limit: int = DEMO_LIMIT) -> DemoAccounts:
    with uow() as unit:

        def demo(model: type[M], key: InstrumentedAttribute[str], *order: _Order) -> list[M]:
            scope = next(scope for scope, of in DEMO_MODELS.items() if of is model)
            joined = and_(DemoAccount.kind == scope.value, DemoAccount.subject_id == key)
            query = select(model).join(DemoAccount, joined).order_by(*order).limit(limit)
            return list(unit.session.scalars(query))

        return DemoAccounts(
            demo(Creator, Creator.creator_id, Creator.created_at, Creator.handle),
            demo(Advertiser, Advertiser.advertiser_id, Advertiser.created_at, Advertiser.name),
            demo(BusinessCenter, BusinessCenter.bc_id, BusinessCenter.created_at),
        )


def sign_out(uow: Units, clock: Clock, token_id: str) -> None:
    """End a web session on the server (the cookie alone no longer signs anyone in)."""
    committed(uow, lambda session: tokens.revoke_token(session, clock, token_id))


def start_reset(uow: Units, clock: Clock, *, sender: str, email: str, base_url: str) -> None:
    """Send a one-time link if an account has this email (`sender`: console or file:<path>);
    say nothing either way."""
    committed(
        uow,
        lambda session: people.start_reset(
            session, clock, people.sender_from(sender), email=email, base_url=base_url
        ),
    )


def complete_reset(uow: Units, clock: Clock, *, secret: str, new_password: str) -> None:
    """A new password from a one-time link: every web session of the account ends."""
    committed(
        uow,
        lambda session: people.complete_reset(
            session, clock, secret=secret, new_password=new_password
        ),
    )
