"""`sparkads demo`: a believable world (creators across sectors, countries and tiers, a brand's
Business Center with three markets, Spark codes in every state, campaigns of every objective) and a
simulated week of traffic through the real feed path, so every report has data. Deterministic for a
seed; idempotent: run again, it only mints fresh tokens.

The default week is a light one (20,000 viewers, 3,000 feed requests a day: about ten seconds on
two cores) so `./scripts/run` serves quickly; `--full` lives the full week (100,000 viewers, 12,000
requests a day). Long steps show progress bars on a terminal and stay quiet in logs."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts import service as accounts
from sparkads.accounts.models import Advertiser, BusinessCenter, Creator, TokenScope
from sparkads.cli.common import console, progress, sealing_keys, settings, unit_of_work
from sparkads.cli.simulation import print_summary, run_simulation
from sparkads.clock import SystemClock, TestClock
from sparkads.db import migrate
from sparkads.ids import new_id
from sparkads.simulation.demo_world import demo_audiences, open_marketplace
from sparkads.simulation.traffic import open_in_process
from sparkads.simulation.world import World, build_world, launch_campaigns, settle_code_states

DEMO_BC = "Maison Verte Group"
# (viewers, feed requests a day) of the light default week and of --full
LIGHT = (20_000, 3_000)
FULL = (100_000, 12_000)


def _exists(session: Session) -> bool:
    return session.scalar(select(BusinessCenter).where(BusinessCenter.name == DEMO_BC)) is not None


def _mark_demo_accounts(session: Session, clock: SystemClock) -> None:
    """The demo world's accounts are the ones a sandbox opens without a token: its Business Center,
    its ad accounts, and its creators (marked when the world is built, and the two listed here)."""
    bc = session.scalars(select(BusinessCenter).where(BusinessCenter.name == DEMO_BC)).one()
    accounts.mark_demo(session, clock, scope=TokenScope.BUSINESS_CENTER, subject_id=bc.bc_id)
    for advertiser_id in session.scalars(
        select(Advertiser.advertiser_id).where(Advertiser.bc_id == bc.bc_id)
    ):
        accounts.mark_demo(session, clock, scope=TokenScope.ADVERTISER, subject_id=advertiser_id)
    for creator_id in session.scalars(
        select(Creator.creator_id).order_by(Creator.created_at).limit(2)
    ):
        accounts.mark_demo(session, clock, scope=TokenScope.CREATOR, subject_id=creator_id)


def _tokens(session: Session) -> list[dict[str, str]]:
    clock = SystemClock()
    _mark_demo_accounts(session, clock)
    bc = session.scalars(select(BusinessCenter).where(BusinessCenter.name == DEMO_BC)).one()

    def row(account: str, scope: TokenScope, subject_id: str) -> dict[str, str]:
        token = accounts.issue_token(
            session, clock, scope=scope, subject_id=subject_id, label="demo"
        )
        return {"account": account, "id": subject_id, "token": token}

    rows = [row(f"Business Center {bc.name}", TokenScope.BUSINESS_CENTER, bc.bc_id)]
    rows += [
        row(f"Advertiser {advertiser.name}", TokenScope.ADVERTISER, advertiser.advertiser_id)
        for advertiser in session.scalars(
            select(Advertiser).where(Advertiser.bc_id == bc.bc_id).order_by(Advertiser.name)
        )
    ]
    rows += [
        row(f"Creator @{creator.handle}", TokenScope.CREATOR, creator.creator_id)
        for creator in session.scalars(select(Creator).order_by(Creator.created_at).limit(2))
    ]
    rows.append(row("Feed (demo app)", TokenScope.FEED, new_id()))
    return rows


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
        for creator in world.creators:
            accounts.mark_demo(
                uow.session, clock, scope=TokenScope.CREATOR, subject_id=creator.creator_id
            )
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
    with unit_of_work(url) as uow:
        rows = _tokens(uow.session)
        uow.commit()
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
