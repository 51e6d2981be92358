"""`sparkads users create` (the first admin of a Business Center, or any member) and
`sparkads tokens create|revoke` (named API tokens with a role and an expiry)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer

from sparkads.accounts.models import Role, TokenScope
from sparkads.cli.common import CLOCK, DbOpt, JsonOpt, cli_units, emit, group
from sparkads.services import accounts

users = group(help="People who sign in with an email and a password.", no_args_is_help=True)
tokens = group(help="Named API tokens: role, expiry, revocation.", no_args_is_help=True)


@users.command("create")
def create_user(
    email: Annotated[str, typer.Option(help="Sign-in email.")],
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            envvar="SPARKADS_NEW_PASSWORD",
            help="At least 12 characters (prompted; or SPARKADS_NEW_PASSWORD).",
        ),
    ],
    bc_id: Annotated[str | None, typer.Option(help="Business Center they belong to.")] = None,
    creator_id: Annotated[str | None, typer.Option(help="Creator account they own.")] = None,
    role: Annotated[Role, typer.Option(help="admin, operator or analyst.")] = Role.ADMIN,
    advertiser_id: Annotated[
        list[str] | None,
        typer.Option(help="Only these ad accounts of the Business Center (repeat); default all."),
    ] = None,
    as_json: JsonOpt = False,
    database_url: DbOpt = None,
) -> None:
    """Create a person and their membership (bootstraps a Business Center's first admin)."""
    if (bc_id is None) == (creator_id is None):
        raise typer.BadParameter("give exactly one of --bc-id or --creator-id")
    with cli_units(database_url) as uow:
        user, membership = accounts.create_person(
            uow,
            CLOCK,
            email=email,
            password=password,
            scope=TokenScope.BUSINESS_CENTER if bc_id else TokenScope.CREATOR,
            subject_id=bc_id or creator_id or "",
            role=role,
            advertiser_ids=tuple(advertiser_id or ()),
        )
    emit(
        {
            "user_id": user.user_id,
            "email": user.email,
            "scope": membership.scope,
            "subject_id": membership.subject_id,
            "role": membership.role,
        },
        as_json,
        "User created",
    )


@tokens.command("create")
def create_token(
    scope: Annotated[TokenScope, typer.Option(help="Kind of account.")],
    subject_id: Annotated[str, typer.Option(help="The account's id.")],
    name: Annotated[str, typer.Option(help="What the token is for.")],
    role: Annotated[Role, typer.Option(help="admin, operator or analyst.")] = Role.ADMIN,
    days: Annotated[int | None, typer.Option(help="Expires after so many days.")] = None,
    as_json: JsonOpt = False,
    database_url: DbOpt = None,
) -> None:
    """Issue a named API token with a role (analyst: read only) and an optional expiry."""
    expires = CLOCK.now() + timedelta(days=days) if days else None
    with cli_units(database_url) as uow:
        secret = accounts.issue_api_token(
            uow, CLOCK, scope=scope, subject_id=subject_id, name=name, role=role, expires_at=expires
        )
    emit(
        {
            "name": name,
            "role": role.value,
            "expires_at": expires.isoformat() if expires else None,
            "access_token": secret,
        },
        as_json,
        "Token",
    )


keys_app = group(help="Signing and sealing keys, kept outside the database.")


@keys_app.command("rotate")
def rotate_key(
    purpose: Annotated[str, typer.Argument(help="decision_tokens or sealing.")],
    keys_file: Annotated[
        str, typer.Option(envvar="SPARKADS_KEYS_FILE", help="The key file.")
    ] = "var/keys.json",
    drop_older: Annotated[
        bool, typer.Option(help="Forget older keys (what they signed stops verifying).")
    ] = False,
) -> None:
    """Make a new current key; older ones keep verifying until dropped. Restart the servers."""
    from sparkads import keys

    try:
        kid = keys.rotate(keys_file, purpose, drop_older=drop_older)
    except keys.KeyFileError as error:
        raise typer.BadParameter(str(error)) from None
    typer.echo(f"{purpose}: new current key {kid} in {keys_file}")
