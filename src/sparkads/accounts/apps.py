"""Developer apps, TikTok's way: an operator registers an app (its secret is shown once and kept
as a digest, with the redirect URIs it may send people back to); a person approves ad accounts on
the authorization page, which hands the app a single-use, short-lived `auth_code`; the app trades
it (with its secret) for an access token scoped to those ad accounts, with the person's role, and
may revoke it. Functions take a session and never commit."""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import (
    AccessToken,
    Advertiser,
    AuthCode,
    BusinessCenter,
    DeveloperApp,
    Role,
    TokenScope,
)
from sparkads.accounts.people import memberships_of
from sparkads.accounts.service import issue_token, revoke_token
from sparkads.clock import Clock
from sparkads.db.base import added
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.ids import digest, new_id, new_token

AUTH_CODE_MINUTES = 10
MAX_REDIRECT_URIS = 10
LOOPBACK = {"localhost", "127.0.0.1", "::1", "[::1]"}
# TikTok answers the permission scopes granted as numbers; sparkads has four groups:
# 1 ad accounts (read), 2 campaigns, ad groups and ads (write), 3 audiences (write), 4 reports.
READ_SCOPES = (1, 4)
ALL_SCOPES = (1, 2, 3, 4)


def check_redirect_uri(uri: str) -> str:
    """An absolute https URL (or http on this machine, for development), no fragment."""
    parts = urlsplit(uri.strip())
    secure = parts.scheme == "https" or (
        parts.scheme == "http" and (parts.hostname or "") in LOOPBACK
    )
    if not secure or not parts.netloc or parts.fragment or len(uri) > 500:
        raise SparkadsError(
            "invalid_parameter",
            field="redirect_uri",
            detail=LocalText(
                N_(
                    "{uri} is not an https URL (http only for localhost), without '#', "
                    "at most 500 characters"
                ),
                {"uri": repr(uri)},
            ),
        )
    return uri.strip()


def register_app(
    session: Session, clock: Clock, *, name: str, redirect_uris: Sequence[str]
) -> tuple[DeveloperApp, str]:
    """The app and its secret: the only time the secret can be read."""
    cleaned = name.strip()
    if not 1 <= len(cleaned) <= 100:
        raise SparkadsError(
            "invalid_parameter", field="name", detail=LocalText(N_("1 to 100 characters"))
        )
    uris = list(dict.fromkeys(check_redirect_uri(uri) for uri in redirect_uris))
    if not 1 <= len(uris) <= MAX_REDIRECT_URIS:
        raise SparkadsError(
            "invalid_parameter",
            field="redirect_uri",
            detail=LocalText(N_("give 1 to {most} redirect URIs"), {"most": MAX_REDIRECT_URIS}),
        )
    secret = new_token("app", 20).removeprefix("app_")
    app = DeveloperApp(
        app_id=new_id(),
        name=cleaned,
        secret_hash=digest(secret),
        redirect_uris="\n".join(uris),
        created_at=clock.now(),
    )
    return added(session, app), secret


def redirect_uris(app: DeveloperApp) -> list[str]:
    return app.redirect_uris.splitlines()


def list_apps(session: Session) -> list[DeveloperApp]:
    return list(session.scalars(select(DeveloperApp).order_by(DeveloperApp.created_at)))


def disable_app(session: Session, clock: Clock, app_id: str) -> int:
    """The app can no longer be authorized nor use its tokens: they are all revoked. Returns how
    many tokens were revoked."""
    app = session.get(DeveloperApp, str(app_id))
    if app is None:
        raise SparkadsError(
            "invalid_parameter", field="app_id", detail=LocalText(N_("no registered app"))
        )
    app.disabled_at = app.disabled_at or clock.now()
    revoked = 0
    for row in session.scalars(
        select(AccessToken).where(
            AccessToken.app_id == app.app_id, AccessToken.revoked_at.is_(None)
        )
    ):
        revoke_token(session, clock, row.token_id)
        revoked += 1
    session.flush()
    return revoked


def app_for_authorization(session: Session, app_id: str) -> DeveloperApp:
    """The app an authorization link names (the page shows its name): registered and enabled."""
    app = session.get(DeveloperApp, str(app_id)) if app_id else None
    if app is None or app.disabled_at is not None:
        raise SparkadsError(
            "invalid_parameter", field="app_id", detail=LocalText(N_("no registered app"))
        )
    return app


def verify_app(session: Session, app_id: str, secret: str) -> DeveloperApp:
    """The app, if its secret matches (compared in constant time); 40101 otherwise."""
    app = session.get(DeveloperApp, str(app_id))
    expected = app.secret_hash if app is not None else digest("")
    matches = hmac.compare_digest(expected.encode(), digest(secret).encode())
    if app is None or not matches or app.disabled_at is not None:
        raise SparkadsError("app_credentials_invalid")
    return app


def choose_redirect_uri(app: DeveloperApp, requested: str) -> str:
    """The registered URI asked for (exactly), or the first one when none is asked for: an
    authorization is never sent anywhere else."""
    registered = redirect_uris(app)
    if not requested:
        return registered[0]
    if requested not in registered:
        raise SparkadsError("redirect_uri_not_registered", redirect_uri=requested)
    return requested


@dataclass(frozen=True)
class Grantable:
    """A Business Center a person may grant an app access to, with the ad accounts they reach."""

    business_center: BusinessCenter
    role: Role
    advertisers: tuple[Advertiser, ...]


def grantable(session: Session, user_id: str) -> list[Grantable]:
    """What a person may hand on: the ad accounts of their Business Center memberships (only the
    ones a limited membership names), with that membership's role."""
    found = []
    for membership in memberships_of(session, user_id):
        if membership.scope != TokenScope.BUSINESS_CENTER:
            continue
        bc = session.get(BusinessCenter, membership.subject_id)
        if bc is None:
            continue
        limited = set(membership.advertiser_ids.split())
        advertisers = tuple(
            a
            for a in session.scalars(
                select(Advertiser)
                .where(Advertiser.bc_id == bc.bc_id)
                .order_by(Advertiser.created_at, Advertiser.advertiser_id)
            )
            if not limited or a.advertiser_id in limited
        )
        found.append(Grantable(bc, Role(membership.role), advertisers))
    return found


def approve(
    session: Session,
    clock: Clock,
    *,
    app: DeveloperApp,
    user_id: str,
    advertiser_ids: Sequence[str],
    redirect_uri: str,
) -> str:
    """Record what the person approved; the returned auth_code is the only copy of the code."""
    chosen = list(dict.fromkeys(str(a) for a in advertiser_ids))
    if not chosen:
        raise SparkadsError(
            "invalid_parameter",
            field="advertiser_ids",
            detail=LocalText(N_("choose at least one ad account")),
        )
    reachable = {a.advertiser_id: g for g in grantable(session, user_id) for a in g.advertisers}
    for advertiser_id in chosen:
        if advertiser_id not in reachable:
            raise SparkadsError("no_permission", what=f"advertiser {advertiser_id}")
    centers = {reachable[a].business_center.bc_id for a in chosen}
    if len(centers) > 1:
        raise SparkadsError("oauth_one_business_center", count=len(centers))
    grant = reachable[chosen[0]]
    code = new_token("code", 24).removeprefix("code_")
    now = clock.now()
    session.add(
        AuthCode(
            code_hash=digest(code),
            app_id=app.app_id,
            user_id=user_id,
            bc_id=grant.business_center.bc_id,
            advertiser_ids=" ".join(chosen),
            role=grant.role.value,
            redirect_uri=redirect_uri,
            created_at=now,
            expires_at=now + timedelta(minutes=AUTH_CODE_MINUTES),
        )
    )
    session.flush()
    return code


@dataclass(frozen=True)
class Grant:
    access_token: str
    advertiser_ids: tuple[str, ...]
    scope: tuple[int, ...]


def scopes_of(role: Role) -> tuple[int, ...]:
    return READ_SCOPES if role is Role.ANALYST else ALL_SCOPES


def exchange(session: Session, clock: Clock, *, app_id: str, secret: str, auth_code: str) -> Grant:
    """auth_code → access token, once: the code is marked used in the same transaction."""
    app = verify_app(session, app_id, secret)
    row = session.get(AuthCode, digest(auth_code), with_for_update=True)
    now = clock.now()
    if (
        row is None
        or row.app_id != app.app_id
        or row.used_at is not None
        or _aware(row.expires_at) <= now
    ):
        raise SparkadsError("oauth_code_invalid", minutes=AUTH_CODE_MINUTES)
    row.used_at = now
    role = Role(row.role)
    token = issue_token(
        session,
        clock,
        scope=TokenScope.BUSINESS_CENTER,
        subject_id=row.bc_id,
        label=f"app {app.name}"[:100],
        role=role,
        user_id=row.user_id,
    )
    issued = session.scalar(select(AccessToken).where(AccessToken.token_hash == digest(token)))
    assert issued is not None
    issued.app_id = app.app_id
    issued.advertiser_ids = row.advertiser_ids
    session.flush()
    return Grant(token, tuple(row.advertiser_ids.split()), scopes_of(role))


def revoke_app_token(
    session: Session, clock: Clock, *, app_id: str, secret: str, access_token: str
) -> str:
    """The app gives back a token it obtained; returns its id. A token of another app, or none,
    is refused as invalid (40105) without saying which."""
    app = verify_app(session, app_id, secret)
    row = session.scalar(select(AccessToken).where(AccessToken.token_hash == digest(access_token)))
    if row is None or row.app_id != app.app_id or row.revoked_at is not None:
        raise SparkadsError("access_token_invalid")
    revoke_token(session, clock, row.token_id)
    return row.token_id


def app_names(session: Session, app_ids: Sequence[str]) -> dict[str, str]:
    wanted = {a for a in app_ids if a}
    if not wanted:
        return {}
    rows = session.scalars(select(DeveloperApp).where(DeveloperApp.app_id.in_(wanted)))
    return {row.app_id: row.name for row in rows}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
