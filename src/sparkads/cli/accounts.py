"""`sparkads advertisers|business-centers|creators|operators create`: bootstrap accounts and tokens."""

from __future__ import annotations

from typing import Annotated, ParamSpec, TypeVar

import typer

from sparkads.accounts.models import Role, TokenScope
from sparkads.cli.common import CLOCK, DbOpt, JsonOpt, cli_units, emit, fail
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.services import accounts

advertisers = typer.Typer(help="Ad accounts.", no_args_is_help=True)
business_centers = typer.Typer(help="Business Centers (agencies, brands).", no_args_is_help=True)
creators = typer.Typer(help="Creator accounts.", no_args_is_help=True)
operators = typer.Typer(help="Operator tokens (policy takedowns).", no_args_is_help=True)
feeds = typer.Typer(
    help="Feed tokens: apps that ask for sponsored posts and report events.", no_args_is_help=True
)

T = TypeVar("T")
P = ParamSpec("P")

DemoOpt = Annotated[
    bool,
    typer.Option(
        "--demo", help="A demo account: anyone can sign in as it, without a token, on a sandbox."
    ),
]


def _open(
    opens: accounts.Opens[P, T],
    demo: bool,
    database_url: str | None,
    *args: P.args,
    **fields: P.kwargs,
) -> accounts.Created[T]:
    """Open an account with its first token (a demo account with `--demo`), in the CLI's units."""
    with cli_units(database_url) as uow:
        return opens(uow, CLOCK, accounts.Opening(demo=demo), *args, **fields)


@advertisers.command("create")
def create_advertiser(
    name: Annotated[str, typer.Option(help="Ad account name.")],
    currency: Annotated[str, typer.Option(help="ISO 4217 code, e.g. EUR.")] = "EUR",
    timezone: Annotated[
        str, typer.Option(help="IANA timezone, e.g. Europe/Paris.")
    ] = "Europe/Paris",
    bc_id: Annotated[str | None, typer.Option(help="Business Center that owns it.")] = None,
    demo: DemoOpt = False,
    as_json: JsonOpt = False,
    database_url: DbOpt = None,
) -> None:
    """Create an ad account and print its id and access token."""
    adv, token = _open(
        accounts.create_advertiser,
        demo,
        database_url,
        name=name,
        currency=currency,
        timezone=timezone,
        bc_id=bc_id,
    )
    emit(
        {
            "advertiser_id": adv.advertiser_id,
            "name": adv.name,
            "currency": adv.currency,
            "timezone": adv.timezone,
            "bc_id": adv.bc_id,
            "access_token": token,
        },
        as_json,
        "Advertiser created",
    )


@business_centers.command("create")
def create_business_center(
    name: Annotated[str, typer.Option(help="Business Center name.")],
    currency: str = "EUR",
    timezone: str = "Europe/Paris",
    company: str = "",
    demo: DemoOpt = False,
    as_json: JsonOpt = False,
    database_url: DbOpt = None,
) -> None:
    """Create a Business Center and print its id and access token."""
    bc, token = _open(
        accounts.create_business_center,
        demo,
        database_url,
        name=name,
        currency=currency,
        timezone=timezone,
        company=company,
    )
    emit(
        {"bc_id": bc.bc_id, "name": bc.name, "access_token": token},
        as_json,
        "Business Center created",
    )


@creators.command("create")
def create_creator(
    handle: Annotated[str, typer.Option(help="Unique handle, without @.")],
    display_name: str = "",
    country: str = "",
    sector: str = "",
    followers: int = 0,
    demo: DemoOpt = False,
    as_json: JsonOpt = False,
    database_url: DbOpt = None,
) -> None:
    """Create a creator account and print its id and access token."""
    creator, token = _open(
        accounts.create_creator,
        demo,
        database_url,
        handle=handle,
        display_name=display_name,
        country=country,
        sector=sector,
        followers=followers,
    )
    emit(
        {"creator_id": creator.creator_id, "handle": creator.handle, "access_token": token},
        as_json,
        "Creator created",
    )


@operators.command("create")
def create_operator(
    name: Annotated[str, typer.Option(help="Who holds it.")] = "operator",
    role: Annotated[
        str,
        typer.Option(help="operator (reviews ads, takes posts down) or reviewer (reviews ads)."),
    ] = "operator",
    as_json: JsonOpt = False,
    database_url: DbOpt = None,
) -> None:
    """Issue an operator token: operators review ads and take posts down for policy reasons;
    reviewers only review ads and appeals."""
    if role not in (Role.OPERATOR.value, Role.REVIEWER.value):
        fail(
            SparkadsError(
                "invalid_parameter", field="role", detail=LocalText(N_("operator or reviewer"))
            )
        )
    with cli_units(database_url) as uow:
        operator_id, token = accounts.create_platform_token(
            uow, CLOCK, scope=TokenScope.OPERATOR, name=name, role=Role(role)
        )
    emit(
        {"operator_id": operator_id, "role": role, "access_token": token}, as_json, "Operator token"
    )


@feeds.command("create")
def create_feed(
    name: Annotated[str, typer.Option(help="The app showing posts.")] = "feed",
    as_json: JsonOpt = False,
    database_url: DbOpt = None,
) -> None:
    """Issue a feed token (POST /api/v1/feed/decisions and /api/v1/events)."""
    with cli_units(database_url) as uow:
        feed_id, token = accounts.create_platform_token(
            uow, CLOCK, scope=TokenScope.FEED, name=name
        )
    emit({"feed_id": feed_id, "name": name, "access_token": token}, as_json, "Feed token")
