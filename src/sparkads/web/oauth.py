"""The authorization page of developer apps (TikTok's /portal/auth): a person signed in with
their password picks the ad accounts an app may use and approves; the browser goes back to the
app's registered redirect URI with `auth_code` and `state` (or `error=access_denied`)."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi.responses import Response

from sparkads.api.security_headers import CSP
from sparkads.errors import SparkadsError
from sparkads.services import oauth
from sparkads.web.forms import Form, FormDep
from sparkads.web.problems import explain
from sparkads.web.routing import shows_errors_on, web_router
from sparkads.web.session import Web, WebDep

router = web_router()
MAX_STATE = 500


def _person(web: Web) -> str:
    user = web.require_user()
    if user.principal.user_id is None:
        raise SparkadsError("oauth_person_required")
    return user.principal.user_id


def _page(
    web: Web,
    *,
    app_id: str,
    redirect_uri: str,
    state: str,
    chosen: list[str] | None = None,
    error: SparkadsError | None = None,
) -> Response:
    found = oauth.request(
        web.context.uow, app_id=app_id, redirect_uri=redirect_uri, user_id=_person(web)
    )
    response = web.render(
        "oauth_authorize.html",
        status=400 if error else 200,
        request=found,
        state=state[:MAX_STATE],
        host=urlsplit(found.redirect_uri).netloc,
        chosen=set(chosen or ()),
        error=explain(error, web.lang) if error else None,
    )
    # the approval leaves this site for the app: the form may go to its origin and nowhere else
    target = urlsplit(found.redirect_uri)
    origin = f"{target.scheme}://{target.netloc}"
    response.headers["content-security-policy"] = CSP.replace(
        "form-action 'self'", f"form-action 'self' {origin}"
    )
    return response


@router.get("/portal/auth")
def authorize_page(
    web: WebDep, app_id: str = "", redirect_uri: str = "", state: str = ""
) -> Response:
    return _page(web, app_id=app_id, redirect_uri=redirect_uri, state=state)


# Refusals a person can correct on the page (choose other accounts); any other is the app's.
CORRECTABLE = ("invalid_parameter", "no_permission", "oauth_one_business_center")


def authorize_with_error(web: Web, error: SparkadsError, form: Form) -> Response:
    if error.code not in CORRECTABLE:
        raise error
    return _page(
        web,
        app_id=form.get("app_id"),
        redirect_uri=form.get("redirect_uri"),
        state=form.get("state"),
        chosen=form.getlist("advertiser_id"),
        error=error,
    )


@router.post("/portal/auth")
@shows_errors_on(authorize_with_error)
def authorize(web: WebDep, form: FormDep) -> Response:
    app_id, redirect_uri = form.get("app_id"), form.get("redirect_uri")
    state = form.get("state")[:MAX_STATE]
    user_id = _person(web)
    if form.get("decision") == "deny":
        return web.redirect(
            oauth.deny(web.context.uow, app_id=app_id, redirect_uri=redirect_uri, state=state)
        )
    target = oauth.approve(
        web.uow,
        web.context.clock,
        app_id=app_id,
        redirect_uri=redirect_uri,
        user_id=user_id,
        advertiser_ids=form.getlist("advertiser_id"),
        state=state,
    )
    return web.redirect(target)
