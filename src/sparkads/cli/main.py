from __future__ import annotations

import ipaddress
import os
import shutil
import tempfile
from collections.abc import Callable
from typing import Annotated, Any

import typer

from sparkads.cli import accounts, apps, demo, jobs, people, review, simulation
from sparkads.cli.common import console, fail, settings
from sparkads.db import migrate as migrations
from sparkads.db.engine import normalise_url
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText

app = typer.Typer(
    help="sparkads: an open Spark Ads engine.", no_args_is_help=True, pretty_exceptions_enable=False
)
# the command groups and the commands of their own, in the order `sparkads --help` lists them
GROUPS = {
    "advertisers": accounts.advertisers,
    "business-centers": accounts.business_centers,
    "creators": accounts.creators,
    "operators": accounts.operators,
    "feeds": accounts.feeds,
    "policy": review.policy,
    "review": review.review,
    "jobs": jobs.jobs,
    "users": people.users,
    "tokens": people.tokens,
    "keys": people.keys_app,
    "apps": apps.apps,
}
COMMANDS: dict[str, Callable[..., None]] = {
    "demo": demo.demo,
    "simulate": simulation.simulate_command,
    "forecast": simulation.forecast_command,
    "backtest": simulation.backtest_command,
    "bench": jobs.bench,
}
for name, group in GROUPS.items():
    app.add_typer(group, name=name)
for name, command in COMMANDS.items():
    app.command(name)(command)

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="SPARKADS_DATABASE_URL",
        help="SQLAlchemy URL; default sqlite:///var/sparkads.db",
    ),
]


@app.command()
def migrate(database_url: DbOpt = None) -> None:
    """Apply database migrations."""
    url = settings(database_url).database_url
    migrations.upgrade(url)
    shown = normalise_url(url).render_as_string(hide_password=True)  # never print a password
    console.print(f"database at [bold]{shown}[/] is up to date")


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    database_url: DbOpt = None,
    sandbox: Annotated[
        bool, typer.Option(help="Enable the test clock and sandbox endpoints.")
    ] = False,
    public_base_url: Annotated[
        str | None, typer.Option(help="Base URL in links and QR codes.")
    ] = None,
    redis_url: Annotated[
        str | None,
        typer.Option(
            envvar="SPARKADS_REDIS_URL",
            help="Redis shared by several serve processes for budgets and frequency caps.",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Processes serving on the same port (more than 1 needs --redis-url).",
        ),
    ] = 1,
    allow_public_sandbox: Annotated[
        bool,
        typer.Option(
            help="Let --sandbox bind to an address other than loopback (anyone who reaches it "
            "can sign in as the demo accounts).",
        ),
    ] = False,
    auto_approve: Annotated[
        bool | None,
        typer.Option(
            "--auto-approve/--review-by-people",
            help="Approve ads that pass the policy rules at once, or have a reviewer look at "
            "each (default: SPARKADS_AUTO_APPROVE, else on with --sandbox, off in production).",
        ),
    ] = None,
    access_log: Annotated[
        bool,
        typer.Option(
            help="uvicorn's line per request with text logs (JSON logs write their own). At feed "
            "volume it costs about a tenth of a decision's server CPU: /metrics counts requests.",
        ),
    ] = True,
) -> None:
    """Migrate the database, then serve the APIs and pages."""
    import uvicorn

    from sparkads.api.app import create_app

    config = settings(database_url)
    if (sandbox or config.sandbox) and not is_loopback(host) and not allow_public_sandbox:
        raise typer.BadParameter(
            f"--sandbox serves demo accounts without a password and a movable clock: it binds only "
            f"to loopback (127.0.0.1, ::1, localhost), not {host!r}, unless --allow-public-sandbox "
            "says so",
            param_hint="--host",
        )
    config = config.with_(
        sandbox=sandbox or config.sandbox,
        public_base_url=(
            public_base_url or config.public_base_url or f"http://{host}:{port}"
        ).rstrip("/"),
        redis_url=redis_url or config.redis_url,
        auto_approve=config.auto_approve or sandbox if auto_approve is None else auto_approve,
    )
    if workers > 1 and (not config.redis_url or config.sandbox):
        given = N_("--sandbox was given.") if config.sandbox else N_("No Redis URL was given.")
        detail = LocalText(given)
        fail(SparkadsError("workers_need_redis", workers=workers, detail=detail))
    migrations.upgrade(config.database_url)
    # JSON logs: uvicorn leaves logging to the app (api/request_log.py), which logs each request
    # once with its id, so uvicorn's own access lines are off
    logging_options: dict[str, Any] = (
        {"log_config": None, "access_log": False}
        if config.log_format == "json"
        else {"access_log": access_log}
    )
    if workers == 1:
        uvicorn.run(
            create_app(config), host=host, port=port, loop="uvloop", http="httptools",
            log_level="info", **logging_options,
        )  # fmt: skip
        return
    made_dir = ""
    if config.metrics and not config.metrics_dir:
        # every worker writes its counters to files in one fresh directory; /metrics sums them
        made_dir = tempfile.mkdtemp(prefix="sparkads-metrics-")
        config = config.with_(metrics_dir=made_dir)
    # N processes accept on one socket; each builds its app from the settings passed down here
    os.environ.update(config.as_env())
    try:
        uvicorn.run(
            "sparkads.api.app:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            loop="uvloop",
            http="httptools",
            log_level="info",
            **logging_options,
        )
    finally:
        if made_dir:
            shutil.rmtree(made_dir, ignore_errors=True)


def is_loopback(host: str) -> bool:
    """Whether a bind address only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def main() -> None:
    app()
