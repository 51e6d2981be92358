"""Signing in and out (a pasted token, or a demo account in the sandbox), the language switch, the
ad account switch of Business Center users, and the home page that sends each user to their app."""

from __future__ import annotations

from fastapi.responses import Response

from sparkads.accounts.models import TokenScope
from sparkads.api.context import client_address
from sparkads.errors import LANGUAGES, SparkadsError
from sparkads.services import sign_in
from sparkads.services.sign_in import normalize_email
from sparkads.web.forms import Form, FormDep
from sparkads.web.i18n import LANG_COOKIE, N_
from sparkads.web.problems import PageError, explain, safe_next
from sparkads.web.routing import back_to, shows_errors_on, web_router
from sparkads.web.session import ACCOUNT_COOKIE, Web, WebDep

router = web_router()
DEMO_SCOPES = {
    "creator": TokenScope.CREATOR,
    "advertiser": TokenScope.ADVERTISER,
    "business_center": TokenScope.BUSINESS_CENTER,
}


@router.get("/")
def home(web: WebDep) -> Response:
    return web.redirect(web.user.home if web.user else "/signin")


def _demo_accounts(web: WebDep) -> sign_in.DemoAccounts | dict[str, object]:
    """The seeded demo accounts (never any other: ids of real accounts are not secrets)."""
    return sign_in.demo_accounts(web.uow) if web.sandbox else {}


def signin_page(
    web: WebDep, next_url: str, error: SparkadsError | PageError | None = None
) -> Response:
    return web.render(
        "signin.html",
        status=400 if error else 200,
        next=safe_next(next_url, ""),
        demo=_demo_accounts(web),
        error=explain(error, web.lang) if error else None,
    )


@router.get("/signin")
def signin(web: WebDep, next: str = "") -> Response:
    return signin_page(web, next)


def signin_with_error(web: Web, error: SparkadsError, form: Form) -> Response:
    return signin_page(web, form.get("next"), error)


def _signed_in(web: Web, form: Form, session_secret: str, message: str) -> Response:
    web.sign_in(session_secret)
    web.flash(message)
    return web.redirect(safe_next(form.get("next"), "/"))


@router.post("/signin")
@shows_errors_on(signin_with_error)
def signin_submit(web: WebDep, form: FormDep) -> Response:
    """A pasted API token opens a web session of the same account and role; the cookie holds the
    session's own secret, never the token."""
    throttles, address = web.context.throttles, client_address(web.request)
    throttles.check("sign-in", address=address)
    session_secret = sign_in.with_token(
        web.uow,
        web.context.clock,
        form.get("token"),
        refused=lambda: throttles.fail("sign-in", address=address),
    )
    return _signed_in(web, form, session_secret, N_("You are signed in."))


@router.post("/signin/password")
@shows_errors_on(signin_with_error)
def signin_password(web: WebDep, form: FormDep) -> Response:
    """Email and password (the provider seam: accounts.people.SignInProvider), throttled per
    account and per address; the person acts through their first membership."""
    email = normalize_email(form.get("email"))
    throttles, address = web.context.throttles, client_address(web.request)
    throttles.check("sign-in", account=email, address=address)
    session_secret = sign_in.with_password(
        web.uow,
        web.context.clock,
        email=email,
        password=form.raw("password"),
        refused=lambda: throttles.fail("sign-in", account=email, address=address),
    )
    return _signed_in(web, form, session_secret, N_("You are signed in."))


@router.post("/signin/demo")
def signin_demo(web: WebDep, form: FormDep) -> Response:
    """Sandbox only: a web session of a demo account (seeded by `sparkads demo`), no token."""
    if not web.sandbox:
        raise SparkadsError("sandbox_only")
    chosen = form.get("account") or f"{form.get('kind')}:{form.get('account_id')}"
    kind, _, account_id = chosen.partition(":")
    if kind not in DEMO_SCOPES:
        raise SparkadsError("invalid_parameter", field="account", detail=N_("choose an account"))
    session_secret = sign_in.as_demo(
        web.uow, web.context.clock, scope=DEMO_SCOPES[kind], account_id=account_id, chosen=chosen
    )
    return _signed_in(web, form, session_secret, N_("You are signed in with a demo account."))


@router.post("/signout")
def signout(web: WebDep, form: FormDep) -> Response:
    web.sign_out()
    web.flash(N_("You are signed out."), "info")
    return web.redirect("/signin")


@router.get("/password/forgot")
def password_forgot(web: WebDep) -> Response:
    return web.render("password_forgot.html")


@router.post("/password/forgot")
@shows_errors_on(back_to("/password/forgot"))  # too many requests, said on the form's page
def password_forgot_submit(web: WebDep, form: FormDep) -> Response:
    """Send a one-time link if the email has an account; the answer is the same either way."""
    email = normalize_email(form.get("email"))
    throttles, address = web.context.throttles, client_address(web.request)
    throttles.check("sign-in", account=email, address=address)
    throttles.fail("sign-in", account=email, address=address)  # each request counts
    sign_in.start_reset(
        web.uow,
        web.context.clock,
        sender=web.context.settings.reset_sender,
        email=email,
        base_url=web.context.settings.public_base_url,
    )
    web.flash(N_("If an account has this email, a link to choose a new password is on its way."))
    return web.redirect("/signin")


def reset_page(web: Web, token: str, error: SparkadsError | None = None) -> Response:
    return web.render(
        "password_reset.html",
        status=400 if error else 200,
        token=token,
        error=explain(error, web.lang) if error else None,
    )


def reset_with_error(web: Web, error: SparkadsError, form: Form) -> Response:
    return reset_page(web, form.get("token"), error)


@router.get("/password/reset")
def password_reset(web: WebDep, token: str = "") -> Response:
    return reset_page(web, token)


@router.post("/password/reset")
@shows_errors_on(reset_with_error)
def password_reset_submit(web: WebDep, form: FormDep) -> Response:
    """A new password from a one-time link: every web session of the account ends."""
    sign_in.complete_reset(
        web.uow,
        web.context.clock,
        secret=form.get("token"),
        new_password=form.raw("password"),
    )
    web.flash(N_("Your password is changed. Sign in with it."))
    return web.redirect("/signin")


@router.get("/lang/{lang}")
def switch_language(lang: str, web: WebDep, next: str = "/") -> Response:
    if lang in LANGUAGES:
        web.set_cookie(LANG_COOKIE, lang, 365 * 86_400)
    return web.redirect(safe_next(next))


@router.get("/ads/account")
def switch_account(web: WebDep, advertiser_id: str = "", next: str = "/ads") -> Response:
    user = web.require_user()
    if any(a.advertiser_id == advertiser_id for a in user.accounts):
        web.set_cookie(ACCOUNT_COOKIE, advertiser_id, 30 * 86_400)
    return web.redirect(safe_next(next, "/ads"))
