"""report/task/create/, report/task/check/ and the CSV download: every row of the same report as
report/integrated/get/, for the task's own advertiser only."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from factories import (
    PARIS_VIEWER,
    Account,
    advertiser,
    ask,
    create_ad,
    feed,
    open_api_get,
    open_api_post,
    send_events,
    spark_world,
)
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork

QUERY: dict[str, Any] = {
    "report_type": "BASIC",
    "data_level": "AUCTION_AD",
    "dimensions": ["ad_id", "stat_time_hour"],
    "metrics": ["spend", "impressions", "clicks", "ad_name"],
    "query_lifetime": False,
    "start_date": "2026-11-02",
    "end_date": "2026-11-02",
}


def test_a_report_task_keeps_every_row_of_the_report_as_csv(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    app_feed = feed(uow, clock)
    world = spark_world(client, uow, clock)
    create_ad(client, world)
    for i in range(24):
        viewer = {**PARIS_VIEWER, "viewer_id": f"task-{i}"}
        for decision in ask(client, app_feed, viewer):
            kinds = ("impression", "click") if i % 4 == 0 else ("impression",)
            send_events(client, app_feed, *((decision["token"], kind) for kind in kinds))
        clock.advance(timedelta(minutes=25))
    brand = world.brand

    made = open_api_post(
        client, brand, "report/task/create/", advertiser_id=brand.id, file_name="hourly", **QUERY
    )

    assert made["code"] == 0, made
    task_id = made["data"]["task_id"]
    checked = open_api_get(
        client, brand, "report/task/check/", advertiser_id=brand.id, task_id=task_id
    )
    assert checked["code"] == 0
    assert checked["data"]["status"] == "SUCCESS"
    url = checked["data"]["download_url"]
    downloaded = client.get(url, headers=brand.access)
    assert downloaded.status_code == 200
    assert downloaded.headers["content-type"].startswith("text/csv")
    assert 'filename="hourly.csv"' in downloaded.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(downloaded.text)))
    # the same rows as the synchronous report, all pages of it
    pages: list[dict[str, Any]] = []
    page = 1
    while True:
        answer = open_api_get(
            client, brand, "report/integrated/get/", advertiser_id=brand.id, page=page,
            page_size=5, **QUERY,
        )  # fmt: skip
        pages += answer["data"]["list"]
        if page >= answer["data"]["page_info"]["total_page"]:
            break
        page += 1
    assert len(pages) > 5  # more than one page
    assert checked["data"]["total_number"] == len(rows) == len(pages)
    expected = sorted((p["dimensions"]["stat_time_hour"], p["metrics"]["impressions"],
                       p["metrics"]["clicks"], p["metrics"]["spend"]) for p in pages)  # fmt: skip
    got = sorted((r["stat_time_hour"], r["impressions"], r["clicks"], r["spend"]) for r in rows)
    assert got == expected
    assert sum(int(r["impressions"]) for r in rows) == 24
    assert {r["ad_name"] for r in rows} == {pages[0]["metrics"]["ad_name"]}


def test_report_tasks_are_the_advertisers_own_and_bad_queries_are_refused_at_creation(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    brand = world.brand
    made = open_api_post(client, brand, "report/task/create/", advertiser_id=brand.id, **QUERY)
    task_id = made["data"]["task_id"]
    stranger = advertiser(uow, clock, name="Stranger")
    theirs = open_api_get(
        client, stranger, "report/task/check/", advertiser_id=brand.id, task_id=task_id
    )
    assert theirs["code"] == 40001
    own_id = open_api_get(
        client, stranger, "report/task/check/", advertiser_id=stranger.id, task_id=task_id
    )
    assert own_id["code"] == 40002  # another advertiser's task is not theirs to read
    download = client.get(
        "/open_api/v1.3/report/task/download/",
        params={"advertiser_id": stranger.id, "task_id": task_id},
        headers=Account(stranger.id, stranger.token).access,
    )
    assert download.json()["code"] == 40002
    bad = open_api_post(
        client, brand, "report/task/create/", advertiser_id=brand.id,
        **{**QUERY, "metrics": ["not_a_metric"]},
    )  # fmt: skip
    assert bad["code"] == 40002
    xlsx = open_api_post(
        client, brand, "report/task/create/", advertiser_id=brand.id, output_format="XLSX", **QUERY
    )
    assert xlsx["code"] == 40002
