"""Signing in and out (a pasted token, or a demo account in the sandbox), the language switch, the
ad account switch of Business Center users, and the home page that sends each user to their app."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response
from sqlalchemy import select

from sparkads.accounts.models import (
    Advertiser,
    BusinessCenter,
    Creator,
    DemoAccount,
    Role,
    TokenScope,
)
from sparkads.accounts.people import (
    SESSION_LIFETIME,
    PasswordSignIn,
    complete_reset,
    memberships_of,
    normalize_email,
    open_session,
    sender_from,
    start_reset,
)
from sparkads.accounts.service import is_demo, issue_token, resolve_token
from sparkads.api.context import client_address
from sparkads.clock import Clock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.errors import LANGUAGES, SparkadsError
from sparkads.web.forms import Form, FormDep
from sparkads.web.i18n import LANG_COOKIE, N_
from sparkads.web.problems import PageError, explain, safe_next
from sparkads.web.routing import back_to, shows_errors_on, web_router
from sparkads.web.session import ACCOUNT_COOKIE, Web, WebDep
from sparkads.web.users import WEB_SCOPES

router = web_router()
PASSWORDS = PasswordSignIn()
DEMO_LIMIT = 60
DEMO_SCOPES = {
    "creator": (TokenScope.CREATOR, Creator),
    "advertiser": (TokenScope.ADVERTISER, Advertiser),
    "business_center": (TokenScope.BUSINESS_CENTER, BusinessCenter),
}


def home_of(web: WebDep) -> str:
    if web.user is None:
        return "/signin"
    if web.user.is_operator:
        return "/review" if web.user.principal.role is Role.REVIEWER else "/console"
    return "/studio" if web.user.is_creator else "/ads"


@router.get("/")
def home(web: WebDep) -> Response:
    return web.redirect(home_of(web))


def _demo_accounts(web: WebDep) -> dict[str, object]:
    """The seeded demo accounts (never any other: ids of real accounts are not secrets)."""
    if not web.sandbox:
        return {}

    def demo(model: Any, key: Any, scope: TokenScope, *order: Any) -> list[Any]:
        joined = DemoAccount.kind == scope.value, DemoAccount.subject_id == key
        query = select(model).join(DemoAccount, joined[0] & joined[1]).order_by(*order)
        return list(uow.session.scalars(query.limit(DEMO_LIMIT)).all())

    with web.uow() as uow:
        return {
            "creators": demo(
                Creator, Creator.creator_id, TokenScope.CREATOR, Creator.created_at, Creator.handle
            ),
            "advertisers": demo(
                Advertiser,
                Advertiser.advertiser_id,
                TokenScope.ADVERTISER,
                Advertiser.created_at,
                Advertiser.name,
            ),
            "business_centers": demo(
                BusinessCenter,
                BusinessCenter.bc_id,
                TokenScope.BUSINESS_CENTER,
                BusinessCenter.created_at,
            ),
        }


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


def _web_session(
    uow: UnitOfWork, clock: Clock, label: str, scope: TokenScope, subject_id: str,
    role: Role = Role.ADMIN,
) -> str:  # fmt: skip
    """A web session's secret for an account, committed."""
    secret = issue_token(
        uow.session, clock, scope=scope, subject_id=subject_id, label=label, role=role,
        expires_at=clock.now() + SESSION_LIFETIME, web_session=True,
    )  # fmt: skip
    uow.commit()
    return secret


def _signed_in(web: Web, form: Form, session_secret: str, message: str) -> Response:
    web.sign_in(session_secret)
    web.flash(message)
    return web.redirect(safe_next(form.get("next"), "/"))


@router.post("/signin")
@shows_errors_on(signin_with_error)
def signin_submit(web: WebDep, form: FormDep) -> Response:
    """A pasted API token opens a web session of the same account and role; the cookie holds the
    session's own secret, never the token."""
    token = form.get("token")
    clock = web.context.clock
    with web.uow() as uow:
        with web.context.throttles.guard("sign-in", address=client_address(web.request)):
            principal = resolve_token(uow.session, token, clock.now())
        if principal.scope not in WEB_SCOPES:
            raise SparkadsError(
                "wrong_token_scope",
                needed="advertiser, business_center, creator or operator",
                given=principal.scope.value,
            )
        session_secret = _web_session(
            uow, clock, "web session (token)", principal.scope, principal.subject_id,
            principal.role,
        )  # fmt: skip
    return _signed_in(web, form, session_secret, N_("You are signed in."))


@router.post("/signin/password")
@shows_errors_on(signin_with_error)
def signin_password(web: WebDep, form: FormDep) -> Response:
    """Email and password (the provider seam: accounts.people.SignInProvider), throttled per
    account and per address; the person acts through their first membership."""
    email = normalize_email(form.get("email"))
    address = client_address(web.request)
    clock = web.context.clock
    with web.uow() as uow:
        with web.context.throttles.guard("sign-in", account=email, address=address):
            user = PASSWORDS.authenticate(
                uow.session,
                clock,
                {"email": email, "password": form.raw("password")},
            )
        memberships = memberships_of(uow.session, user.user_id)
        if not memberships:
            raise SparkadsError("no_permission", what="any account yet")
        session_secret = open_session(uow.session, clock, user, memberships[0])
        uow.commit()
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
    scope, model = DEMO_SCOPES[kind]
    clock = web.context.clock
    with web.uow() as uow:
        if uow.session.get(model, account_id) is None or not is_demo(
            uow.session, scope=scope, subject_id=account_id
        ):
            raise SparkadsError("not_a_demo_account", account=chosen)
        session_secret = _web_session(uow, clock, "web session (demo)", scope, account_id)
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
    sender = sender_from(web.context.settings.reset_sender)
    with web.uow() as uow:
        start_reset(
            uow.session,
            web.context.clock,
            sender,
            email=email,
            base_url=web.context.settings.public_base_url,
        )
        uow.commit()
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
    with web.uow() as uow:
        complete_reset(
            uow.session,
            web.context.clock,
            secret=form.get("token"),
            new_password=form.raw("password"),
        )
        uow.commit()
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
