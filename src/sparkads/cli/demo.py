"""`sparkads demo`: a believable world (creators across sectors, countries and tiers, a brand's
Business Center with three markets, Spark codes in every state, campaigns of every objective) and a
simulated week of traffic through the real feed path, so every report has data. Deterministic for a
seed; idempotent: run again, it only mints fresh tokens (and revokes the previous run's).

The default week is a light one (20,000 viewers, 3,000 feed requests a day: about ten seconds on
two cores) so `./scripts/run` serves quickly; `--full` lives the full week (100,000 viewers, 12,000
requests a day). Long steps show progress bars on a terminal and stay quiet in logs."""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import BusinessCenter, TokenScope
from sparkads.cli.common import cli_units, console, progress, sealing_keys, settings, unit_of_work
from sparkads.cli.simulation import print_summary, run_simulation
from sparkads.clock import SystemClock, TestClock
from sparkads.db import migrate
from sparkads.services import accounts
from sparkads.simulation.demo_world import demo_audiences, open_marketplace
from sparkads.simulation.traffic import open_in_process
from sparkads.simulation.world import (
    World,
    WorldUnits,
    build_world,
    launch_campaigns,
    settle_code_states,
)

DEMO_BC = "Maison Verte Group"
# (viewers, feed requests a day) of the light default week and of --full
LIGHT = (20_000, 3_000)
FULL = (100_000, 12_000)


def _exists(session: Session) -> bool:
    return session.scalar(select(BusinessCenter).where(BusinessCenter.name == DEMO_BC)) is not None


def _demo_audiences(url: str, clock: TestClock, world: World) -> None:
    """Audiences built as an advertiser builds them, from the week's traffic (profiles) and
    events: everyone who saw the first brand's ads, and a lookalike of them in its countries."""
    with unit_of_work(url) as uow, progress() as bar:
        task = bar.add_task("Building audiences from the traffic", total=1)
        seen, like = demo_audiences(uow.session, clock, world.advertisers[0])
        uow.commit()
        bar.advance(task)
    console.print(
        f"Audiences from the traffic: {seen.name} ({seen.size:,} viewers), "
        f"{like.name} ({like.size:,} viewers)"
    )


def _build(url: str, clock: TestClock, seed: int) -> World:
    """The world: creators and posts, the brand's accounts, codes and campaigns, the marketplace."""
    with unit_of_work(url) as uow, progress() as bar:
        task = bar.add_task("Building the demo world", total=5)
        world = build_world(uow.session, clock, seed)
        bar.advance(task)
        launch_campaigns(uow.session, clock, world, seed)
        bar.advance(task)
        settle_code_states(uow.session, clock, world)
        bar.advance(task)
        open_marketplace(uow.session, clock, world, seed)
        bar.advance(task)
        creators = [creator.creator_id for creator in world.creators]  # in the world's transaction
        accounts.mark_demo(WorldUnits(uow.session), clock, TokenScope.CREATOR, creators)
        uow.commit()
        bar.advance(task)
    return world


def demo(
    seed: Annotated[int, typer.Option(help="Same seed, same world.")] = 7,
    days: Annotated[float, typer.Option(help="Days of traffic to simulate.")] = 7,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help=f"The full week: {FULL[0]:,} viewers and {FULL[1]:,} feed requests a day "
            f"(default {LIGHT[0]:,} and {LIGHT[1]:,}, about ten seconds).",
        ),
    ] = False,
    viewers: Annotated[
        int | None, typer.Option(help="Synthetic population size (overrides --full).")
    ] = None,
    requests_per_day: Annotated[
        int | None, typer.Option(help="Feed requests per day (overrides --full).")
    ] = None,
    database_url: Annotated[
        str | None, typer.Option("--database-url", envvar="SPARKADS_DATABASE_URL")
    ] = None,
    tokens_file: Annotated[Path, typer.Option(help="Where to save the tokens.")] = Path(
        "var/demo-tokens.json"
    ),
) -> None:
    """Seed the demo world and a week of traffic (once), then print fresh tokens."""
    started = time.perf_counter()
    size = FULL if full else LIGHT
    viewers = viewers or size[0]
    requests_per_day = requests_per_day or size[1]
    url = settings(database_url).database_url
    migrate.upgrade(url)
    with unit_of_work(url) as uow:
        fresh = not _exists(uow.session)
    if fresh:
        # The world is built a week back on a test clock, then lived through to (almost) now.
        now = datetime.now(UTC)
        clock = TestClock(now - timedelta(days=days + 2))
        world = _build(url, clock, seed)
        built = time.perf_counter()
        console.print(
            f"Demo world: {len(world.creators)} creators, {len(world.advertisers)} ad accounts "
            f"({built - started:.1f} s)"
        )
        transport = open_in_process(url, clock, seed, sealing=sealing_keys(url))
        # live from the end of the build up to now, so the demo's data ends today
        lived = (now - clock.now()).total_seconds() / 86_400
        summary = run_simulation(
            url,
            transport,
            days=lived,
            viewers=viewers,
            seed=seed,
            requests_per_day=requests_per_day,
        )
        console.print(
            f"Simulated {lived:.1f} days: {summary.requests:,} feed requests from {viewers:,} "
            f"viewers ({time.perf_counter() - built:.1f} s)"
        )
        print_summary(url, summary)
        _demo_audiences(url, transport.clock, world)
    with cli_units(url) as units:
        rows = [asdict(row) for row in accounts.demo_tokens(units, SystemClock(), bc_name=DEMO_BC)]
    tokens_file.parent.mkdir(parents=True, exist_ok=True)
    tokens_file.write_text(json.dumps(rows, indent=2))
    table = Table(title=f"sparkads demo accounts (tokens also in {tokens_file})")
    for column in ("account", "id", "token"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row["account"], row["id"], row["token"])
    console.print(table)
    what = "seeded" if fresh else "already seeded, fresh tokens"
    console.print(f"Demo {what} in {time.perf_counter() - started:.1f} s")
