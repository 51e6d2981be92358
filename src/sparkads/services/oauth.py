"""Developer apps and their authorizations, as the CLI, the web app's authorization page and the
open API's oauth2 routes run them. Each function is one use case: it opens the unit of work,
calls `accounts.apps`, and commits (or writes nothing when it raises)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from sqlalchemy.orm import Session

from sparkads.accounts import apps
from sparkads.accounts.apps import Grant
from sparkads.clock import Clock
from sparkads.services.units import Units, committed


@dataclass(frozen=True)
class RegisteredApp:
    app_id: str
    name: str
    redirect_uris: tuple[str, ...]
    secret: str = ""  # only right after registration
    disabled: bool = False


@dataclass(frozen=True)
class Choice:
    advertiser_id: str
    name: str


@dataclass(frozen=True)
class CenterChoice:
    bc_id: str
    name: str
    role: str
    advertisers: tuple[Choice, ...]


@dataclass(frozen=True)
class Request:
    """What the authorization page shows: the app, where it will send the person back, and the
    ad accounts the person may approve."""

    app_id: str
    app_name: str
    redirect_uri: str
    centers: tuple[CenterChoice, ...]


def register(uow: Units, clock: Clock, *, name: str, redirect_uris: Sequence[str]) -> RegisteredApp:
    def act(session: Session) -> RegisteredApp:
        app, secret = apps.register_app(session, clock, name=name, redirect_uris=redirect_uris)
        return RegisteredApp(app.app_id, app.name, tuple(apps.redirect_uris(app)), secret)

    return committed(uow, act)


def registered(uow: Units) -> list[RegisteredApp]:
    with uow() as unit:
        return [
            RegisteredApp(
                a.app_id, a.name, tuple(apps.redirect_uris(a)), disabled=a.disabled_at is not None
            )
            for a in apps.list_apps(unit.session)
        ]


def disable(uow: Units, clock: Clock, app_id: str) -> int:
    return committed(uow, lambda session: apps.disable_app(session, clock, app_id))


def request(uow: Units, *, app_id: str, redirect_uri: str, user_id: str) -> Request:
    with uow() as unit:
        app = apps.app_for_authorization(unit.session, app_id)
        target = apps.choose_redirect_uri(app, redirect_uri)
        centers = tuple(
            CenterChoice(
                g.business_center.bc_id,
                g.business_center.name,
                g.role.value,
                tuple(Choice(a.advertiser_id, a.name) for a in g.advertisers),
            )
            for g in apps.grantable(unit.session, user_id)
        )
        return Request(app.app_id, app.name, target, centers)


def with_query(url: str, **params: str) -> str:
    """The redirect URI with these parameters added to its own query."""
    parts = urlsplit(url)
    extra = urlencode({k: v for k, v in params.items() if v})
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def approve(
    uow: Units,
    clock: Clock,
    *,
    app_id: str,
    redirect_uri: str,
    user_id: str,
    advertiser_ids: Sequence[str],
    state: str,
) -> str:
    """Where to send the person: the app's redirect URI with `auth_code` (and `code`, as TikTok
    sends both) and the app's `state`."""

    def act(session: Session) -> str:
        app = apps.app_for_authorization(session, app_id)
        target = apps.choose_redirect_uri(app, redirect_uri)
        code = apps.approve(
            session,
            clock,
            app=app,
            user_id=user_id,
            advertiser_ids=advertiser_ids,
            redirect_uri=target,
        )
        return with_query(target, auth_code=code, code=code, state=state)

    return committed(uow, act)


def deny(uow: Units, *, app_id: str, redirect_uri: str, state: str) -> str:
    with uow() as unit:
        app = apps.app_for_authorization(unit.session, app_id)
        target = apps.choose_redirect_uri(app, redirect_uri)
    return with_query(target, error="access_denied", state=state)


def access_token(uow: Units, clock: Clock, *, app_id: str, secret: str, auth_code: str) -> Grant:
    return committed(
        uow,
        lambda session: apps.exchange(
            session, clock, app_id=app_id, secret=secret, auth_code=auth_code
        ),
    )


def revoke(uow: Units, clock: Clock, *, app_id: str, secret: str, access_token: str) -> str:
    """The id of the token revoked."""
    return committed(
        uow,
        lambda session: apps.revoke_app_token(
            session, clock, app_id=app_id, secret=secret, access_token=access_token
        ),
    )


def check_app(uow: Units, *, app_id: str, secret: str) -> str:
    """40101 unless the app's secret matches; the app's id."""
    with uow() as unit:
        return apps.verify_app(unit.session, app_id, secret).app_id
