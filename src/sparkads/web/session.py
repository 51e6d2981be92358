"""One request seen by the web app: who is signed in (a server-side web session, whose secret is
kept in an HttpOnly, SameSite=Lax cookie: never an API token), the page language, the per-session
CSRF token, flash messages, and the ad account a Business Center user is working on."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from sparkads import keys
from sparkads.accounts.models import Advertiser, Role, TokenScope
from sparkads.accounts.service import (
    Principal,
    authorize_advertiser,
    get_advertiser,
    get_business_center,
    get_creator,
    resolve_token,
    revoke_token,
)
from sparkads.api.context import AppContext, ContextDep, actor_of
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.errors import SparkadsError
from sparkads.web.i18n import LANG_COOKIE, N_, choose_language, gettext, localized_params
from sparkads.web.templating import render_template

SESSION_COOKIE = "sa_session"
CSRF_COOKIE = "sa_csrf"
FLASH_COOKIE = "sa_flash"
# A secret shown once (a new Spark code, a new token) carried across the redirect after its form
# (POST-redirect-GET): short-lived, HTTP-only, bound to the page that shows it, gone once shown.
REVEAL_COOKIE = "sa_reveal"
REVEAL_SECONDS = 120
ACCOUNT_COOKIE = "sa_account"
CSRF_FIELD = "csrf_token"
SESSION_DAYS = 7
R = TypeVar("R", bound=Response)
WEB_SCOPES = (
    TokenScope.ADVERTISER,
    TokenScope.BUSINESS_CENTER,
    TokenScope.CREATOR,
    TokenScope.OPERATOR,  # operators (console, review queue) and reviewers (review queue)
)
# Forms an analyst (read-only role) may still send: they change nothing but the session, or
# (an app's authorization) hand on no more than the analyst's own read-only role.
WEB_READ_ONLY_FORMS = frozenset(
    {"/signout", "/signin", "/signin/demo", "/signin/password", "/portal/auth"}
)


class Redirect(Exception):  # noqa: N818 - control flow, not a failure
    """Leave this page for another one (e.g. the sign-in page when nobody is signed in)."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class PageError(Exception):
    """A problem of the web app itself (not a domain rule), explained like catalogue errors."""

    def __init__(self, message: str, cause: str, solution: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.cause, self.solution, self.status = message, cause, solution, status

    def render(self, lang: str) -> dict[str, str]:
        return {
            "code": "",
            "message": gettext(lang, self.message),
            "cause": gettext(lang, self.cause),
            "solution": gettext(lang, self.solution),
        }


def explain(error: SparkadsError | PageError, lang: str) -> dict[str, str]:
    """Message, cause and solution in the page's language, whatever kind of error it is (moments
    and decimals written the reader's way)."""
    if isinstance(error, SparkadsError):
        return SparkadsError(error.code, **localized_params(error.params, lang)).render(lang)
    return error.render(lang)


@dataclass(frozen=True)
class AdAccount:
    advertiser_id: str
    name: str
    currency: str
    timezone: str
    bc_id: str | None

    @classmethod
    def of(cls, row: Advertiser) -> AdAccount:
        return cls(row.advertiser_id, row.name, row.currency, row.timezone, row.bc_id)


@dataclass(frozen=True)
class WebUser:
    principal: Principal
    name: str
    accounts: tuple[AdAccount, ...] = ()
    current: AdAccount | None = None

    @property
    def scope(self) -> str:
        return self.principal.scope.value

    @property
    def is_creator(self) -> bool:
        return self.principal.scope is TokenScope.CREATOR

    @property
    def is_operator(self) -> bool:
        """A platform operator or reviewer (operator token): reviews ads and appeals."""
        return self.principal.scope is TokenScope.OPERATOR

    @property
    def is_reviewer(self) -> bool:
        """A reviewer's operator token: the review queue only."""
        return self.is_operator and self.principal.role is Role.REVIEWER

    @property
    def is_advertiser(self) -> bool:
        return not self.is_creator and not self.is_operator


def safe_next(url: str | None, default: str = "/") -> str:
    """Only paths on this site: never another host (open redirects)."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return default
    return url


@dataclass
class Web:
    request: Request
    context: AppContext
    lang: str
    user: WebUser | None
    csrf_seed: str
    _cookies: list[tuple[str, str | None, int | None]] = field(default_factory=list)
    _flashes: list[dict[str, Any]] = field(default_factory=list)

    # --- building blocks -----------------------------------------------------------------
    def uow(self) -> UnitOfWork:
        """A unit of work whose changes the audit log records as the signed-in person's."""
        uow = self.context.uow()
        if self.user is not None:
            uow.session.info["audit_actor"] = actor_of(self.user.principal, "web")
        return uow

    @property
    def sandbox(self) -> bool:
        return self.context.settings.sandbox

    @property
    def csrf_token(self) -> str:
        key = hmac.new(self.context.delivery.config.secret, b"web-csrf", hashlib.sha256).digest()
        return hmac.new(key, self.csrf_seed.encode(), hashlib.sha256).hexdigest()

    def check_csrf(self, sent: str) -> None:
        if not hmac.compare_digest(sent.encode(), self.csrf_token.encode()):
            raise PageError(
                N_("This form has expired."),
                N_("The page was open for too long, or you signed in or out in another tab."),
                N_("Go back, reload the page and send the form again."),
                status=403,
            )

    def set_cookie(self, name: str, value: str | None, max_age: int | None = None) -> None:
        self._cookies.append((name, value, max_age))

    def _apply(self, response: R) -> R:
        secure = self.request.url.scheme == "https"
        for name, value, max_age in self._cookies:
            if value is None:
                response.delete_cookie(name, path="/", httponly=True, samesite="lax")
            else:
                response.set_cookie(
                    name, value, max_age=max_age, path="/", httponly=True,
                    samesite="lax", secure=secure,
                )  # fmt: skip
        return response

    # --- flash messages ------------------------------------------------------------------
    def flash(self, message: str, kind: str = "success", **params: Any) -> None:
        self._flashes.append({"m": message, "k": kind, "p": params})

    def _incoming_flashes(self) -> list[dict[str, Any]]:
        raw = self.request.cookies.get(FLASH_COOKIE)
        if not raw:
            return []
        try:
            value = json.loads(base64.urlsafe_b64decode(raw.encode()))
        except ValueError:
            return []
        return [f for f in value if isinstance(f, dict) and isinstance(f.get("m"), str)]

    def reveal_next(self, where: str, **values: Any) -> None:
        """Show `values` once, on the page at `where` that the coming redirect opens. The cookie
        is sealed with the server's keys (a secret shown once must not travel in the clear)."""
        data = json.dumps({"where": where, "values": values}, default=str).encode()
        sealed = keys.seal(self.context.keyring.sealing, data, context=REVEAL_COOKIE)
        self.set_cookie(REVEAL_COOKIE, sealed, REVEAL_SECONDS)

    def revealed(self) -> dict[str, Any]:
        """What `reveal_next` left for this page (then forgotten), or nothing."""
        raw = self.request.cookies.get(REVEAL_COOKIE)
        if not raw:
            return {}
        try:
            opened = keys.unseal(self.context.keyring.sealing, raw, context=REVEAL_COOKIE)
            data = json.loads(opened) if opened is not None else None
        except ValueError:
            data = None
        if not isinstance(data, dict) or data.get("where") != self.request.url.path:
            return {}
        self.set_cookie(REVEAL_COOKIE, None)
        values = data.get("values")
        return values if isinstance(values, dict) else {}

    # --- responses -----------------------------------------------------------------------
    def render(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        flashes = []
        for flash in self._incoming_flashes() + self._flashes:
            message, params = flash["m"], flash.get("p", {})
            text = gettext(self.lang, message, **params)
            flashes.append({"kind": flash.get("k", "success"), "text": text})
        if self.request.cookies.get(FLASH_COOKIE):
            self.set_cookie(FLASH_COOKIE, None)
        html = render_template(
            self.lang, template, web=self, user=self.user, flashes=flashes, **values
        )
        return self._apply(HTMLResponse(html, status_code=status))

    def redirect(self, url: str) -> Response:
        if self._flashes:
            data = json.dumps(self._incoming_flashes() + self._flashes).encode()
            self.set_cookie(FLASH_COOKIE, base64.urlsafe_b64encode(data).decode())
        return self._apply(RedirectResponse(url, status_code=303))

    def error_page(self, error: SparkadsError | PageError, status: int | None = None) -> Response:
        code = status or (error.status if isinstance(error, PageError) else error.spec.http_status)
        return self.render("error.html", status=code, error=explain(error, self.lang))

    # --- who is signed in ----------------------------------------------------------------
    def require_user(self) -> WebUser:
        if self.user is None:
            raise Redirect("/signin?next=" + quote(self._here(), safe="/"))
        return self.user

    def require_creator(self) -> WebUser:
        user = self.require_user()
        if not user.is_creator:
            raise SparkadsError("wrong_token_scope", needed="creator", given=user.scope)
        return user

    def require_operator(self) -> WebUser:
        """An operator (not a reviewer): the console."""
        user = self.require_user()
        if not user.is_operator or user.principal.role is Role.REVIEWER:
            raise SparkadsError("wrong_token_scope", needed="operator", given=user.scope)
        return user

    def require_reviewer(self) -> WebUser:
        user = self.require_user()
        if not user.is_operator:
            raise SparkadsError("wrong_token_scope", needed="operator", given=user.scope)
        return user

    def require_ad_account(self) -> AdAccount:
        user = self.require_user()
        if not user.is_advertiser:
            raise SparkadsError(
                "wrong_token_scope", needed="advertiser or business_center", given=user.scope
            )
        if user.current is None:
            raise PageError(
                N_("No ad account yet."),
                N_("This Business Center has no advertiser account."),
                N_("Create one with `sparkads advertisers create --bc-id …`, then reload."),
                status=404,
            )
        return user.current

    def advertiser(self, session: Session) -> Advertiser:
        """The current ad account, checked against the token as the APIs check it."""
        account = self.require_ad_account()
        assert self.user is not None
        return authorize_advertiser(session, self.user.principal, account.advertiser_id)

    def _here(self) -> str:
        query = self.request.url.query
        return self.request.url.path + (f"?{query}" if query else "")

    def sign_in(self, web_session: str) -> None:
        """Keep a web session's secret (accounts.people.open_session) in the cookie."""
        self.set_cookie(SESSION_COOKIE, web_session, SESSION_DAYS * 86_400)
        self.set_cookie(CSRF_COOKIE, secrets.token_urlsafe(24))
        self.set_cookie(ACCOUNT_COOKIE, None)

    def sign_out(self) -> None:
        """End the web session on the server (the cookie alone no longer signs anyone in)."""
        if self.user is not None:
            with self.uow() as uow:
                revoke_token(uow.session, self.context.clock, self.user.principal.token_id)
                uow.commit()
        self.set_cookie(SESSION_COOKIE, None)
        self.set_cookie(CSRF_COOKIE, secrets.token_urlsafe(24))
        self.set_cookie(ACCOUNT_COOKIE, None)


def _accounts(session: Session, principal: Principal) -> tuple[str, Sequence[Advertiser]]:
    if principal.scope is TokenScope.ADVERTISER:
        advertiser = get_advertiser(session, principal.subject_id)
        return advertiser.name, [advertiser]
    bc = get_business_center(session, principal.subject_id)
    rows = session.scalars(
        select(Advertiser).where(Advertiser.bc_id == bc.bc_id).order_by(Advertiser.name)
    ).all()
    return bc.name, rows


def load_user(
    session: Session, token: str | None, chosen: str | None, now: datetime
) -> WebUser | None:
    """The signed-in user, or None when the cookie holds no valid web session any more (signed
    out, expired, idle too long, password changed)."""
    if not token:
        return None
    try:
        principal = resolve_token(session, token, now, web=True)
        if principal.scope not in WEB_SCOPES:
            return None
        if principal.scope is TokenScope.CREATOR:
            creator = get_creator(session, principal.subject_id)
            return WebUser(principal, "@" + creator.handle)
        if principal.scope is TokenScope.OPERATOR:
            return WebUser(
                principal, N_("Reviewer") if principal.role is Role.REVIEWER else N_("Operator")
            )
        name, rows = _accounts(session, principal)
    except SparkadsError:
        return None
    if principal.advertisers is not None:
        rows = [row for row in rows if row.advertiser_id in principal.advertisers]
    accounts = tuple(AdAccount.of(row) for row in rows)
    current = next((a for a in accounts if a.advertiser_id == chosen), None)
    return WebUser(principal, name, accounts, current or (accounts[0] if accounts else None))


def web_context(request: Request, context: ContextDep) -> Web:
    cached = getattr(request.state, "web", None)
    if isinstance(cached, Web):
        return cached
    token = request.cookies.get(SESSION_COOKIE)
    with context.uow() as uow:
        user = load_user(
            uow.session, token, request.cookies.get(ACCOUNT_COOKIE), context.clock.now()
        )
        uow.commit()  # the session's last use
    lang = choose_language(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))
    seed = request.cookies.get(CSRF_COOKIE) or ""
    web = Web(request, context, lang, user, seed or secrets.token_urlsafe(24))
    if not seed:
        web.set_cookie(CSRF_COOKIE, web.csrf_seed)
    if token and user is None:
        web.set_cookie(SESSION_COOKIE, None)
    request.state.web = web
    return web


WebDep = Annotated[Web, Depends(web_context)]


class Form:
    """A submitted form whose CSRF token was checked, with typed getters."""

    def __init__(
        self, items: list[tuple[str, str]], files: dict[str, tuple[str, bytes]] | None = None
    ) -> None:
        self._items = items
        self._files = files or {}

    def file(self, name: str) -> tuple[str, bytes] | None:
        """An uploaded file (name, content) of a multipart form, or None when none was chosen."""
        return self._files.get(name)

    def get(self, name: str, default: str = "") -> str:
        for key, value in self._items:
            if key == name:
                return value.strip()
        return default

    def raw(self, name: str) -> str:
        """A value as typed, spaces kept (passwords)."""
        return next((value for key, value in self._items if key == name), "")

    def getlist(self, name: str) -> list[str]:
        return [value.strip() for key, value in self._items if key == name and value.strip()]

    def names(self) -> list[str]:
        return list(dict.fromkeys(key for key, _ in self._items))

    def values(self) -> dict[str, str]:
        return {key: value for key, value in self._items if key != CSRF_FIELD}


async def checked_form(request: Request, web: WebDep) -> Form:
    data = await request.form()
    items = [(key, value) for key, value in data.multi_items() if isinstance(value, str)]
    files: dict[str, tuple[str, bytes]] = {}
    for key, value in data.multi_items():
        if isinstance(value, UploadFile):
            content = await value.read()
            await value.close()
            if key not in files and (value.filename or content):
                files[key] = (value.filename or "", content)
    form = Form(items, files)
    web.check_csrf(form.get(CSRF_FIELD))
    if (
        web.user is not None
        and not web.user.principal.may_write()
        and request.url.path not in WEB_READ_ONLY_FORMS
    ):
        raise SparkadsError(
            "role_not_allowed",
            role=web.user.principal.role.value,
            needed="the operator or admin role",
        )
    return form


FormDep = Annotated[Form, Depends(checked_form)]


def form_amount(raw: str, field: str) -> Decimal | None:
    """A money amount typed in a form (comma or point, spaces allowed), None when left empty."""
    text = raw.replace(",", ".").replace(" ", "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise SparkadsError("invalid_parameter", field=field, detail=f"{raw!r} is not a number")
    return value
