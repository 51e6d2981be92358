"""Accounts and their API tokens, as the CLI and the web app's token page run them: create an ad
account, a Business Center, a creator account, an operator or a feed with its first token, a person
with their membership; list, create and revoke the named tokens of the account signed in; the demo
world's tokens. Each function is one use case: it opens the unit of work, checks who acts, calls
`accounts.service`, `accounts.tokens` or `accounts.people`, and commits (or writes nothing when
it raises). Signing in and out, web sessions and password resets are in services.sign_in."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Concatenate, Generic, NamedTuple, ParamSpec, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts import people, service, tokens
from sparkads.accounts.apps import app_names
from sparkads.accounts.models import (
    AccessToken,
    Advertiser,
    BusinessCenter,
    Creator,
    Membership,
    Role,
    TokenScope,
    User,
)
from sparkads.accounts.principal import Principal, require_role, require_scope
from sparkads.clock import Clock
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.ids import new_id
from sparkads.services.units import Units, committed

T = TypeVar("T")
A = TypeVar("A", Advertiser, BusinessCenter, Creator)
P = ParamSpec("P")


class Created(NamedTuple, Generic[T]):
    """An account just created and its first token (printed once: only its digest is kept)."""

    account: T
    token: str


class Opening(NamedTuple):
    """How an account is opened: with its first token or none (the simulator's accounts), and
    whether it is a demo account (anyone may sign in as it on a sandbox)."""

    token: bool = True
    demo: bool = False


class Opens(Protocol[P, T]):
    """`accounts.service`'s create function of an account, in its own unit of work: the same
    fields, after how the account is opened."""

    def __call__(
        self, uow: Units, clock: Clock, opening: Opening = ..., /, *args: P.args, **kw: P.kwargs
    ) -> Created[T]: ...


def _opens(
    create: Callable[Concatenate[Session, Clock, P], A],
    scope: TokenScope,
    key: Callable[[A], str],
) -> Opens[P, A]:
    def opened(
        uow: Units, clock: Clock, opening: Opening = Opening(), /, *args: P.args, **kw: P.kwargs
    ) -> Created[A]:
        def act(session: Session) -> Created[A]:
            row = create(session, clock, *args, **kw)
            subject_id = key(row)
            secret = ""
            if opening.token:
                secret = tokens.issue_token(
                    session, clock, scope=scope, subject_id=subject_id, label="cli"
                )
            if opening.demo:
                tokens.mark_demo(session, clock, scope=scope, subject_id=subject_id)
            return Created(row, secret)

        return committed(uow, act)

    return opened


create_advertiser = _opens(
    service.create_advertiser, TokenScope.ADVERTISER, lambda row: row.advertiser_id
)
create_business_center = _opens(
    service.create_business_center, TokenScope.BUSINESS_CENTER, lambda row: row.bc_id
)
create_creator = _opens(service.create_creator, TokenScope.CREATOR, lambda row: row.creator_id)


CURRENCIES = tuple(sorted(service.CURRENCIES))  # what an ad account may be opened in


def open_ad_account(
    uow: Units, clock: Clock, principal: Principal, *, name: str, currency: str, timezone: str
) -> Advertiser:
    """A Business Center admin opens an ad account in their own Business Center (the web app's
    first run, before any ad account exists); the audit log records it as theirs (the unit of
    work names the actor). A member limited to some ad accounts may not open one."""
    require_scope(principal, TokenScope.BUSINESS_CENTER)
    require_role(principal, Role.ADMIN)
    if principal.advertisers is not None:
        raise SparkadsError("no_permission", what="opening an ad account")
    return committed(
        uow,
        lambda session: service.create_advertiser(
            session, clock, name=name, currency=currency, timezone=timezone,
            bc_id=principal.subject_id,
        ),
    )  # fmt: skip


def create_platform_token(
    uow: Units, clock: Clock, *, scope: TokenScope, name: str, role: Role = Role.ADMIN
) -> Created[str]:
    """An operator's or a feed's token: the account is only its new id."""
    if scope not in (TokenScope.OPERATOR, TokenScope.FEED):
        raise SparkadsError(
            "invalid_parameter", field="scope", detail=LocalText(N_("operator or feed"))
        )
    subject_id = new_id()
    token = committed(
        uow,
        lambda session: tokens.issue_token(
            session, clock, scope=scope, subject_id=subject_id, label=name, role=role
        ),
    )
    return Created(subject_id, token)


def issue_api_token(
    uow: Units,
    clock: Clock,
    *,
    scope: TokenScope,
    subject_id: str,
    name: str,
    role: Role = Role.ADMIN,
    expires_at: datetime | None = None,
) -> str:
    """A named API token for any account (the CLI, which holds the database, may)."""
    return committed(
        uow,
        lambda session: tokens.issue_token(
            session,
            clock,
            scope=scope,
            subject_id=subject_id,
            label=name,
            role=role,
            expires_at=expires_at,
        ),
    )


class Person(NamedTuple):
    user: User
    membership: Membership


def create_person(
    uow: Units,
    clock: Clock,
    *,
    email: str,
    password: str,
    scope: TokenScope,
    subject_id: str,
    role: Role = Role.ADMIN,
    advertiser_ids: tuple[str, ...] = (),
) -> Person:
    """A person who signs in with an email and a password, and what they act as (a Business
    Center with a role, on all or some of its ad accounts; or a creator account)."""

    def act(session: Session) -> Person:
        user = people.create_user(session, clock, email=email, password=password)
        member = people.add_membership(
            session,
            clock,
            user=user,
            scope=scope,
            subject_id=subject_id,
            role=role,
            advertiser_ids=advertiser_ids,
        )
        return Person(user, member)

    return committed(uow, act)


@dataclass(frozen=True)
class TokenList:
    """The named API tokens of an account (never web sessions, never revoked ones), newest
    first, and the names of the developer apps that obtained some of them."""

    tokens: list[AccessToken]
    apps: dict[str, str]


def _manages(principal: Principal, row: AccessToken) -> bool:
    """Whether a principal may see and revoke a named token: its own account's, and, for a member
    limited to some ad accounts, only the tokens that member made (the others may reach more)."""
    return (
        not row.web_session
        and row.scope == principal.scope.value
        and row.subject_id == principal.subject_id
        and (principal.advertisers is None or row.user_id == principal.user_id)
    )


def api_tokens(uow: Units, principal: Principal) -> TokenList:
    with uow() as unit:
        query = select(AccessToken).where(
            AccessToken.scope == principal.scope.value,
            AccessToken.subject_id == principal.subject_id,
            AccessToken.web_session.is_(False),
            AccessToken.revoked_at.is_(None),
        )
        if principal.advertisers is not None:
            query = query.where(AccessToken.user_id == principal.user_id)
        order = (AccessToken.created_at.desc(), AccessToken.token_id)
        rows = list(unit.session.scalars(query.order_by(*order)))
        return TokenList(rows, app_names(unit.session, [t.app_id for t in rows if t.app_id]))


def create_api_token(
    uow: Units,
    clock: Clock,
    principal: Principal,
    *,
    name: str,
    role: Role,
    expires_at: datetime | None = None,
) -> str:
    """An admin's new named token for their own account, with the role chosen. A person's token
    carries who made it, so it is narrowed to the ad accounts their membership allows."""
    require_role(principal, Role.ADMIN)
    return committed(
        uow,
        lambda session: tokens.issue_token(
            session,
            clock,
            scope=principal.scope,
            subject_id=principal.subject_id,
            label=name,
            role=role,
            expires_at=expires_at,
            user_id=principal.user_id,
        ),
    )


def revoke_api_token(uow: Units, clock: Clock, principal: Principal, token_id: str) -> None:
    """An admin revokes one of their account's named tokens (a web session, another account's
    token, or for a member limited to some ad accounts a token they did not make, answers
    no_permission whether or not it exists)."""
    require_role(principal, Role.ADMIN)

    def act(session: Session) -> None:
        row = session.get(AccessToken, token_id)
        if row is None or not _manages(principal, row):
            raise SparkadsError("no_permission", what=f"token {token_id}")
        tokens.revoke_token(session, clock, token_id)

    committed(uow, act)


DEMO_LABEL = "demo"  # the name of the demo world's tokens on the tokens page


@dataclass(frozen=True)
class DemoToken:
    account: str
    id: str
    token: str


def mark_demo(uow: Units, clock: Clock, scope: TokenScope, subject_ids: Iterable[str]) -> None:
    """Let anyone sign in as these accounts on a sandbox server (idempotent)."""

    def act(session: Session) -> None:
        for subject_id in subject_ids:
            tokens.mark_demo(session, clock, scope=scope, subject_id=subject_id)

    committed(uow, act)


def demo_tokens(uow: Units, clock: Clock, *, bc_name: str, creators: int = 2) -> list[DemoToken]:
    """Fresh tokens of the demo world's accounts (its Business Center, its ad accounts, its first
    creators and a feed), each marked a demo account that a sandbox opens without a token. Each
    account's previous "demo" token is revoked first, so every run leaves one per account."""
    return committed(uow, lambda session: _demo_tokens(session, clock, bc_name, creators))


def _demo_tokens(session: Session, clock: Clock, bc_name: str, creators: int) -> list[DemoToken]:
    bc = session.scalars(select(BusinessCenter).where(BusinessCenter.name == bc_name)).one()
    advertisers = session.scalars(
        select(Advertiser).where(Advertiser.bc_id == bc.bc_id).order_by(Advertiser.name)
    ).all()
    first = session.scalars(select(Creator).order_by(Creator.created_at).limit(creators))
    listed = [
        (TokenScope.BUSINESS_CENTER, f"Business Center {bc.name}", bc.bc_id),
        *[(TokenScope.ADVERTISER, f"Advertiser {a.name}", a.advertiser_id) for a in advertisers],
        *[(TokenScope.CREATOR, f"Creator @{c.handle}", c.creator_id) for c in first],
    ]
    for scope, _, subject_id in listed:
        tokens.mark_demo(session, clock, scope=scope, subject_id=subject_id)
    # the demo feed of a previous run keeps its id (a new one each run would pile up feeds)
    feed = tokens.labelled_subject(session, scope=TokenScope.FEED, label=DEMO_LABEL)
    listed.append((TokenScope.FEED, "Feed (demo app)", feed or new_id()))
    fresh = []
    for scope, account, subject_id in listed:
        # one demo token per account: the previous run's is revoked before a fresh one is issued
        tokens.revoke_labelled(session, clock, scope=scope, subject_id=subject_id, label=DEMO_LABEL)
        secret = tokens.issue_token(
            session, clock, scope=scope, subject_id=subject_id, label=DEMO_LABEL
        )
        fresh.append(DemoToken(account, subject_id, secret))
    return fresh
