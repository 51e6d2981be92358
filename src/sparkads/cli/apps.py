"""`sparkads apps create|list|disable`: developer apps that ask advertisers for access TikTok's
way (authorization page, auth_code, oauth2/access_token/)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from sparkads.cli.common import CLOCK, DbOpt, JsonOpt, emit, group, print_rows, unit_of_work_factory
from sparkads.services import oauth

apps = group(help="Developer apps (OAuth): app id, secret, redirect URIs.", no_args_is_help=True)


@apps.command("create")
def create(
    name: Annotated[str, typer.Option(help="What people see on the authorization page.")],
    redirect_uri: Annotated[
        list[str],
        typer.Option(help="Where approvals are sent back (https; http for localhost); repeat."),
    ],
    as_json: JsonOpt = False,
    database_url: DbOpt = None,
) -> None:
    """Register an app. Its secret is printed once and stored only as a digest."""
    with unit_of_work_factory(database_url) as uow:
        app = oauth.register(uow, CLOCK, name=name, redirect_uris=redirect_uri)
    emit(
        {
            "app_id": app.app_id,
            "name": app.name,
            "secret": app.secret,
            "redirect_uris": list(app.redirect_uris),
            "authorization_url": "/portal/auth?app_id=" + app.app_id,
        },
        as_json,
        "App registered (copy the secret now: it is not shown again)",
    )


@apps.command("list")
def list_apps(as_json: JsonOpt = False, database_url: DbOpt = None) -> None:
    """Registered apps (never their secrets)."""
    with unit_of_work_factory(database_url) as uow:
        found = oauth.registered(uow)
    rows = [
        {
            "app_id": a.app_id,
            "name": a.name,
            "redirect_uris": list(a.redirect_uris),
            "disabled": a.disabled,
        }
        for a in found
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    print_rows(
        "Developer apps",
        ("app_id", "name", "redirect URIs", "disabled"),
        [
            (a.app_id, a.name, "\n".join(a.redirect_uris), "yes" if a.disabled else "no")
            for a in found
        ],
        none="No developer apps yet: register one with "
        "`sparkads apps create --name NAME --redirect-uri URL`.",
    )


@apps.command("disable")
def disable(
    app_id: Annotated[str, typer.Argument(help="The app's id.")],
    as_json: JsonOpt = False,
    database_url: DbOpt = None,
) -> None:
    """Stop an app: no new authorizations, and every token it obtained is revoked."""
    with unit_of_work_factory(database_url) as uow:
        revoked = oauth.disable(uow, CLOCK, app_id)
    emit({"app_id": app_id, "tokens_revoked": revoked}, as_json, "App disabled")
