"""Ads Manager → API tokens: the named tokens of the signed-in account (role, expiry, last
revocation), created and revoked here by an admin; the secret of a new token is shown once. Tokens
developer apps obtained through the authorization page are listed with the app's name and the ad
accounts approved, and revoked the same way. The token the reader's session was opened with is
marked, its revocation confirmed as the end of the session: revoked, it signs the reader out (to
the sign-in page, saying why)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from fastapi.responses import Response

from sparkads.accounts.models import Role
from sparkads.accounts.principal import require_role
from sparkads.errors import SparkadsError
from sparkads.i18n import LocalText
from sparkads.services import accounts
from sparkads.web.forms import Form, FormDep, whole_number
from sparkads.web.history_words import ROLES
from sparkads.web.i18n import N_
from sparkads.web.problems import explain
from sparkads.web.routing import back_to, shows_errors_on, web_router
from sparkads.web.session import Web, WebDep

router = web_router()
MAX_DAYS = 3650


def _page(
    web: Web,
    status: int = 200,
    error: SparkadsError | None = None,
    secret: str = "",
    typed: Mapping[str, str] | None = None,
) -> Response:
    listed = accounts.api_tokens(web.uow, web.require_user().principal)
    return web.render(
        "tokens.html",
        status=status,
        section="tokens",
        tokens=listed.tokens,
        apps=listed.apps,
        roles=[role.value for role in Role],
        role_names=ROLES,  # each role in words (msgids), its code on hover
        secret=secret,
        error=explain(error, web.lang) if error else None,
        typed=typed or {},
    )


def refused_token(web: Web, error: SparkadsError, form: Form) -> Response:
    """The page again with the problem, the form filled in as it was sent."""
    typed = {key: form.get(key) for key in ("name", "role", "days")}
    return _page(web, 400 if error.spec.http_status == 400 else 403, error, typed=typed)


@router.get("/tokens")
def tokens_page(web: WebDep) -> Response:
    secret = web.revealed().get("secret")  # the token just created, shown once
    return _page(web, secret=secret if isinstance(secret, str) else "")


@router.post("/tokens")
@shows_errors_on(refused_token)
def create_token(web: WebDep, form: FormDep) -> Response:
    user = web.require_user()
    require_role(user.principal, Role.ADMIN)
    name = form.get("name")
    if not 1 <= len(name) <= 100:
        raise SparkadsError(
            "invalid_parameter", field=LocalText(N_("Name")), detail=N_("1 to 100 characters")
        )
    role = form.get("role", Role.ANALYST.value)
    if role not in {r.value for r in Role}:
        raise SparkadsError(
            "invalid_parameter",
            field=LocalText(N_("Role")),
            detail=N_("admin, operator or analyst"),
        )
    days_text = form.get("days")
    days = whole_number(days_text)
    if days_text and (days is None or not 1 <= days <= MAX_DAYS):
        raise SparkadsError(
            "invalid_parameter",
            field=LocalText(N_("Expires after (days, empty: never)")),
            detail=LocalText(N_("a whole number from 1 to {most}"), {"most": MAX_DAYS}),
        )
    clock = web.context.clock
    secret = accounts.create_api_token(
        web.uow, clock, user.principal, name=name, role=Role(role),
        expires_at=clock.now() + timedelta(days=days) if days else None,
    )  # fmt: skip
    web.reveal_next("/tokens", secret=secret)
    return web.redirect("/tokens")  # POST-redirect-GET: a reload creates no second token


@router.post("/tokens/{token_id}/revoke")
@shows_errors_on(back_to("/tokens"))  # the refusal is shown on the page
def revoke(token_id: str, web: WebDep, form: FormDep) -> Response:
    user = web.require_user()
    accounts.revoke_api_token(web.uow, web.context.clock, user.principal, token_id)
    web.context.principals.forget(token_id)
    if token_id == user.signed_in_with:  # this session was opened with it: it ended with it
        web.forget_session()
        web.flash(
            N_(
                "You are signed out: the token you signed in with is revoked. "
                "Sign in with another token."
            ),
            "info",
        )
        return web.redirect("/signin")
    web.flash(N_("The token is revoked."))
    return web.redirect("/tokens")
