"""People: user accounts (an email and an Argon2id password hash), what each may act as
(memberships: a Business Center with a role and, optionally, some of its ad accounts; or a
creator account), web sessions, and password resets through one-time links.

Signing in goes through a `SignInProvider`: passwords today; an OpenID Connect provider can fill
the same seam later (it returns the `User` an identity maps to). A web session is a row of
`access_tokens` marked `web_session`, with an expiry and an idle timeout, refused by the APIs and
revoked on sign-out and on every password change. Functions take a session and never commit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sparkads.accounts.models import (
    AccessToken,
    Advertiser,
    BusinessCenter,
    Creator,
    Membership,
    PasswordReset,
    Role,
    TokenScope,
    User,
)
from sparkads.accounts.service import issue_token, require_role_fits
from sparkads.clock import Clock
from sparkads.db.base import added
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.ids import digest, new_id, new_token

HASHER = PasswordHasher()  # Argon2id, the library's current parameters (RFC 9106 low memory)
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$")
MIN_PASSWORD = 12
SESSION_LIFETIME = timedelta(days=7)
RESET_LIFETIME = timedelta(hours=1)
_DUMMY_HASH = HASHER.hash("a password nobody has")


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _check_password(password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= 1000:
        raise SparkadsError(
            "invalid_parameter",
            field="password",
            detail=LocalText(N_("must be {least} to 1000 characters"), {"least": MIN_PASSWORD}),
        )
    return password


def create_user(session: Session, clock: Clock, *, email: str, password: str) -> User:
    cleaned = normalize_email(email)
    if not EMAIL.match(cleaned) or len(cleaned) > 254:
        raise SparkadsError(
            "invalid_parameter", field="email", detail=LocalText(N_("not an email address"))
        )
    if session.scalar(select(User).where(User.email == cleaned)) is not None:
        raise SparkadsError(
            "invalid_parameter", field="email", detail=LocalText(N_("already has an account"))
        )
    user = User(
        user_id=new_id(),
        email=cleaned,
        password_hash=HASHER.hash(_check_password(password)),
        created_at=clock.now(),
        password_changed_at=clock.now(),
    )
    return added(session, user)


def add_membership(
    session: Session,
    clock: Clock,
    *,
    user: User,
    scope: TokenScope,
    subject_id: str,
    role: Role = Role.ADMIN,
    advertiser_ids: tuple[str, ...] = (),
) -> Membership:
    """Let a person act as a Business Center (with a role, on all or some of its ad accounts) or
    as a creator account."""
    require_role_fits(scope, role)
    if scope is TokenScope.BUSINESS_CENTER:
        if session.get(BusinessCenter, subject_id) is None:
            raise SparkadsError("business_center_not_found", bc_id=subject_id)
        for advertiser_id in advertiser_ids:
            row = session.get(Advertiser, advertiser_id)
            if row is None or row.bc_id != subject_id:
                raise SparkadsError("no_permission", what=f"advertiser {advertiser_id}")
    elif scope is TokenScope.CREATOR:
        if session.get(Creator, subject_id) is None:
            raise SparkadsError("creator_not_found", handle=subject_id)
    else:
        raise SparkadsError(
            "invalid_parameter", field="scope", detail=LocalText(N_("business_center or creator"))
        )
    membership = Membership(
        membership_id=new_id(),
        user_id=user.user_id,
        scope=scope,
        subject_id=subject_id,
        role=role,
        advertiser_ids=" ".join(advertiser_ids),
        created_at=clock.now(),
    )
    return added(session, membership)


def memberships_of(session: Session, user_id: str) -> list[Membership]:
    return list(
        session.scalars(
            select(Membership)
            .where(Membership.user_id == user_id)
            .order_by(Membership.created_at, Membership.membership_id)
        )
    )


class SignInProvider(Protocol):
    """Who a sign-in attempt is: passwords today, an OpenID Connect provider later."""

    def authenticate(self, session: Session, clock: Clock, credentials: dict[str, str]) -> User: ...


class PasswordSignIn:
    def authenticate(self, session: Session, clock: Clock, credentials: dict[str, str]) -> User:
        email = normalize_email(credentials.get("email", ""))
        password = credentials.get("password", "")
        user = session.scalar(select(User).where(User.email == email)) if email else None
        try:
            # the same work whether or not the email exists: timing tells nothing
            HASHER.verify(user.password_hash if user else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            raise SparkadsError("password_sign_in_failed") from None
        if user is None:
            raise SparkadsError("password_sign_in_failed")
        if HASHER.check_needs_rehash(user.password_hash):
            user.password_hash = HASHER.hash(password)
            session.flush()
        return user


def open_session(session: Session, clock: Clock, user: User, membership: Membership) -> str:
    """A web session for this person acting through this membership: its secret goes in the
    cookie, only its digest is stored."""
    return issue_token(
        session,
        clock,
        scope=TokenScope(membership.scope),
        subject_id=membership.subject_id,
        label=f"web session {user.email}",
        role=Role(membership.role),
        expires_at=clock.now() + SESSION_LIFETIME,
        web_session=True,
        user_id=user.user_id,
    )


def revoke_sessions(session: Session, clock: Clock, user_id: str) -> None:
    """Every web session of this person ends (password changed or reset)."""
    session.execute(
        update(AccessToken)
        .where(
            AccessToken.user_id == user_id,
            AccessToken.web_session.is_(True),
            AccessToken.revoked_at.is_(None),
        )
        .values(revoked_at=clock.now())
    )
    session.flush()


def change_password(session: Session, clock: Clock, user: User, new_password: str) -> None:
    user.password_hash = HASHER.hash(_check_password(new_password))
    user.password_changed_at = clock.now()
    revoke_sessions(session, clock, user.user_id)


@dataclass(frozen=True)
class ResetLink:
    email: str
    url: str
    expires_at: datetime


class ResetSender(Protocol):
    """How a one-time reset link reaches its owner: printed, written to a file, or mailed."""

    def send(self, link: ResetLink) -> None: ...


class ConsoleSender:
    def send(self, link: ResetLink) -> None:
        print(f"password reset for {link.email}: {link.url} (until {link.expires_at:%H:%M} UTC)")


class FileSender:
    """Appends each link to a file (mode 0600), e.g. for a mail relay or the tests to pick up."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def send(self, link: ResetLink) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.touch(mode=0o600, exist_ok=True)
        with self.path.open("a") as sink:
            sink.write(f"{link.email} {link.url}\n")


def sender_from(spec: str) -> ResetSender:
    """`console` (default) or `file:<path>`."""
    if spec.startswith("file:"):
        return FileSender(spec.removeprefix("file:"))
    return ConsoleSender()


def start_reset(
    session: Session, clock: Clock, sender: ResetSender, *, email: str, base_url: str
) -> None:
    """Send a one-time link if an account has this email; say nothing either way."""
    user = session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        return
    secret = new_token("reset")
    expires = clock.now() + RESET_LIFETIME
    session.add(
        PasswordReset(
            reset_hash=digest(secret),
            user_id=user.user_id,
            created_at=clock.now(),
            expires_at=expires,
            used_at=None,
        )
    )
    session.flush()
    sender.send(ResetLink(user.email, f"{base_url}/password/reset?token={secret}", expires))


def complete_reset(session: Session, clock: Clock, *, secret: str, new_password: str) -> User:
    row = session.get(PasswordReset, digest(secret)) if secret else None
    now = clock.now()
    if row is None or row.used_at is not None or _utc(row.expires_at) <= now:
        raise SparkadsError("reset_link_invalid")
    user = session.get_one(User, row.user_id)
    change_password(session, clock, user, new_password)
    row.used_at = now
    session.flush()
    return user


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
