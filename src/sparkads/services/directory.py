"""What an operator holding the database lists and revokes from the CLI: every ad account,
Business Center, creator account and person, the named API tokens of any account (operators' and
feeds' included), and the revocation of one of them. The web's token page (services.accounts)
lists and revokes only the signed-in account's own; here the caller is the deployment's operator.
Each function opens its own unit of work; revocations are recorded in the audit log like any write
(db/audit: the actor is the one named on the unit of work, the CLI's user)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts import people as persons
from sparkads.accounts import tokens
from sparkads.accounts.models import (
    AccessToken,
    Advertiser,
    BusinessCenter,
    Creator,
    Membership,
    TokenScope,
    User,
)
from sparkads.clock import Clock
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.services.units import Units, committed


@dataclass(frozen=True)
class TokenRow:
    """A named API token as a list shows it (never its secret, never a web session)."""

    token_id: str
    scope: str
    subject_id: str
    name: str
    role: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


def _row(token: AccessToken) -> TokenRow:
    return TokenRow(
        token_id=token.token_id,
        scope=TokenScope(token.scope).value,
        subject_id=token.subject_id,
        name=token.label,
        role=token.role.value,
        created_at=token.created_at,
        expires_at=token.expires_at,
        revoked_at=token.revoked_at,
    )


def api_tokens(
    uow: Units, *, scope: TokenScope | None = None, revoked: bool = False
) -> list[TokenRow]:
    """Named API tokens of every account (of one scope if given), oldest first; live ones only
    unless `revoked`."""
    query = select(AccessToken).where(AccessToken.web_session.is_(False))
    if scope is not None:
        query = query.where(AccessToken.scope == scope.value)
    if not revoked:
        query = query.where(AccessToken.revoked_at.is_(None))
    order = (AccessToken.created_at, AccessToken.token_id)
    with uow() as unit:
        return [_row(t) for t in unit.session.scalars(query.order_by(*order))]


def find_token(uow: Units, token_id: str, *, scope: TokenScope | None = None) -> TokenRow:
    """One live named token (of the scope if given), to show before revoking it."""
    with uow() as unit:
        return _row(_live(unit.session, token_id, scope))


def _live(session: Session, token_id: str, scope: TokenScope | None) -> AccessToken:
    row = session.get(AccessToken, token_id)
    if (
        row is None
        or row.web_session
        or row.revoked_at is not None
        or (scope is not None and row.scope != scope.value)
    ):
        raise SparkadsError(
            "invalid_parameter",
            field="token_id",
            detail=LocalText(N_("no live API token has the id {token_id}"), {"token_id": token_id}),
        )
    return row


def revoke(uow: Units, clock: Clock, token_id: str, *, scope: TokenScope | None = None) -> TokenRow:
    """Revoke a live named token (of the scope if given) and the web sessions opened with it; a
    request with it is refused from then on."""

    def act(session: Session) -> TokenRow:
        row = _live(session, token_id, scope)
        tokens.revoke_token(session, clock, token_id)
        return _row(row)

    return committed(uow, act)


@dataclass(frozen=True)
class Accounts:
    """Every account of the deployment, oldest first."""

    advertisers: list[Advertiser]
    business_centers: list[BusinessCenter]
    creators: list[Creator]


def accounts(uow: Units) -> Accounts:
    with uow() as unit:
        session = unit.session
        return Accounts(
            list(session.scalars(select(Advertiser).order_by(Advertiser.created_at))),
            list(session.scalars(select(BusinessCenter).order_by(BusinessCenter.created_at))),
            list(session.scalars(select(Creator).order_by(Creator.created_at))),
        )


@dataclass(frozen=True)
class PersonRow:
    user_id: str
    email: str
    created_at: datetime
    memberships: list[str]  # "business_center <id> admin", "creator <id> admin"
    disabled_at: datetime | None = None


def people(uow: Units) -> list[PersonRow]:
    """Every person who signs in with a password, with what they act as, oldest first."""
    with uow() as unit:
        session = unit.session
        held: dict[str, list[str]] = {}
        for m in session.scalars(select(Membership).order_by(Membership.created_at)):
            held.setdefault(m.user_id, []).append(
                f"{TokenScope(m.scope).value} {m.subject_id} {m.role.value}"
            )
        users = session.scalars(select(User).order_by(User.created_at, User.user_id))
        return [_person(u, held.get(u.user_id, [])) for u in users]


def _person(user: User, memberships: list[str]) -> PersonRow:
    return PersonRow(user.user_id, user.email, user.created_at, memberships, user.disabled_at)


def set_disabled(uow: Units, clock: Clock, email: str, *, disabled: bool) -> PersonRow:
    """Disable a person (their password sign-in is refused as a wrong password is; their web
    sessions and the API tokens they made are revoked), or enable them again (tokens and sessions
    stay revoked: they sign in anew)."""

    def act(session: Session) -> PersonRow:
        user = session.scalar(select(User).where(User.email == persons.normalize_email(email)))
        if user is None:
            raise SparkadsError(
                "invalid_parameter",
                field="email",
                detail=LocalText(N_("no person signs in with {email}"), {"email": email}),
            )
        user.disabled_at = clock.now() if disabled else None
        if disabled:
            made = select(AccessToken.token_id).where(
                AccessToken.user_id == user.user_id, AccessToken.revoked_at.is_(None)
            )
            for token_id in session.scalars(made).all():
                tokens.revoke_token(session, clock, token_id)
        session.flush()
        return _person(user, [])

    return committed(uow, act)
