"""Ads Manager → campaigns: the Pause / Enable forms of each level change that object's status and
go back to its table; an unknown level is refused on the campaigns page, nothing changed."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from factories import SparkWorld, create_ad, spark_world
from factories.web import csrf_of, sign_in
from sparkads.campaigns.models import Ad, AdGroup, Campaign
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


def _statuses(uow: UnitOfWork, world: SparkWorld, ad_id: str) -> dict[str, str]:
    with uow:
        campaign = uow.session.get_one(Campaign, world.campaign_id)
        group = uow.session.get_one(AdGroup, world.adgroup_id)
        ad = uow.session.get_one(Ad, ad_id)
        return {
            "campaigns": campaign.operation_status,
            "adgroups": group.operation_status,
            "ads": ad.operation_status,
        }


@pytest.mark.parametrize("level", ["campaigns", "adgroups", "ads"])
def test_pause_then_enable_changes_only_that_level(
    level: str, client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    created = create_ad(client, world)
    assert created["code"] == 0, created
    ad_id = created["data"]["ad_ids"][0]
    object_id = {"campaigns": world.campaign_id, "adgroups": world.adgroup_id, "ads": ad_id}[level]
    sign_in(client, world.brand.token)
    before = _statuses(uow, world, ad_id)
    assert set(before.values()) == {"ENABLE"}

    for wanted, flashed in (("DISABLE", "Paused."), ("ENABLE", "Enabled.")):
        csrf = csrf_of(client.get("/ads/campaigns").text)
        answer = client.post(
            f"/ads/{level}/{object_id}/status",
            data={"csrf_token": csrf, "operation_status": wanted},
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text
        assert answer.headers["location"] == f"/ads/campaigns#{level}"
        assert _statuses(uow, world, ad_id) == before | {level: wanted}
        assert flashed in client.get("/ads/campaigns").text


def test_an_unknown_level_is_refused_on_the_campaigns_page(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    created = create_ad(client, world)
    ad_id = created["data"]["ad_ids"][0]
    sign_in(client, world.brand.token)
    csrf = csrf_of(client.get("/ads/campaigns").text)

    answer = client.post(
        f"/ads/creatives/{world.campaign_id}/status",
        data={"csrf_token": csrf, "operation_status": "DISABLE"},
        follow_redirects=False,
    )

    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/ads/campaigns"
    assert 'data-error-code="object_not_found"' in client.get("/ads/campaigns").text
    assert set(_statuses(uow, world, ad_id).values()) == {"ENABLE"}
