"""`sparkads jobs …`: the periodic work a deployment runs from cron (each serve process also folds
the rollups in the background, reporting/folder.py): fold new events into the report rollups,
and refresh the audiences that refresh themselves.
`sparkads bench`: the benchmarks of `bench/` in a source checkout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from sparkads.cli.common import DbOpt, console, group, progress, unit_of_work_factory
from sparkads.clock import SystemClock
from sparkads.services import audiences, reports

jobs = group(help="Periodic jobs (rollups, audiences), for cron.", no_args_is_help=True)


@jobs.command("rollups")
def rollups_job(
    database_url: DbOpt = None,
    rebuild: Annotated[
        bool, typer.Option(help="Throw the rollups away and fold every event again.")
    ] = False,
) -> None:
    """Fold the events not read yet into the hourly and daily report rollups."""
    clock = SystemClock()
    with unit_of_work_factory(database_url) as uow, progress() as bar:
        bar.add_task("Folding events into the rollups", total=None)
        read = reports.fold_rollups(uow, clock, rebuild=rebuild)
    console.print(f"{'rebuilt from' if rebuild else 'folded'} {read} events into the rollups")


@jobs.command("event-partitions")
def event_partitions_job(
    database_url: DbOpt = None,
    retention_days: Annotated[
        int | None,
        typer.Option(
            envvar="SPARKADS_EVENTS_RETENTION_DAYS",
            min=1,
            help="Drop the day partitions of events older than this (PostgreSQL); unset: keep all.",
        ),
    ] = None,
) -> None:
    """PostgreSQL: make the events table's day partitions for the week ahead and drop those past
    the retention (after folding them into the rollups). SQLite: nothing to do."""
    clock = SystemClock()
    with unit_of_work_factory(database_url) as uow:
        done = reports.maintain_event_partitions(uow, clock, retention_days)
    if not done.partitioned:
        console.print("events are not partitioned on this database (SQLite): nothing to do")
        return
    console.print(
        f"made {len(done.created)} day partitions, dropped {len(done.dropped)}"
        f" ({', '.join(d.isoformat() for d in done.dropped) or 'none'}), {done.kept} kept"
        + (
            f"; left in the default partition: {', '.join(d.isoformat() for d in done.left_out)}"
            if done.left_out
            else ""
        )
    )


@jobs.command("audiences")
def audiences_job(database_url: DbOpt = None) -> None:
    """Rebuild every auto-refreshing audience (engagement rules, lookalikes) from its definition."""
    with unit_of_work_factory(database_url) as uow, progress() as bar:
        task = bar.add_task("Refreshing audiences", total=None)
        refreshed = audiences.refresh_due(
            uow,
            SystemClock(),
            on_total=lambda total: bar.update(task, total=total),
            on_each=lambda: bar.advance(task),
        )
    console.print(f"refreshed {len(refreshed)} audiences")


def bench(
    quick: Annotated[bool, typer.Option(help="Smaller worlds, for a first look.")] = False,
    only: Annotated[
        str | None, typer.Option(help="Comma-separated: decisions,http,events,pacing,reports.")
    ] = None,
) -> None:
    """Run the benchmarks (`python -m bench`) of a source checkout; results go to bench/results."""
    root = Path(__file__).resolve().parents[3]
    if not (root / "bench" / "__main__.py").exists():
        console.print(
            "[red]bench/ is not here[/]: benchmarks run from a source checkout of sparkads"
        )
        raise typer.Exit(2)
    command = [sys.executable, "-m", "bench", *(["--quick"] if quick else [])]
    command += ["--only", only] if only else []
    done = subprocess.run(command, cwd=root, check=False)  # noqa: S603 (our own interpreter and module)
    raise typer.Exit(done.returncode)
