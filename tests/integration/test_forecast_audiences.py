"""A forecast replays logged viewers against live competitors that target audiences: a viewer in
a competitor's custom audience meets that competitor in the replay, as it does live (the log holds
keys, not viewer ids, and the engine finds audiences by the key of the id it is given)."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import Account, create_ad, open_api_post, spark_world
from factories.traffic import forecast_draft, log_traffic
from sparkads.audiences.hashing import hash_viewer_id
from sparkads.audiences.models import AudienceMember
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.services.forecasts import zero_because
from sparkads.simulation import population as synthetic

UPLOAD = "/open_api/v1.3/dmp/custom_audience/file/upload/"


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


def test_a_competitor_targeting_a_custom_audience_meets_its_members_in_the_replay(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    people = synthetic.generate(3_000, 7)
    log_traffic(client, people)
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
    # (targeting the audience, as a real draft does: profiling, so minors in France are out of
    # reach for both, campaigns/minors.py)
    targeting = {"location_ids": ["3017382"], "audience_ids": [audience_id]}
    inside = forecast_draft(
        client, uow.session, bid=1_000_000, included=(members,), targeting=targeting
    )
    assert inside.basis.matching > 0
    assert inside.range("impressions").high == 0
    assert zero_because(inside) == "bid"
    # everyone else: the competitor does not reach them, the draft wins them all
    outside = forecast_draft(client, uow.session, bid=1_000_000, excluded=(members,))
    assert outside.basis.matching > 0
    assert outside.range("impressions").high > 0
    assert all(run.won == run.impressions for run in outside.runs)
