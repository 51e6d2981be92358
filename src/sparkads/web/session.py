"""One request seen by the web app (`Web`): who is signed in (a server-side web session, whose
secret is kept in an HttpOnly, SameSite=Lax cookie: never an API token; the user and their ad
accounts in users.py), the page language, the per-session CSRF token (checked on forms in
forms.py), flash messages, secrets shown once, and answers (pages, redirects, error pages)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from sparkads import keys
from sparkads.accounts.lookups import authorize_advertiser
from sparkads.accounts.models import Advertiser, Role, TokenScope
from sparkads.accounts.principal import tokens_text
from sparkads.api.context import AppContext, ContextDep, actor_of
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.errors import CATALOGUE, SparkadsError
from sparkads.i18n import LocalText, portable_params, restored_params
from sparkads.services import sign_in
from sparkads.web.i18n import LANG_COOKIE, N_, choose_language, gettext
from sparkads.web.problems import PageError, Redirect, explain, safe_next
from sparkads.web.templating import render_template
from sparkads.web.users import AdAccount, WebUser, load_user

SESSION_COOKIE = "sa_session"
CSRF_COOKIE = "sa_csrf"
FIRST_ACCOUNT = "/ads/first-account"  # web.first_account's form (its page is shown at /ads)
FLASH_COOKIE = "sa_flash"
# A secret shown once (a new Spark code, a new token) carried across the redirect after its form
# (POST-redirect-GET): short-lived, HTTP-only, bound to the page that shows it, gone once shown.
REVEAL_COOKIE = "sa_reveal"
REVEAL_SECONDS = 120
ACCOUNT_COOKIE = "sa_account"
SESSION_DAYS = 7
R = TypeVar("R", bound=Response)


# Flashes ride in a cookie across one redirect: a few, each value cut short, the whole well under
# the 4 KB a browser keeps (the oldest are dropped first).
FLASH_LIMIT = 5
FLASH_BYTES = 3_000


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
    def flash(self, message: str, kind: str = "success", **params: object) -> None:
        self._flashes.append({"m": message, "k": kind, "p": portable_params(params)})

    def flash_problem(
        self,
        error: SparkadsError | PageError,
        *,
        about: LocalText | None = None,
        kept: Mapping[str, str] | None = None,
    ) -> None:
        """A refused form's problem, explained (in the reader's language then) on the page the
        coming redirect opens: a catalogue code and its parameters, or a web problem's texts;
        `about` names what was refused (which campaign), `kept` are the form's values as typed,
        for that page to show again in its fields (`kept_values`)."""
        if isinstance(error, SparkadsError):
            params = portable_params(error.params)
            entry: dict[str, Any] = {"m": "", "k": "error", "e": error.code, "p": params}
        else:
            texts = {"m": error.message, "c": error.cause, "s": error.solution}
            entry = {**texts, "k": "error", "e": ""}
        if about is not None:
            entry["a"] = portable_params({"a": about})["a"]
        if kept:
            entry["f"] = portable_params(kept, limit=100)
        self._flashes.append(entry)

    def kept_values(self) -> dict[str, str]:
        """The values typed in the refused form the coming page shows again (`flash_problem`)."""
        kept: dict[str, str] = {}
        for flash in self._incoming_flashes():
            values = flash.get("f")
            if isinstance(values, dict):
                kept |= {str(k): v for k, v in values.items() if isinstance(v, str)}
        return kept

    def _shown(self, flash: dict[str, Any]) -> dict[str, object] | None:
        """A flash as the page shows it; None for one that cannot be shown (a cookie altered by
        hand, or left by another version of the app): it is dropped, the page still opens."""
        try:
            return self._explained(flash)
        except (TypeError, KeyError, ValueError, IndexError, AttributeError):
            return None

    def _explained(self, flash: dict[str, Any]) -> dict[str, object]:
        given = flash.get("p")
        params = restored_params(given) if isinstance(given, dict) else {}
        if "e" not in flash:
            text = gettext(self.lang, flash["m"], **params)
            return {"kind": flash.get("k", "success"), "text": text}
        code = str(flash["e"])
        problem: SparkadsError | PageError = (
            SparkadsError(code, **params)
            if code in CATALOGUE
            else PageError(flash["m"], str(flash.get("c", "")), str(flash.get("s", "")))
        )
        explained = explain(problem, self.lang)
        about = restored_params({"a": flash["a"]})["a"] if "a" in flash else None
        if isinstance(about, LocalText):
            explained["about"] = about.render(self.lang)
        return {"kind": "error", "error": explained}

    def _incoming_flashes(self) -> list[dict[str, object]]:
        raw = self.request.cookies.get(FLASH_COOKIE)
        if not raw:
            return []
        try:
            value = json.loads(base64.urlsafe_b64decode(raw.encode()))
        except (ValueError, RecursionError):
            return []
        if not isinstance(value, list):
            return []
        return [f for f in value if isinstance(f, dict) and isinstance(f.get("m"), str)]

    def reveal_next(self, where: str, **values: object) -> None:
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
    def render(self, template: str, status: int = 200, **values: object) -> HTMLResponse:
        shown = (self._shown(flash) for flash in self._incoming_flashes() + self._flashes)
        flashes = [flash for flash in shown if flash is not None]
        if self.request.cookies.get(FLASH_COOKIE):
            self.set_cookie(FLASH_COOKIE, None)
        html = render_template(
            self.lang, template, web=self, user=self.user, flashes=flashes, **values
        )
        return self._apply(HTMLResponse(html, status_code=status))

    def redirect(self, url: str) -> Response:
        if self._flashes:
            kept = (self._incoming_flashes() + self._flashes)[-FLASH_LIMIT:]
            value = _flash_cookie(kept)
            while len(value) > FLASH_BYTES and len(kept) > 1:
                kept = kept[1:]
                value = _flash_cookie(kept)
            if len(value) <= FLASH_BYTES:
                self.set_cookie(FLASH_COOKIE, value)
        return self._apply(RedirectResponse(url, status_code=303))

    def error_page(self, error: SparkadsError | PageError, status: int | None = None) -> Response:
        code = status or (error.status if isinstance(error, PageError) else error.spec.http_status)
        return self.render("error.html", status=code, error=explain(error, self.lang))

    # --- who is signed in ----------------------------------------------------------------
    def require_user(self) -> WebUser:
        if self.user is None:
            raise Redirect("/signin?next=" + quote(self._here(), safe="/"))
        return self.user

    def _require(self, allowed: Callable[[WebUser], bool], *needed: TokenScope) -> WebUser:
        """The signed-in user if `allowed(user)`; wrong_token_scope (needing `needed`) if not."""
        user = self.require_user()
        if not allowed(user):
            raise SparkadsError(
                "wrong_token_scope",
                needed=tokens_text(*needed),
                given=tokens_text(user.principal.scope),
            )
        return user

    def send_home(self, belongs: Callable[[WebUser], bool]) -> None:
        """A page of an area the signed-in user does not `belong` to (a creator or an operator on
        the Ads Manager, an advertiser or an operator on the studio) sends them to their own home
        page (`WebUser.home`), as signing in does; a form sent there is still refused with
        wrong_token_scope (by the `_require` that follows)."""
        user = self.user
        if user is not None and not belongs(user) and self.request.method in ("GET", "HEAD"):
            raise Redirect(user.home)

    def require_creator(self) -> WebUser:
        self.send_home(lambda user: user.is_creator)
        return self._require(lambda user: user.is_creator, TokenScope.CREATOR)

    def require_operator(self) -> WebUser:
        """An operator (not a reviewer): the console."""
        return self._require(
            lambda user: user.is_operator and user.principal.role is not Role.REVIEWER,
            TokenScope.OPERATOR,
        )

    def require_reviewer(self) -> WebUser:
        return self._require(lambda user: user.is_operator, TokenScope.OPERATOR)

    def require_ad_account(self) -> AdAccount:
        """The ad account the user works on; with none yet, a page sends them to the first-run
        page (web.first_account) and a form is refused."""
        self.send_home(lambda user: user.is_advertiser)
        user = self._require(
            lambda user: user.is_advertiser, TokenScope.ADVERTISER, TokenScope.BUSINESS_CENTER
        )
        if user.current is None and self.request.method in ("GET", "HEAD"):
            raise Redirect("/ads")  # the first run (web.first_account): open one, or who can
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

    @property
    def page_address(self) -> str:
        """The address of the page on screen, for links that reopen it (the language switch): a
        page answering a form (its problem shown) is the page the form was on, never the form's
        POST address, which has no page of its own."""
        if self.request.method in ("GET", "HEAD"):
            return self._here()
        sent_from = urlsplit(self.request.headers.get("referer", ""))
        if sent_from.netloc != self.request.url.netloc:
            return "/"
        return safe_next(sent_from.path + (f"?{sent_from.query}" if sent_from.query else ""))

    def sign_in(self, web_session: str) -> None:
        """Keep a web session's secret (accounts.people.open_session) in the cookie."""
        self.set_cookie(SESSION_COOKIE, web_session, SESSION_DAYS * 86_400)
        self.set_cookie(CSRF_COOKIE, secrets.token_urlsafe(24))
        self.set_cookie(ACCOUNT_COOKIE, None)

    def sign_out(self) -> None:
        """End the web session on the server (the cookie alone no longer signs anyone in)."""
        if self.user is not None:
            sign_in.sign_out(self.uow, self.context.clock, self.user.principal.token_id)
        self.forget_session()

    def forget_session(self) -> None:
        """Drop the cookies of a web session ended on the server (signed out, or the API token
        it was opened with revoked)."""
        self.set_cookie(SESSION_COOKIE, None)
        self.set_cookie(CSRF_COOKIE, secrets.token_urlsafe(24))
        self.set_cookie(ACCOUNT_COOKIE, None)


def _flash_cookie(flashes: list[dict[str, Any]]) -> str:
    return base64.urlsafe_b64encode(json.dumps(flashes).encode()).decode()


def web_context(request: Request, context: ContextDep) -> Web:
    cached = getattr(request.state, "web", None)
    if isinstance(cached, Web):
        return cached
    token = request.cookies.get(SESSION_COOKIE)
    user = load_user(context.uow, token, request.cookies.get(ACCOUNT_COOKIE), context.clock.now())
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
