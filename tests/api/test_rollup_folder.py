"""The rollup folder keeps the report rollups current off the request path: with its thread
running (as in `serve`, outside the sandbox) a report reads the rollups as they are and says how
fresh they are; the folder folds every tick, when the sandbox clock moves, or when a test asks.
Two folders on one database (as two serve processes) never count an event twice."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factories import (
    PARIS_VIEWER,
    SparkWorld,
    advance,
    ask,
    create_ad,
    feed,
    send_events,
    spark_world,
)
from sparkads.clock import TestClock, as_utc
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from sparkads.events.models import Event
from sparkads.reporting import rollups
from sparkads.reporting.folder import RollupFolder
from sparkads.reporting.models import AdDayRollup, AdHourRollup
from sparkads.services.reports import ROLLED_UP_TO_HEADER

DAY = "2026-11-02"


def _report(client: TestClient, world: SparkWorld) -> tuple[int, datetime]:
    """Impressions of the day, and the report's `rolled_up_to` header."""
    response = client.get(
        "/open_api/v1.3/report/integrated/get/",
        params={
            "advertiser_id": world.brand.id,
            "report_type": "BASIC",
            "data_level": "AUCTION_ADVERTISER",
            "dimensions": '["advertiser_id"]',
            "start_date": DAY,
            "end_date": DAY,
            "metrics": '["impressions"]',
        },
        headers=world.brand.access,
    )
    answer = response.json()
    assert answer["code"] == 0, answer
    rows = answer["data"]["list"]
    fresh = datetime.fromisoformat(response.headers[ROLLED_UP_TO_HEADER])
    return (int(rows[0]["metrics"]["impressions"]) if rows else 0), fresh


@pytest.fixture
def folding(client: TestClient) -> Iterator[RollupFolder]:
    """The app's folder as `serve` runs it: a thread, reports do not fold. A tick of an hour, so
    only the start, the clock and the test make it fold."""
    folder: RollupFolder = client.app.state.context.rollups  # type: ignore[attr-defined]
    folder.fold_on_read, folder.interval = False, 3600.0
    folder.start()
    yield folder
    folder.stop()


def test_reports_read_the_rollups_the_folder_keeps_and_say_how_fresh(
    client: TestClient, uow: UnitOfWork, clock: TestClock, folding: RollupFolder
) -> None:
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    send_events(client, app_feed, (ask(client, app_feed)[0]["token"], "impression"))
    assert folding.fold_soon()
    folded_at = clock.now()
    assert _report(client, world) == (1, folded_at)

    clock.advance(timedelta(minutes=1))
    viewer = {**PARIS_VIEWER, "viewer_id": "viewer-2"}
    send_events(client, app_feed, (ask(client, app_feed, viewer)[0]["token"], "impression"))
    # the request did not fold: the report is as fresh as the last fold, and says so
    assert _report(client, world) == (1, folded_at)
    assert folding.fold_soon()
    assert _report(client, world) == (2, clock.now())
    assert folding.stats.events == 2
    assert folding.stats.failures == 0


def test_moving_the_sandbox_clock_folds(
    client: TestClient, uow: UnitOfWork, clock: TestClock, folding: RollupFolder
) -> None:
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    assert folding.fold_soon()
    send_events(client, app_feed, (ask(client, app_feed)[0]["token"], "impression"))
    assert _report(client, world)[0] == 0
    moved = advance(client, minutes=5)
    impressions, fresh = _report(client, world)
    assert impressions == 1
    assert fresh == as_utc(datetime.fromisoformat(moved["now"]))


def test_native_report_states_rolled_up_to(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    send_events(client, app_feed, (ask(client, app_feed)[0]["token"], "impression"))
    response = client.get(
        "/api/v1/reports",
        params={"advertiser_id": world.brand.id, "start_date": DAY, "end_date": DAY},
        headers=world.brand.bearer,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    # no folder thread in this app: the report folded on read, at the clock's time
    assert datetime.fromisoformat(body["rolled_up_to"]) == clock.now()
    assert response.headers[ROLLED_UP_TO_HEADER] == body["rolled_up_to"]
    assert sum(int(row["impressions"]) for row in body["rows"]) == 1


def _cells(uow: UnitOfWork) -> list[tuple[object, ...]]:
    uow.commit()  # a fresh read
    found: list[tuple[object, ...]] = []
    for model, period in ((AdDayRollup, AdDayRollup.day), (AdHourRollup, AdHourRollup.hour)):
        found += [
            tuple(row)
            for row in uow.session.execute(
                select(model.ad_id, period, model.impressions, model.clicks, model.spend).order_by(
                    model.ad_id, period
                )
            )
        ]
    return found


def test_two_folders_on_one_database_count_every_event_once(
    client: TestClient, uow: UnitOfWork, clock: TestClock, database_url: str
) -> None:
    """Two folders with engines of their own (two serve processes) fold over and over while feeds
    send events from several threads; then the rollups equal a rebuild from the events."""
    world = spark_world(client, uow, clock, adgroup_fields={"pacing": "PACING_MODE_FAST"})
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    tokens = [
        ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": f"viewer-{i}"})[0]["token"]
        for i in range(30)
    ]
    engines = [make_engine(database_url) for _ in range(2)]
    folders = [RollupFolder(UnitOfWorkFactory(engine), clock) for engine in engines]
    done = threading.Event()

    def keep_folding(folder: RollupFolder) -> int:
        folds = 0
        while not done.is_set():
            folder.fold_now()
            folds += 1
        return folds

    def send(token: str) -> None:
        send_events(client, app_feed, (token, "impression"), (token, "click"))

    try:
        with ThreadPoolExecutor(6) as pool:
            loops = [pool.submit(keep_folding, folder) for folder in folders]
            for sent in [pool.submit(send, token) for token in tokens]:
                sent.result()
            done.set()
            assert all(loop.result() >= 1 for loop in loops)
        folders[0].fold_now()
    finally:
        done.set()
        for engine in engines:
            engine.dispose()
    assert sum(folder.stats.failures for folder in folders) == 0
    impressions = uow.session.scalar(select(func.sum(AdDayRollup.impressions)))
    stored = uow.session.scalar(
        select(func.count()).select_from(Event).where(Event.event_type == "impression")
    )
    assert impressions == stored == len(tokens)
    folded = _cells(uow)
    rollups.rebuild(uow.session, clock)
    uow.commit()
    assert _cells(uow) == folded
