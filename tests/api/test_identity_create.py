"""identity/create/: CUSTOMIZED_USER identities are the ad account's own, listed by identity/get/
with no type or that type, never with another's."""

from __future__ import annotations

from fastapi.testclient import TestClient

from factories import advertiser, open_api_get, open_api_post, spark_world
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


def test_a_custom_identity_is_created_listed_and_kept_to_its_ad_account(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    brand = world.brand

    made = open_api_post(
        client, brand, "identity/create/", advertiser_id=brand.id, display_name="Brand voice",
        image_uri="ad-image-1",
    )  # fmt: skip

    assert made["code"] == 0, made
    identity_id = made["data"]["identity_id"]
    custom = open_api_get(
        client, brand, "identity/get/", advertiser_id=brand.id, identity_type="CUSTOMIZED_USER"
    )
    assert [(i["identity_id"], i["display_name"], i["profile_image"]) for i in
            custom["data"]["identity_list"]] == [(identity_id, "Brand voice", "ad-image-1")]  # fmt: skip
    everything = open_api_get(client, brand, "identity/get/", advertiser_id=brand.id)
    types = [i["identity_type"] for i in everything["data"]["identity_list"]]
    assert types == ["AUTH_CODE", "CUSTOMIZED_USER"]
    assert everything["data"]["page_info"]["total_number"] == 2
    creators_only = open_api_get(
        client, brand, "identity/get/", advertiser_id=brand.id, identity_type="AUTH_CODE"
    )
    assert [i["identity_type"] for i in creators_only["data"]["identity_list"]] == ["AUTH_CODE"]
    stranger = advertiser(uow, clock, name="Stranger")
    theirs = open_api_get(
        client,
        stranger,
        "identity/get/",
        advertiser_id=stranger.id,
        identity_type="CUSTOMIZED_USER",
    )
    assert theirs["data"]["identity_list"] == []
    refused = open_api_post(
        client, stranger, "identity/create/", advertiser_id=brand.id, display_name="Not mine"
    )
    assert refused["code"] == 40001
    empty = open_api_post(
        client, brand, "identity/create/", advertiser_id=brand.id, display_name=""
    )
    assert empty["code"] == 40002
    long = open_api_post(
        client, brand, "identity/create/", advertiser_id=brand.id, display_name="x" * 101
    )
    assert long["code"] == 40002
