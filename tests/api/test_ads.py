"""ad/*: Spark ads as post references, warnings, automatic stop and recovery (R1, R6–R8, R15, R16)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from factories import (
    Account,
    SparkWorld,
    adgroup_body,
    advance,
    advertiser,
    authorize_post,
    campaign_body,
    create_ad,
    creative,
    creator,
    get_ad,
    open_api_get,
    open_api_post,
    publish,
    spark_world,
)
from factories.media import mp4
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


def _reason(answer: dict[str, Any]) -> str:
    return str(answer["data"]["error"]["reason"])


def _warning_codes(answer: dict[str, Any]) -> list[str]:
    return [w["code"] for w in answer["data"]["creatives"][0]["warnings"]]


def test_spark_ad_reads_back_as_a_post_reference(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock, days=365)
    created = create_ad(client, world, ad_name="Crêpes spark")
    assert created["code"] == 0, created
    ad = get_ad(client, world, created["data"]["ad_ids"][0])
    assert (ad["tiktok_item_id"], ad["identity_id"], ad["identity_type"]) == (
        world.post["item_id"],
        world.identity_id,
        "AUTH_CODE",
    )
    assert (ad["ad_name"], ad["call_to_action"], ad["ad_format"]) == (
        "Crêpes spark",
        "SHOP_NOW",
        "SINGLE_VIDEO",
    )
    assert ad["ad_text"] == world.post["caption"]
    assert ad["secondary_status"] == "AD_STATUS_DELIVERY_OK"
    assert ad["delivery_issue"] is None


def test_good_post_gets_no_warning_and_weak_one_gets_all(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    end = {
        "schedule_type": "SCHEDULE_START_END",
        "schedule_start_time": "2026-11-02 10:00:00",
        "schedule_end_time": "2026-11-20 00:00:00",
    }
    good = spark_world(client, uow, clock, days=30, adgroup_fields=end)
    assert _warning_codes(create_ad(client, good)) == []
    weak = spark_world(
        client,
        uow,
        clock,
        days=7,
        adgroup_fields=end,
        post_fields={
            "duration": 42.0,
            "music": {"title": "Chart hit", "cleared_for_commercial_use": False},
        },
    )
    answer = create_ad(client, weak)
    assert answer["code"] == 0
    assert _warning_codes(answer) == [
        "duration_outside_best_practice",
        "music_not_cleared",
        "authorization_ends_before_schedule",
    ]
    kept = get_ad(client, weak, answer["data"]["ad_ids"][0])["warnings"]
    assert kept[0]["solution"]
    assert set(kept[0]) == {"code", "message", "cause", "solution"}  # no "fr" key beside
    french = open_api_get(
        client, weak.brand, "ad/get/", headers={"Accept-Language": "fr"},
        advertiser_id=weak.brand.id, filtering={"ad_ids": answer["data"]["ad_ids"]},
    )  # fmt: skip
    assert french["data"]["list"][0]["warnings"][0]["message"].startswith("La publication dure 42")


def test_expiry_stops_the_ad_and_a_new_code_restores_it(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock, days=7)
    ad_id = create_ad(client, world)["data"]["ad_ids"][0]
    advance(client, days=7)
    stopped = get_ad(client, world, ad_id)
    assert stopped["secondary_status"] == "AD_STATUS_ASSET_AUTHORIZATION_LOST"
    assert stopped["delivery_issue"]["reason"] == "auth_code_expired"
    assert stopped["operation_status"] == "ENABLE"
    renewed = authorize_post(client, world.author, world.post["item_id"], days=30)["auth_code"]
    open_api_post(
        client, world.brand, "tt_video/authorize/", advertiser_id=world.brand.id, auth_code=renewed
    )
    assert get_ad(client, world, ad_id)["secondary_status"] == "AD_STATUS_DELIVERY_OK"


def test_revocation_stops_the_ad(client: TestClient, uow: UnitOfWork, clock: TestClock) -> None:
    world = spark_world(client, uow, clock)
    ad_id = create_ad(client, world)["data"]["ad_ids"][0]
    client.delete(f"/api/v1/authorizations/{world.code}", headers=world.author.bearer)
    ad = get_ad(client, world, ad_id)
    assert ad["secondary_status"] == "AD_STATUS_ASSET_AUTHORIZATION_LOST"
    assert ad["delivery_issue"]["reason"] == "auth_code_revoked"


def test_post_deletion_stops_the_ad(client: TestClient, uow: UnitOfWork, clock: TestClock) -> None:
    world = spark_world(client, uow, clock)
    ad_id = create_ad(client, world)["data"]["ad_ids"][0]
    client.delete(f"/api/v1/posts/{world.post['item_id']}", headers=world.author.bearer)
    ad = get_ad(client, world, ad_id)
    assert ad["secondary_status"] == "AD_STATUS_ASSET_AUTHORIZATION_LOST"
    assert ad["delivery_issue"]["reason"] == "video_unavailable"
    filtered = open_api_get(
        client,
        world.brand,
        "ad/get/",
        advertiser_id=world.brand.id,
        filtering={"primary_status": "STATUS_NOT_DELIVERY"},
    )
    assert [a["ad_id"] for a in filtered["data"]["list"]] == [ad_id]


def test_ad_on_expired_code_is_refused_with_r15_error(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock, days=7)
    advance(client, days=8)
    assert _reason(create_ad(client, world)) == "auth_code_expired"


def test_post_outside_the_library_is_not_authorized(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    stranger_post = publish(client, creator(uow, clock))
    answer = open_api_post(
        client,
        world.brand,
        "ad/create/",
        advertiser_id=world.brand.id,
        adgroup_id=world.adgroup_id,
        creatives=[creative(world.identity_id, stranger_post["item_id"])],
    )
    assert _reason(answer) == "post_not_authorized"


def test_carousel_post_needs_carousel_format(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock, post_fields={"item_type": "CAROUSEL"})
    assert _reason(create_ad(client, world)) == "ad_format_mismatch"
    assert create_ad(client, world, ad_format="CAROUSEL_ADS")["code"] == 0


def test_landing_page_and_call_to_action_are_validated(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    assert _reason(create_ad(client, world, landing_page_url="brand.example.com")) == (
        "landing_page_invalid"
    )
    assert _reason(create_ad(client, world, landing_page_url=None)) == "landing_page_invalid"
    assert "call_to_action" in create_ad(client, world, call_to_action="BUY_IT")["message"]
    assert _reason(create_ad(client, world, image_ids=["img1"])) == "field_not_supported"


def test_ad_update_changes_and_revalidates(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    ad_id = create_ad(client, world)["data"]["ad_ids"][0]

    def update(**fields: Any) -> dict[str, Any]:
        return open_api_post(
            client,
            world.brand,
            "ad/update/",
            advertiser_id=world.brand.id,
            adgroup_id=world.adgroup_id,
            patch_update=True,
            creatives=[{"ad_id": ad_id, **fields}],
        )

    changed = update(call_to_action="LEARN_MORE", ad_name="v2")
    assert changed["data"]["creatives"][0]["call_to_action"] == "LEARN_MORE"
    assert get_ad(client, world, ad_id)["ad_name"] == "v2"
    assert _reason(update(landing_page_url="ftp://x")) == "landing_page_invalid"


def test_too_many_creatives_in_one_call(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    answer = open_api_post(
        client,
        world.brand,
        "ad/create/",
        advertiser_id=world.brand.id,
        adgroup_id=world.adgroup_id,
        creatives=[creative(world.identity_id, world.post["item_id"])] * 21,
    )
    assert answer["code"] == 40011


def _own_account(client: TestClient, uow: UnitOfWork, clock: TestClock) -> tuple[SparkWorld, str]:
    """A world whose advertiser also linked its own TikTok account (TT_USER identity)."""
    world = spark_world(client, uow, clock)
    account = creator(uow, clock)
    world.author = account
    link = client.post(
        f"/api/v1/advertisers/{world.brand.id}/tiktok-accounts",
        json={"handle": account.handle},
        headers=world.brand.bearer,
    ).json()
    client.post(f"/api/v1/access-requests/{link['request_id']}/accept", headers=account.bearer)
    identity = open_api_get(
        client, world.brand, "identity/get/", advertiser_id=world.brand.id, identity_type="TT_USER"
    )["data"]["identity_list"][0]["identity_id"]
    return world, str(identity)


def test_private_own_post_becomes_public_at_launch(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world, identity = _own_account(client, uow, clock)
    private = publish(client, world.author, visibility="PRIVATE", caption="teaser")
    answer = open_api_post(
        client,
        world.brand,
        "ad/create/",
        advertiser_id=world.brand.id,
        adgroup_id=world.adgroup_id,
        creatives=[creative(identity, private["item_id"], identity_type="TT_USER")],
    )
    assert answer["code"] == 0, answer
    post = client.get(f"/api/v1/posts/{private['item_id']}", headers=world.author.bearer).json()
    assert (post["visibility"], post["caption_locked"]) == ("PUBLIC", True)
    history = client.get(
        f"/api/v1/posts/{private['item_id']}/history", headers=world.author.bearer
    ).json()
    promoted = [h for h in history if h["kind"] == "visibility_changed"]
    assert promoted[-1]["detail"]["by"] == "promotion"
    assert promoted[-1]["detail"]["after"] == "PUBLIC"


def test_push_flow_publishes_an_ads_only_post(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world, identity = _own_account(client, uow, clock)
    uploaded = client.post(
        "/open_api/v1.3/file/video/ad/upload/",
        headers=world.brand.access,
        data={"advertiser_id": world.brand.id},
        files={"video_file": ("spring.mp4", mp4(11.0), "video/mp4")},
    ).json()
    assert uploaded["code"] == 0, uploaded
    assert uploaded["data"]["duration"] == 11.0
    answer = open_api_post(
        client,
        world.brand,
        "ad/create/",
        advertiser_id=world.brand.id,
        adgroup_id=world.adgroup_id,
        creatives=[
            creative(
                identity,
                "",
                identity_type="TT_USER",
                tiktok_item_id=None,
                video_id=uploaded["data"]["video_id"],
                ad_text="Spring is here",
            )
        ],
    )
    assert answer["code"] == 0, answer
    ad = answer["data"]["creatives"][0]
    assert ad["dark_post_status"] == "ON"
    posts = client.get("/api/v1/posts", headers=world.author.bearer).json()["posts"]
    assert [(p["caption"], p["ads_only"], p["duration"]) for p in posts] == [
        ("Spring is here", True, 11.0)
    ]
    organic = open_api_get(
        client,
        world.brand,
        "identity/video/get/",
        advertiser_id=world.brand.id,
        identity_type="TT_USER",
        identity_id=identity,
        exclude_adsonly=True,
    )
    assert organic["data"]["video_list"] == []


def test_push_flow_needs_an_own_account(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    answer = create_ad(
        client, world, tiktok_item_id=None, video_id="7000000000000000001", ad_text="x"
    )
    assert _reason(answer) == "push_needs_own_account"


def test_upload_refuses_files_that_are_not_videos(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)
    answer = client.post(
        "/open_api/v1.3/file/video/ad/upload/",
        headers=brand.access,
        data={"advertiser_id": brand.id},
        files={"video_file": ("notes.txt", b"hello", "text/plain")},
    ).json()
    assert answer["data"]["error"]["reason"] == "video_file_invalid"


def test_bc_identity_needs_its_bc_id(client: TestClient, uow: UnitOfWork, clock: TestClock) -> None:
    world = spark_world(client, uow, clock)
    answer = create_ad(client, world, identity_type="BC_AUTH_TT")
    assert "identity_authorized_bc_id" in answer["message"]


def test_ad_in_another_advertisers_adgroup_is_refused(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    other: Account = advertiser(uow, clock)
    campaign_id = open_api_post(client, other, "campaign/create/", **campaign_body(other))["data"][
        "campaign_id"
    ]
    open_api_post(client, other, "adgroup/create/", **adgroup_body(other, campaign_id))
    answer = open_api_post(
        client,
        other,
        "ad/create/",
        advertiser_id=other.id,
        adgroup_id=world.adgroup_id,
        creatives=[creative(world.identity_id, world.post["item_id"])],
    )
    assert answer["code"] == 40007
