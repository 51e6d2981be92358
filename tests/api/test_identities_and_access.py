"""Identities (AUTH_CODE, TT_USER, BC_AUTH_TT) and account access requests (R6, R8, R11)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import zxingcpp
from fastapi.testclient import TestClient
from PIL import Image

from factories import (
    Account,
    advertiser,
    authorize_post,
    business_center,
    creator,
    open_api_get,
    open_api_post,
    publish,
)
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.posts import service as posts


@pytest.fixture
def bc(uow: UnitOfWork, clock: TestClock) -> Account:
    return business_center(uow, clock)


def _ask(client: TestClient, bc: Account, handle: str | None) -> dict:
    response = client.post("/api/v1/access-requests", json={"handle": handle}, headers=bc.bearer)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_auth_code_identity_lists_and_details_its_posts(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    who, brand = creator(uow, clock), advertiser(uow, clock)
    post = publish(client, who)
    code = authorize_post(client, who, post["item_id"])["auth_code"]
    open_api_post(client, brand, "tt_video/authorize/", advertiser_id=brand.id, auth_code=code)
    identities = open_api_get(
        client, brand, "identity/get/", advertiser_id=brand.id, identity_type="AUTH_CODE"
    )["data"]["identity_list"]
    assert [(i["identity_type"], i["display_name"]) for i in identities] == [
        ("AUTH_CODE", who.handle.title())
    ]
    ref = {
        "advertiser_id": brand.id,
        "identity_type": "AUTH_CODE",
        "identity_id": identities[0]["identity_id"],
    }
    videos = open_api_get(client, brand, "identity/video/get/", **ref)["data"]
    assert [v["item_id"] for v in videos["video_list"]] == [post["item_id"]]
    assert videos["video_list"][0]["status"] == "ITEM_STATUS_HESITATE_RECOMMEND"
    one = open_api_get(client, brand, "identity/video/info/", item_id=post["item_id"], **ref)
    assert one["data"]["video_detail"]["auth_info"]["ad_auth_status"] == "AUTHORIZED"
    many = open_api_get(client, brand, "identity/video/info/", item_ids=[post["item_id"]], **ref)
    assert len(many["data"]["video_details"]) == 1


def test_identity_video_info_needs_exactly_one_item_reference(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)
    answer = open_api_get(
        client,
        brand,
        "identity/video/info/",
        advertiser_id=brand.id,
        identity_type="AUTH_CODE",
        identity_id="7000000000000000001",
    )
    assert answer["code"] == 40002


def test_bc_access_request_qr_decodes_to_the_link(
    client: TestClient, uow: UnitOfWork, clock: TestClock, bc: Account
) -> None:
    who = creator(uow, clock)
    request = _ask(client, bc, who.handle)
    png = client.get(f"/api/v1/access-requests/{request['request_id']}/qr.png", headers=bc.bearer)
    assert png.headers["content-type"] == "image/png"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    assert [d.text for d in decoded] == [request["link"]]
    svg = client.get(f"/api/v1/access-requests/{request['request_id']}/qr.svg", headers=bc.bearer)
    assert svg.text.lstrip().startswith("<?xml") or "<svg" in svg.text
    page = client.get(request["link"].removeprefix("http://testserver"))
    assert page.status_code == 200
    assert "asks for access" in page.text


def test_accepted_bc_access_yields_identity_with_posts(
    client: TestClient, uow: UnitOfWork, clock: TestClock, bc: Account
) -> None:
    who = creator(uow, clock)
    brand = advertiser(uow, clock, bc_id=bc.id)
    public = publish(client, who, caption="public one")
    request = _ask(client, bc, who.handle)
    pending = client.get("/api/v1/access-requests", headers=who.bearer).json()
    assert [(r["request_id"], r["status"]) for r in pending] == [(request["request_id"], "PENDING")]
    accepted = client.post(
        f"/api/v1/access-requests/{request['request_id']}/accept", headers=who.bearer
    ).json()
    assert accepted["status"] == "ACCEPTED"
    listed = open_api_get(
        client,
        brand,
        "identity/get/",
        advertiser_id=brand.id,
        identity_type="BC_AUTH_TT",
        identity_authorized_bc_id=bc.id,
    )
    identity = listed["data"]["identity_list"][0]
    assert identity["identity_authorized_bc_id"] == bc.id
    assert identity["available_status"] == "AVAILABLE"
    videos = open_api_get(
        client,
        brand,
        "identity/video/get/",
        advertiser_id=brand.id,
        identity_type="BC_AUTH_TT",
        identity_id=identity["identity_id"],
        identity_authorized_bc_id=bc.id,
    )
    assert [v["item_id"] for v in videos["data"]["video_list"]] == [public["item_id"]]


def test_bc_auth_tt_listing_requires_the_bc_id(
    client: TestClient, uow: UnitOfWork, clock: TestClock, bc: Account
) -> None:
    brand = advertiser(uow, clock, bc_id=bc.id)
    answer = open_api_get(
        client, brand, "identity/get/", advertiser_id=brand.id, identity_type="BC_AUTH_TT"
    )
    assert answer["code"] == 40002
    assert "identity_authorized_bc_id" in answer["message"]


def test_advertiser_outside_the_bc_does_not_see_its_accounts(
    client: TestClient, uow: UnitOfWork, clock: TestClock, bc: Account
) -> None:
    who, outsider = creator(uow, clock), advertiser(uow, clock)
    request = _ask(client, bc, who.handle)
    client.post(f"/api/v1/access-requests/{request['request_id']}/accept", headers=who.bearer)
    listed = open_api_get(client, outsider, "identity/get/", advertiser_id=outsider.id)
    assert listed["data"]["identity_list"] == []


def test_rejected_request_grants_nothing(
    client: TestClient, uow: UnitOfWork, clock: TestClock, bc: Account
) -> None:
    who, brand = creator(uow, clock), advertiser(uow, clock, bc_id=bc.id)
    request = _ask(client, bc, who.handle)
    rejected = client.post(
        f"/api/v1/access-requests/{request['request_id']}/reject", headers=who.bearer
    )
    assert rejected.json()["status"] == "REJECTED"
    again = client.post(
        f"/api/v1/access-requests/{request['request_id']}/accept", headers=who.bearer
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "access_request_closed"
    assert (
        open_api_get(client, brand, "identity/get/", advertiser_id=brand.id)["data"][
            "identity_list"
        ]
        == []
    )


@pytest.mark.parametrize("ender", ["creator", "bc"])
def test_either_side_can_end_access(
    client: TestClient, uow: UnitOfWork, clock: TestClock, bc: Account, ender: str
) -> None:
    who, brand = creator(uow, clock), advertiser(uow, clock, bc_id=bc.id)
    request = _ask(client, bc, who.handle)
    client.post(f"/api/v1/access-requests/{request['request_id']}/accept", headers=who.bearer)
    token = who.bearer if ender == "creator" else bc.bearer
    ended = client.post(f"/api/v1/access-requests/{request['request_id']}/end", headers=token)
    assert ended.json()["status"] == "ENDED"
    identity = open_api_get(
        client,
        brand,
        "identity/get/",
        advertiser_id=brand.id,
        identity_type="BC_AUTH_TT",
        identity_authorized_bc_id=bc.id,
    )["data"]["identity_list"][0]
    assert identity["available_status"] == "NO_VALID_BIND_ACCOUNT"
    videos = open_api_get(
        client,
        brand,
        "identity/video/get/",
        advertiser_id=brand.id,
        identity_type="BC_AUTH_TT",
        identity_id=identity["identity_id"],
        identity_authorized_bc_id=bc.id,
    )
    assert videos["data"]["error"]["reason"] == "identity_unavailable"


def test_another_creator_cannot_answer_a_request(
    client: TestClient, uow: UnitOfWork, clock: TestClock, bc: Account
) -> None:
    target, intruder = creator(uow, clock), creator(uow, clock)
    request = _ask(client, bc, target.handle)
    response = client.post(
        f"/api/v1/access-requests/{request['request_id']}/accept", headers=intruder.bearer
    )
    assert response.status_code == 404


def test_open_invitation_link_from_the_v13_endpoint(
    client: TestClient, uow: UnitOfWork, clock: TestClock, bc: Account
) -> None:
    who, brand = creator(uow, clock), advertiser(uow, clock, bc_id=bc.id)
    answer = open_api_get(client, bc, "bc/asset/account/authorization/", bc_id=bc.id)
    link = answer["data"]["bc_auth_qr_code"]
    request_id = link.rsplit("/", 1)[-1]
    client.post(f"/api/v1/access-requests/{request_id}/accept", headers=who.bearer)
    listed = open_api_get(
        client,
        brand,
        "identity/get/",
        advertiser_id=brand.id,
        identity_type="BC_AUTH_TT",
        identity_authorized_bc_id=bc.id,
    )
    assert listed["data"]["identity_list"][0]["user_name"] == who.handle


def test_bc_get_returns_own_business_center_only(
    client: TestClient, uow: UnitOfWork, clock: TestClock, bc: Account
) -> None:
    answer = open_api_get(client, bc, "bc/get/")
    assert answer["data"]["list"][0]["bc_info"]["bc_id"] == bc.id
    other = business_center(uow, clock, name="Other")
    assert open_api_get(client, bc, "bc/get/", bc_id=other.id)["code"] == 40001


def test_linked_own_account_is_a_tt_user_identity(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand, account = advertiser(uow, clock), creator(uow, clock, "brand.official")
    private = publish(client, account, caption="teaser", visibility="PRIVATE")
    ads_only = publish(client, account, caption="ad cut", ads_only=True)
    link = client.post(
        f"/api/v1/advertisers/{brand.id}/tiktok-accounts",
        json={"handle": account.handle},
        headers=brand.bearer,
    )
    assert link.status_code == 201
    client.post(
        f"/api/v1/access-requests/{link.json()['request_id']}/accept", headers=account.bearer
    )
    identity = open_api_get(
        client, brand, "identity/get/", advertiser_id=brand.id, identity_type="TT_USER"
    )["data"]["identity_list"][0]
    assert identity["can_push_video"] is True
    ref = {
        "advertiser_id": brand.id,
        "identity_type": "TT_USER",
        "identity_id": identity["identity_id"],
    }
    every = open_api_get(client, brand, "identity/video/get/", **ref)["data"]["video_list"]
    assert {v["item_id"] for v in every} == {private["item_id"], ads_only["item_id"]}
    organic = open_api_get(client, brand, "identity/video/get/", exclude_adsonly=True, **ref)[
        "data"
    ]["video_list"]
    assert [v["item_id"] for v in organic] == [private["item_id"]]
    keyword = open_api_get(client, brand, "identity/video/get/", keyword="teaser", **ref)
    assert keyword["data"]["error"]["reason"] == "keyword_not_supported"


def test_identity_video_get_pages_with_cursor(
    client: TestClient, uow: UnitOfWork, clock: TestClock, bc: Account
) -> None:
    who, brand = creator(uow, clock), advertiser(uow, clock, bc_id=bc.id)
    for n in range(3):
        publish(client, who, caption=f"post {n}")
        clock.advance(timedelta(seconds=5))
    request = _ask(client, bc, who.handle)
    client.post(f"/api/v1/access-requests/{request['request_id']}/accept", headers=who.bearer)
    identity_id = open_api_get(
        client,
        brand,
        "identity/get/",
        advertiser_id=brand.id,
        identity_type="BC_AUTH_TT",
        identity_authorized_bc_id=bc.id,
    )["data"]["identity_list"][0]["identity_id"]
    ref = {
        "advertiser_id": brand.id,
        "identity_type": "BC_AUTH_TT",
        "identity_id": identity_id,
        "identity_authorized_bc_id": bc.id,
    }
    first = open_api_get(client, brand, "identity/video/get/", count=2, **ref)["data"]
    assert [v["text"] for v in first["video_list"]] == ["post 2", "post 1"]
    assert first["has_more"] is True
    rest = open_api_get(
        client, brand, "identity/video/get/", count=2, cursor=first["cursor"], **ref
    )["data"]
    assert [v["text"] for v in rest["video_list"]] == ["post 0"]
    assert rest["has_more"] is False


def test_promoting_a_private_own_post_makes_it_public_with_history(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    account = creator(uow, clock)
    private = publish(client, account, visibility="PRIVATE")
    ads_only = publish(client, account, visibility="PRIVATE", ads_only=True)
    post = posts.get_post(uow.session, private["item_id"])
    assert posts.make_public_for_promotion(uow.session, clock, post, ad_ref="ad-1") is True
    hidden = posts.get_post(uow.session, ads_only["item_id"])
    assert posts.make_public_for_promotion(uow.session, clock, hidden, ad_ref="ad-2") is False
    uow.commit()
    history = client.get(
        f"/api/v1/posts/{private['item_id']}/history", headers=account.bearer
    ).json()
    assert history[-1]["kind"] == "visibility_changed"
    assert history[-1]["detail"] == {
        "before": "PRIVATE",
        "after": "PUBLIC",
        "by": "promotion",
        "ad": "ad-1",
    }
    assert (
        client.get(f"/api/v1/posts/{ads_only['item_id']}", headers=account.bearer).json()[
            "visibility"
        ]
        == "PRIVATE"
    )


def test_own_account_posts_published_in_the_same_instant_are_all_paged(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    from sparkads.accounts.models import Advertiser
    from sparkads.authorizations import access

    brand, own = advertiser(uow, clock), creator(uow, clock, handle="brand.own")
    request = access.request_account_link(
        uow.session, clock, advertiser=uow.session.get_one(Advertiser, brand.id), handle="brand.own"
    )
    access.accept(uow.session, clock, creator_id=own.id, request_id=request.request_id)
    uow.commit()
    published = {publish(client, own, caption=f"Same instant {n}")["item_id"] for n in range(5)}
    [identity] = open_api_get(
        client, brand, "identity/get/", advertiser_id=brand.id, identity_type="TT_USER"
    )["data"]["identity_list"]
    ref = {"advertiser_id": brand.id, "identity_type": "TT_USER",
           "identity_id": identity["identity_id"], "count": 2}  # fmt: skip

    seen: list[str] = []
    cursor = None
    for _ in range(5):
        page = open_api_get(
            client, brand, "identity/video/get/", **ref, **({"cursor": cursor} if cursor else {})
        )["data"]
        seen += [video["item_id"] for video in page["video_list"]]
        cursor = page["cursor"]
        if not page["has_more"]:
            break

    assert sorted(seen) == sorted(published)
    assert len(seen) == 5
