"""Access tokens: minted for an account (only their digest is kept), resolved to the principal a
request acts for, revoked; and the sandbox's demo accounts anyone may sign in as. Functions take a
session and never commit."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from sparkads.accounts.models import AccessToken, DemoAccount, Membership, Role, TokenScope
from sparkads.accounts.principal import Principal, require_role_fits
from sparkads.clock import Clock
from sparkads.errors import SparkadsError
from sparkads.ids import digest, new_id, new_token

TOKEN_PREFIX = {
    TokenScope.ADVERTISER: "adv",
    TokenScope.BUSINESS_CENTER: "bc",
    TokenScope.CREATOR: "crt",
    TokenScope.OPERATOR: "op",
    TokenScope.FEED: "feed",
}


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
    opened_with: str | None = None,
) -> str:
    """Mint a token for an account; only its digest is stored, so this is the one chance to read it.

    `role` narrows what it may do (analyst: read only); `expires_at` ends it; a `web_session` token
    is what a signed-in browser holds, refused by the APIs (`opened_with`: the API token pasted to
    open it, whose revocation ends it). `advertisers` narrows a Business Center token to some of
    its ad accounts (it is kept in the label's companion column)."""
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
            opened_with=opened_with,
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
        scope=row.scope,
        subject_id=row.subject_id,
        token_id=row.token_id,
        role=row.role,
        advertisers=_membership_advertisers(session, row),
        user_id=row.user_id,
        app_id=row.app_id,
    )


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes for timestamptz columns: they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _membership(session: Session, row: AccessToken) -> Membership | None:
    return session.scalar(
        select(Membership).where(
            Membership.user_id == row.user_id,
            Membership.scope == row.scope,
            Membership.subject_id == row.subject_id,
        )
    )


def _membership_advertisers(session: Session, row: AccessToken) -> frozenset[str] | None:
    """A person's Business Center token carries the ad accounts their membership allows; an app's
    token only those the person approved, and none once the person's membership is gone."""
    if row.app_id is not None:
        approved = frozenset(row.advertiser_ids.split())
        if row.user_id is None:
            return approved
        membership = _membership(session, row)
        if membership is None:
            return frozenset()
        limited = frozenset(membership.advertiser_ids.split())
        return approved & limited if limited else approved
    if row.user_id is None or row.scope != TokenScope.BUSINESS_CENTER:
        return None
    membership = _membership(session, row)
    if membership is None or not membership.advertiser_ids.strip():
        return None
    return frozenset(membership.advertiser_ids.split())


def revoke_token(session: Session, clock: Clock, token_id: str) -> None:
    """Revoke a token, and the web sessions opened with it (a revoked token opens nothing)."""
    rows = session.scalars(
        select(AccessToken).where(
            (AccessToken.token_id == token_id) | (AccessToken.opened_with == token_id),
            AccessToken.revoked_at.is_(None),
        )
    )
    for row in rows:
        row.revoked_at = clock.now()
    session.flush()


def _live_labelled(scope: TokenScope, label: str) -> tuple[ColumnElement[bool], ...]:
    """Where a token is a live API token (not a web session, not revoked) of a scope and label."""
    return (
        AccessToken.scope == scope.value,
        AccessToken.label == label,
        AccessToken.web_session.is_(False),
        AccessToken.revoked_at.is_(None),
    )


def revoke_labelled(
    session: Session, clock: Clock, *, scope: TokenScope, subject_id: str, label: str
) -> int:
    """Revoke an account's live API tokens of one label (web sessions are kept); how many."""
    rows = session.scalars(
        select(AccessToken).where(
            *_live_labelled(scope, label), AccessToken.subject_id == subject_id
        )
    ).all()
    for row in rows:
        row.revoked_at = clock.now()
    session.flush()
    return len(rows)


def labelled_subject(session: Session, *, scope: TokenScope, label: str) -> str | None:
    """The account of the newest live API token of a scope and label (None when there is none)."""
    return session.scalar(
        select(AccessToken.subject_id)
        .where(*_live_labelled(scope, label))
        .order_by(AccessToken.created_at.desc(), AccessToken.token_id)
        .limit(1)
    )
