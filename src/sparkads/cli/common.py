from __future__ import annotations

import getpass
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Column, Table

from sparkads import keys
from sparkads.clock import SystemClock
from sparkads.config import Settings
from sparkads.db import migrate
from sparkads.db.audit import Actor, acting_as
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.keys import KeySet

# options most commands take
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
DbOpt = Annotated[str | None, typer.Option("--database-url", envvar="SPARKADS_DATABASE_URL")]


def group(help: str, no_args_is_help: bool = True) -> typer.Typer:
    """A command group whose help is click's plain text, wrapped at the terminal's width: rich's
    boxed help cut long option names ("--allow-public-s…") at 80 columns."""
    return typer.Typer(help=help, no_args_is_help=no_args_is_help, rich_markup_mode=None)


console = Console()
err_console = Console(stderr=True)


def progress(*, quiet: bool = False) -> Progress:
    """Progress bars for a long step: drawn on a terminal, silent when the output is a log or a
    pipe (no bar, no spinner lines), and gone once the step is done."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=quiet or not console.is_terminal,
    )


def settings(database_url: str | None = None) -> Settings:
    base = Settings.from_env()
    return base.with_(database_url=database_url) if database_url else base


def sealing_keys(database_url: str | None = None) -> KeySet:
    """The server's sealing keys (key file or SPARKADS_KEYS), as `serve` loads them."""
    found = settings(database_url)
    return keys.load(found.keys_json, found.keys_file).sealing


@contextmanager
def unit_of_work(database_url: str | None = None) -> Iterator[UnitOfWork]:
    """Migrate, then one transaction; a SparkadsError becomes a clear message and exit code 2."""
    with unit_of_work_factory(database_url) as factory, factory() as uow:
        uow.session.info["audit_actor"] = CLI_ACTOR  # the audit log names the CLI's user
        yield uow


def _os_user() -> str:
    try:
        return getpass.getuser()[:24]
    except (KeyError, OSError):  # no name for this uid (containers)
        return ""


CLI_ACTOR = Actor("cli", subject_id=_os_user())


def language() -> str:
    """The CLI's language: SPARKADS_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG); French
    when it starts with "fr", English otherwise."""
    for name in ("SPARKADS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        if value := os.environ.get(name, ""):
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


# errors whose API wording speaks of requests and endpoints, as the CLI says them: {option} is
# the option (or argument) of the command that was typed
CLI_WORDING = {
    "invalid_parameter": (
        N_("Invalid value for {option}: {detail}"),
        N_("The value given to {option} is not one this command accepts."),
        N_("Type the command again with {option} as its --help describes it."),
    ),
}


# fields the commands take as arguments (`sparkads tokens revoke TOKEN_ID`), not as options
ARGUMENTS = ("token_id", "ad_id", "item_id", "rule_id", "purpose")


def _option(field: str) -> str:
    """How the commands name a field: its argument (`TOKEN_ID`) or its option (`--bc-id`)."""
    if not field:
        return ""
    return field.upper() if field in ARGUMENTS else "--" + field.replace("_", "-")


def fail(error: SparkadsError) -> NoReturn:
    """Print the error with its cause and solution, in the CLI's language; exit with code 2."""
    lang = language()
    rendered = error.render(lang)
    if wording := CLI_WORDING.get(error.code):
        params = {**error.params, "option": _option(str(error.params.get("field", "")))}
        said = [LocalText(text, params).render(lang) for text in wording]
        rendered = {"message": said[0], "cause": said[1], "solution": said[2]}
    err_console.print(
        f"[bold red]{error.code}[/]: {rendered['message']}\n"
        f"  cause: {rendered['cause']}\n  solution: {rendered['solution']}",
        highlight=False,
    )
    raise typer.Exit(2) from None


CLOCK = SystemClock()


def emit(data: Mapping[str, object], as_json: bool, title: str) -> None:
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    table = Table(title=title, show_header=False)
    for key, value in data.items():
        table.add_row(key, str(value))
    console.print(table)


def print_json(data: object) -> None:
    typer.echo(json.dumps(data, indent=2))


def id_column(header: str, ids: Iterable[str]) -> Column:
    """A column of ids, never cut nor wrapped whatever the terminal's width (they are pasted into
    other commands): the other columns wrap first."""
    widest = max((len(i) for i in ids), default=0)
    return Column(header, no_wrap=True, min_width=max(widest, len(header)), overflow="ignore")


def print_rows(
    title: str, columns: Sequence[str | Column], rows: Iterable[Sequence[str]], *, none: str
) -> None:
    """A list as a table; with nothing in it, one plain line (`none`: there is none yet, and the
    command that makes one) instead of a bare header. `--json` callers print their list instead."""
    listed = list(rows)
    if not listed:
        typer.echo(none)
        return
    # nothing is cut with "…": a column too narrow for a word folds it onto the next line
    shown = [Column(c, overflow="fold") if isinstance(c, str) else c for c in columns]
    table = Table(*shown, title=title)
    for row in listed:
        table.add_row(*row)
    console.print(table)


@contextmanager
def unit_of_work_factory(database_url: str | None = None) -> Iterator[UnitOfWorkFactory]:
    """Migrate, then units of work for a service that opens and commits its own. The one place
    the CLI catches a SparkadsError: it becomes a clear message and exit code 2 (`fail`)."""
    url = settings(database_url).database_url
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        yield UnitOfWorkFactory(engine)
    except SparkadsError as error:
        fail(error)
    finally:
        engine.dispose()


@contextmanager
def cli_units(database_url: str | None = None) -> Iterator[UnitOfWorkFactory]:
    """`unit_of_work_factory` whose changes the audit log records as the CLI's user's."""
    with unit_of_work_factory(database_url) as factory, acting_as(CLI_ACTOR):
        yield factory
