"""adgroup/get reads the delivery (`services.delivery_status`) of the page's ad groups only, in
grouped queries: a page of 10 runs as many statements out of 20 ad groups as out of 200."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event, inspect

from factories import SparkWorld, create_ad, open_api_get, spark_world
from sparkads.campaigns.models import Ad, AdGroup
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.reporting.models import ReasonHour
from sparkads.reporting.reason_hours import hour_of


def _grow(
    uow: UnitOfWork, world: SparkWorld, clock: TestClock, total: int, served_every: int = 0
) -> None:
    """Copies of the world's ad group up to `total`, each with an hour of reasons saved: outbid,
    or served for every `served_every`th."""
    session = uow.session
    first = session.get_one(AdGroup, world.adgroup_id)
    columns = [c.key for c in inspect(AdGroup).column_attrs]
    ad = session.query(Ad).filter_by(adgroup_id=world.adgroup_id).one_or_none()
    have = session.query(AdGroup).filter_by(advertiser_id=world.brand.id).count()
    for i in range(have, total):
        copy = AdGroup(**{key: getattr(first, key) for key in columns})
        copy.adgroup_id, copy.adgroup_name = f"{world.adgroup_id}{i:04d}", f"copy {i}"
        session.add(copy)
        if ad is not None:  # an ad of its own, so that the compiler keeps it in the auction
            session.flush()
            ad_copy = Ad(**{c.key: getattr(ad, c.key) for c in inspect(Ad).column_attrs})
            ad_copy.ad_id, ad_copy.adgroup_id = f"{ad.ad_id}{i:04d}", copy.adgroup_id
            session.add(ad_copy)
        session.add(
            ReasonHour(
                adgroup_id=copy.adgroup_id,
                hour=hour_of(clock.now() - timedelta(hours=2)),
                reason="served" if served_every and i % served_every == 0 else "outbid",
                count=i,
            )
        )
    uow.commit()


@contextmanager
def _statements(client: TestClient) -> Iterator[list[tuple[str, int]]]:
    """Each statement the app runs meanwhile, with how many values it binds."""
    engine = client.app.state.context.uow.engine  # type: ignore[attr-defined]
    seen: list[tuple[str, int]] = []

    def count(*args: Any) -> None:
        parameters = args[3]
        seen.append((str(args[2]), len(parameters) if isinstance(parameters, dict | tuple) else 1))

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _page(client: TestClient, world: SparkWorld) -> dict[str, Any]:
    answer = open_api_get(
        client, world.brand, "adgroup/get/", advertiser_id=world.brand.id, page_size=10
    )
    assert answer["code"] == 0, answer
    return dict(answer["data"])


def test_a_page_of_ad_groups_runs_as_many_statements_out_of_200_as_out_of_20(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    counted = {}
    for total in (20, 200):
        _grow(uow, world, clock, total)
        _page(client, world)  # warm: the snapshot, the folder's first turn
        with _statements(client) as seen:
            data = _page(client, world)
        assert data["page_info"]["total_number"] == total
        assert len(data["list"]) == 10
        shown = [row for row in data["list"] if row["adgroup_id"] != world.adgroup_id]
        assert all(row["delivery_issue"]["counted_since"] for row in shown), shown
        counted[total] = len(seen)
        reasons = [n for sql, n in seen if "delivery_reason_hours" in sql]
        assert reasons, seen
        assert max(reasons) <= 12, reasons  # the page's ad groups (and the requests), not all
    import collections

    print(collections.Counter(sql[:150] for sql, _ in seen).most_common(6))
    assert counted[200] == counted[20], counted


def test_a_filter_on_the_delivery_reads_every_ad_group_s(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    """Filtered on the delivery, the ad groups are those that deliver, wherever they stand in the
    list (copies 5, 10 and 15 served; the others were outbid or asked for nothing)."""
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    _grow(uow, world, clock, 20, served_every=5)
    client.app.state.context.delivery.store.refresh()  # type: ignore[attr-defined]
    answer = open_api_get(
        client, world.brand, "adgroup/get/", advertiser_id=world.brand.id, page_size=2,
        filtering={"primary_status": "STATUS_DELIVERY_OK"},
    )  # fmt: skip
    assert answer["code"] == 0, answer
    assert answer["data"]["page_info"]["total_number"] == 3
    assert all(r["primary_status"] == "STATUS_DELIVERY_OK" for r in answer["data"]["list"])
    outbid = open_api_get(
        client, world.brand, "adgroup/get/", advertiser_id=world.brand.id, page_size=2,
        filtering={"primary_status": "STATUS_NOT_DELIVERY"},
    )  # fmt: skip
    assert outbid["data"]["page_info"]["total_number"] == 17
