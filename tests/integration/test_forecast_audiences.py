"""A forecast replays logged viewers against live competitors that target audiences: a viewer in
a competitor's custom audience meets that competitor in the replay, as it does live (the log holds
keys, not viewer ids, and the engine finds audiences by the key of the id it is given)."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import Account, create_ad, open_api_post, spark_world
from sparkads.audiences.hashing import hash_viewer_id
from sparkads.audiences.models import AudienceMember
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.delivery.compile import geography
from sparkads.services.forecasts import zero_because
from sparkads.simulation import population as synthetic
from sparkads.traffic.forecast import Draft, Forecast, forecast
from sparkads.traffic.intake import TrafficRecorder, TrafficSettings

UPLOAD = "/open_api/v1.3/dmp/custom_audience/file/upload/"


def _log_traffic(client: TestClient, people: synthetic.Population) -> None:
    context = client.app.state.context  # type: ignore[attr-defined]
    recorder = TrafficRecorder(context.uow, context.clock, TrafficSettings(sample_rate=1.0), 5)
    snapshot, now = context.delivery.store.snapshot, context.clock.now()
    step = timedelta(days=2) / people.size
    for i in range(people.size):
        recorder.record(people.viewer(i), [], snapshot, at=now - timedelta(days=2) + step * i)
    recorder.flush()


def _customers(client: TestClient, who: Account, viewer_ids: list[str]) -> str:
    content = "\n".join(hash_viewer_id(v) for v in viewer_ids).encode()
    upload = client.post(
        UPLOAD,
        data={"advertiser_id": who.id, "calculate_type": "EMAIL_SHA256",
              "file_signature": hashlib.md5(content).hexdigest()},
        files={"file": ("ids.txt", content, "text/plain")},
        headers=who.access,
    ).json()  # fmt: skip
    assert upload["code"] == 0, upload
    created = open_api_post(
        client, who, "dmp/custom_audience/create/", advertiser_id=who.id,
        custom_audience_name="Customers", file_paths=[upload["data"]["file_path"]],
        calculate_type="EMAIL_SHA256",
    )  # fmt: skip
    assert created["code"] == 0, created
    return str(created["data"]["custom_audience_id"])


def _forecast(client: TestClient, uow: UnitOfWork, **changes: Any) -> Forecast:
    context = client.app.state.context  # type: ignore[attr-defined]
    plan: dict[str, Any] = {
        "targeting": {"location_ids": ["3017382"]}, "goal": "CLICK", "billing": "CPM",
        "bid_type": "BID_TYPE_CUSTOM", "bid": 1_000_000, "daily_budget": 100_000_000,
        "eur_rate": 1.0, "timezone": ZoneInfo("Europe/Paris"),
    }  # fmt: skip
    plan.update(changes)
    return forecast(
        uow.session, context.delivery.store.snapshot, Draft(**plan), geography(),
        now=context.clock.now(),
    )  # fmt: skip


def test_a_competitor_targeting_a_custom_audience_meets_its_members_in_the_replay(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    people = synthetic.generate(3_000, 7)
    _log_traffic(client, people)
    world = spark_world(client, uow, clock, adgroup_fields={"bid_price": 5, "budget": 5000})
    assert create_ad(client, world)["code"] == 0
    audience_id = _customers(client, world.brand, [f"sim-7-{i}" for i in range(1_500)])
    updated = open_api_post(
        client, world.brand, "adgroup/update/", advertiser_id=world.brand.id,
        adgroup_id=world.adgroup_id, audience_ids=[audience_id],
    )  # fmt: skip
    assert updated["code"] == 0, updated
    client.app.state.context.delivery.store.refresh()  # type: ignore[attr-defined]
    members = frozenset(
        uow.session.scalars(
            select(AudienceMember.viewer_id).where(AudienceMember.audience_id == audience_id)
        )
    )
    assert len(members) == 1_500
    # the audience's members: the competitor (bidding far higher) wins every one of them
    inside = _forecast(client, uow, included=(members,))
    assert inside.basis.matching > 0
    assert inside.range("impressions").high == 0
    assert zero_because(inside) == "bid"
    # everyone else: the competitor does not reach them, the draft wins them all
    outside = _forecast(client, uow, excluded=(members,))
    assert outside.basis.matching > 0
    assert outside.range("impressions").high > 0
    assert all(run.won == run.impressions for run in outside.runs)
