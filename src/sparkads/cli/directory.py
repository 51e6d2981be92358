"""`sparkads advertisers|business-centers|creators|users list`, `sparkads operators|feeds|tokens
list|revoke`: what a deployment holds, and revoking a leaked token, through services.directory.
Revocations ask first (`--yes` skips) and the audit log records them as the CLI's user's."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Annotated

import typer
from rich.table import Column

from sparkads.accounts.models import TokenScope
from sparkads.cli import accounts, people
from sparkads.cli.common import (
    CLOCK,
    DbOpt,
    JsonOpt,
    cli_units,
    emit,
    id_column,
    print_json,
    print_rows,
)
from sparkads.services import directory

YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
RevokedOpt = Annotated[bool, typer.Option("--revoked", help="Include revoked tokens.")]


def _day(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d") if moment else "—"


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _list_tokens(
    scope: TokenScope | None, revoked: bool, as_json: bool, database_url: str | None, *, none: str
) -> None:
    with cli_units(database_url) as uow:
        rows = directory.api_tokens(uow, scope=scope, revoked=revoked)
    if as_json:
        print_json(
            [
                {**t.__dict__, "created_at": _when(t.created_at), "expires_at": _when(t.expires_at),
                 "revoked_at": _when(t.revoked_at)}
                for t in rows
            ]
        )  # fmt: skip
        return
    fields: dict[str, Callable[[directory.TokenRow], str]] = {
        "token_id": lambda t: t.token_id,
        "scope": lambda t: t.scope,
        "account": lambda t: t.subject_id,
        "name": lambda t: t.name,
        "role": lambda t: t.role,
        "created": lambda t: _day(t.created_at),
        "expires": lambda t: _day(t.expires_at),
        "revoked": lambda t: _day(t.revoked_at),
    }
    # a column that would say the same on every row is left out (the ids need the width)
    dropped = {
        "scope": scope is not None,
        "role": scope is TokenScope.FEED,
        "expires": not any(t.expires_at for t in rows),
        "revoked": not revoked,
    }
    names = [name for name in fields if not dropped.get(name)]
    # the token's and the account's ids are never cut: they are pasted into `revoke`
    ids = {"token_id": [t.token_id for t in rows], "account": [t.subject_id for t in rows]}
    print_rows(
        {None: "API tokens", TokenScope.FEED: "Feed tokens"}.get(scope, "Operator tokens"),
        [id_column(name, ids[name]) if name in ids else name for name in names],
        [tuple(fields[name](t) for name in names) for t in rows],
        none=none,
    )


def _revoke(
    token_id: str, scope: TokenScope | None, yes: bool, as_json: bool, database_url: str | None
) -> None:
    with cli_units(database_url) as uow:
        found = directory.find_token(uow, token_id, scope=scope)
        if not yes:
            typer.confirm(
                f"Revoke {found.scope} token {found.token_id} ({found.name!r}, account "
                f"{found.subject_id})? Requests with it are refused at once",
                abort=True,
            )
        row = directory.revoke(uow, CLOCK, token_id, scope=scope)
    emit(
        {"token_id": row.token_id, "scope": row.scope, "account": row.subject_id,
         "name": row.name, "revoked": True},
        as_json,
        "Token revoked",
    )  # fmt: skip


@people.tokens.command("list")
def list_tokens(
    scope: Annotated[TokenScope | None, typer.Option(help="Only this kind of account.")] = None,
    revoked: RevokedOpt = False,
    as_json: JsonOpt = False,
    database_url: DbOpt = None,
) -> None:
    """Named API tokens of every account (never their secrets, never web sessions)."""
    _list_tokens(
        scope, revoked, as_json, database_url,
        none="No API tokens yet: issue one with `sparkads tokens create`.",
    )  # fmt: skip


@people.tokens.command("revoke")
def revoke_token(
    token_id: Annotated[str, typer.Argument(help="The token's id (`sparkads tokens list`).")],
    yes: YesOpt = False,
    as_json: JsonOpt = False,
    database_url: DbOpt = None,
) -> None:
    """Revoke a named API token and the web sessions opened with it."""
    _revoke(token_id, None, yes, as_json, database_url)


def _commands_of(group: typer.Typer, scope: TokenScope, kind: str, revoking: str) -> None:
    """`list` and `revoke` of one kind of token (`sparkads feeds list`, `… revoke TOKEN_ID`)."""
    name = f"{scope.value}s"

    @group.command("list", help=f"{kind} tokens (never their secrets).")
    def list_kind(
        revoked: RevokedOpt = False, as_json: JsonOpt = False, database_url: DbOpt = None
    ) -> None:
        none = f"No {kind.lower()} tokens yet: issue one with `sparkads {name} create`."
        _list_tokens(scope, revoked, as_json, database_url, none=none)

    @group.command("revoke", help=revoking)
    def revoke_kind(
        # typer's older style: an annotation cannot name this function's locals
        token_id: str = typer.Argument(help=f"The token's id (`sparkads {name} list`)."),
        yes: YesOpt = False,
        as_json: JsonOpt = False,
        database_url: DbOpt = None,
    ) -> None:
        _revoke(token_id, scope, yes, as_json, database_url)


_commands_of(
    accounts.feeds,
    TokenScope.FEED,
    "Feed",
    "Revoke a feed token: the app's decisions and events are refused from then on.",
)
_commands_of(
    accounts.operators,
    TokenScope.OPERATOR,
    "Operator",
    "Revoke an operator's or reviewer's token.",
)


def _accounts(database_url: str | None) -> directory.Accounts:
    with cli_units(database_url) as uow:
        return directory.accounts(uow)


@accounts.advertisers.command("list")
def list_advertisers(as_json: JsonOpt = False, database_url: DbOpt = None) -> None:
    """Every ad account."""
    rows = [
        {"advertiser_id": a.advertiser_id, "name": a.name, "currency": a.currency,
         "timezone": a.timezone, "bc_id": a.bc_id}
        for a in _accounts(database_url).advertisers
    ]  # fmt: skip
    _print_accounts("Ad accounts", rows, as_json, ("advertiser_id", "bc_id"), "advertisers")


@accounts.business_centers.command("list")
def list_business_centers(as_json: JsonOpt = False, database_url: DbOpt = None) -> None:
    """Every Business Center."""
    rows = [
        {"bc_id": b.bc_id, "name": b.name, "company": b.company, "currency": b.currency}
        for b in _accounts(database_url).business_centers
    ]
    _print_accounts("Business Centers", rows, as_json, ("bc_id",), "business-centers")


@accounts.creators.command("list")
def list_creators(as_json: JsonOpt = False, database_url: DbOpt = None) -> None:
    """Every creator account."""
    rows = [
        {"creator_id": c.creator_id, "handle": c.handle, "display_name": c.display_name,
         "country": c.country, "followers": c.followers}
        for c in _accounts(database_url).creators
    ]  # fmt: skip
    _print_accounts("Creator accounts", rows, as_json, ("creator_id",), "creators")


@people.users.command("list")
def list_users(as_json: JsonOpt = False, database_url: DbOpt = None) -> None:
    """Every person who signs in with a password, and what they act as."""
    with cli_units(database_url) as uow:
        found = directory.people(uow)
    rows = [
        {"user_id": p.user_id, "email": p.email, "created_at": p.created_at.isoformat(),
         "memberships": p.memberships, "disabled_at": _when(p.disabled_at)}
        for p in found
    ]  # fmt: skip
    if as_json:
        print_json(rows)
        return
    print_rows(
        "People",
        (id_column("user_id", [p.user_id for p in found]), "email", "acts as"),
        [(p.user_id, _disabled(p) + p.email, "\n".join(p.memberships)) for p in found],
        none="No people yet: add one with `sparkads users create`.",
    )


NONE_YET = {
    "advertisers": "ad accounts",
    "business-centers": "Business Centers",
    "creators": "creator accounts",
}


def _print_accounts(
    title: str,
    rows: Sequence[Mapping[str, object]],
    as_json: bool,
    ids: tuple[str, ...],
    group: str,
) -> None:
    if as_json:
        print_json(rows)
        return
    names = list(rows[0]) if rows else list(ids)
    columns: list[str | Column] = [
        id_column(n, [str(r[n] or "") for r in rows]) if n in ids else n for n in names
    ]
    print_rows(
        title,
        columns,
        [tuple("" if r[n] is None else str(r[n]) for n in names) for r in rows],
        none=f"No {NONE_YET[group]} yet: create one with `sparkads {group} create`.",
    )


def _disabled(person: directory.PersonRow) -> str:
    return f"(disabled {_day(person.disabled_at)}) " if person.disabled_at else ""


EmailOpt = Annotated[str, typer.Option(help="The person's sign-in email.")]


@people.users.command("disable")
def disable_user(
    email: EmailOpt, yes: YesOpt = False, as_json: JsonOpt = False, database_url: DbOpt = None
) -> None:
    """Refuse a person's sign-in, and revoke their web sessions and the API tokens they made."""
    if not yes:
        typer.confirm(
            f"Disable {email}? Their sessions and the API tokens they made are revoked", abort=True
        )
    with cli_units(database_url) as uow:
        person = directory.set_disabled(uow, CLOCK, email, disabled=True)
    emit({"user_id": person.user_id, "email": person.email, "disabled": True}, as_json, "Disabled")


@people.users.command("enable")
def enable_user(email: EmailOpt, as_json: JsonOpt = False, database_url: DbOpt = None) -> None:
    """Let a disabled person sign in again (their revoked tokens stay revoked)."""
    with cli_units(database_url) as uow:
        person = directory.set_disabled(uow, CLOCK, email, disabled=False)
    emit({"user_id": person.user_id, "email": person.email, "disabled": False}, as_json, "Enabled")
