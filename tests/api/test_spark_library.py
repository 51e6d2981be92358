"""Creator → Spark code → advertiser's creative library, through both APIs (R7, R9, R10, R15)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from factories import (
    Account,
    advance,
    advertiser,
    authorize_post,
    creator,
    open_api_get,
    open_api_post,
    publish,
)
from sparkads.authorizations import codes
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


@pytest.fixture
def lea(uow: UnitOfWork, clock: TestClock) -> Account:
    return creator(uow, clock, "lea.cooks")


@pytest.fixture
def brand(uow: UnitOfWork, clock: TestClock) -> Account:
    return advertiser(uow, clock)


def _apply(client: TestClient, brand: Account, code: str, **extra: str) -> dict:
    return open_api_post(
        client, brand, "tt_video/authorize/", advertiser_id=brand.id, auth_code=code, **extra
    )


def _rfc3339(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_applied_code_shows_post_identity_and_window(
    client: TestClient, lea: Account, brand: Account
) -> None:
    post = publish(client, lea)
    code = authorize_post(client, lea, post["item_id"], days=30)["auth_code"]
    assert _apply(client, brand, code) | {"request_id": ""} == {
        "code": 0,
        "message": "OK",
        "request_id": "",
        "data": {},
    }
    info = open_api_get(client, brand, "tt_video/info/", advertiser_id=brand.id, auth_code=code)
    assert info["code"] == 0
    data = info["data"]
    assert data["item_info"]["item_id"] == post["item_id"]
    assert data["item_info"]["text"] == post["caption"]
    assert data["user_info"]["identity_type"] == "AUTH_CODE"
    assert data["user_info"]["tiktok_name"] == "Lea.Cooks"
    window = _rfc3339(data["auth_info"]["auth_end_time"]) - _rfc3339(
        data["auth_info"]["auth_start_time"]
    )
    assert window == timedelta(days=30)
    assert data["auth_info"]["ad_auth_status"] == "AUTHORIZED"
    assert data["video_info"]["duration"] == 12.0


def test_library_list_finds_post_by_keyword_and_item_id(
    client: TestClient, lea: Account, brand: Account
) -> None:
    post = publish(client, lea, caption="Crêpes in 12 seconds #recipe")
    other = publish(client, lea, caption="Knife review")
    for item in (post, other):
        _apply(client, brand, authorize_post(client, lea, item["item_id"])["auth_code"])

    def listed(**params: object) -> list[str]:
        page = open_api_get(client, brand, "tt_video/list/", advertiser_id=brand.id, **params)
        return [row["item_info"]["item_id"] for row in page["data"]["list"]]

    assert listed(keyword="crêpes") == [post["item_id"]]
    assert listed(keyword=other["item_id"]) == [other["item_id"]]
    assert set(listed()) == {post["item_id"], other["item_id"]}
    assert listed(item_types=["CAROUSEL"]) == []
    assert listed(keyword="pizza") == []


def test_library_list_paginates(client: TestClient, lea: Account, brand: Account) -> None:
    for n in range(3):
        post = publish(client, lea, caption=f"post {n}")
        _apply(client, brand, authorize_post(client, lea, post["item_id"])["auth_code"])
    page = open_api_get(
        client, brand, "tt_video/list/", advertiser_id=brand.id, page=2, page_size=2
    )
    assert len(page["data"]["list"]) == 1
    assert page["data"]["page_info"] == {
        "page": 2,
        "page_size": 2,
        "total_number": 3,
        "total_page": 2,
    }


@pytest.mark.parametrize("days", [7, 30, 60, 365])
def test_each_allowed_duration_issues_a_code(client: TestClient, lea: Account, days: int) -> None:
    post = publish(client, lea)
    created = authorize_post(client, lea, post["item_id"], days=days)
    assert codes.parse(created["auth_code"]) == created["auth_code"]
    ends, starts = _rfc3339(created["ends_at"]), _rfc3339(created["starts_at"])
    assert ends - starts == timedelta(days=days)


def test_fourteen_day_authorization_is_refused(client: TestClient, lea: Account) -> None:
    post = publish(client, lea)
    response = client.post(
        f"/api/v1/posts/{post['item_id']}/authorizations",
        json={"duration_days": 14},
        headers=lea.bearer,
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_authorization_duration"
    assert "7, 30, 60 or 365" in error["message"]
    assert error["solution"]


def test_caption_edit_allowed_before_and_refused_after_authorization(
    client: TestClient, lea: Account
) -> None:
    post = publish(client, lea)
    path = f"/api/v1/posts/{post['item_id']}"
    assert client.patch(path, json={"caption": "v2"}, headers=lea.bearer).json()["caption"] == "v2"
    authorize_post(client, lea, post["item_id"])
    refused = client.patch(path, json={"caption": "v3"}, headers=lea.bearer)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "caption_locked"
    assert client.get(path, headers=lea.bearer).json()["caption"] == "v2"
    assert (
        client.patch(path, json={"visibility": "FRIENDS"}, headers=lea.bearer).json()["visibility"]
        == "FRIENDS"
    )


def test_revoked_code_stops_working_and_shows_revoked(
    client: TestClient, lea: Account, brand: Account
) -> None:
    post = publish(client, lea)
    code = authorize_post(client, lea, post["item_id"])["auth_code"]
    _apply(client, brand, code)
    revoked = client.delete(f"/api/v1/authorizations/{code}", headers=lea.bearer)
    assert revoked.json()["status"] == "REVOKED"
    info = open_api_get(client, brand, "tt_video/info/", advertiser_id=brand.id, auth_code=code)
    assert info["data"]["auth_info"]["ad_auth_status"] == "REVOKED"
    again = _apply(client, brand, code)
    assert again["code"] == 40110
    assert again["message"].startswith("auth_code_revoked:")


def test_revoke_by_authorization_id(client: TestClient, lea: Account) -> None:
    post = publish(client, lea)
    created = authorize_post(client, lea, post["item_id"])
    response = client.delete(
        f"/api/v1/authorizations/{created['authorization_id']}", headers=lea.bearer
    )
    assert response.json()["status"] == "REVOKED"
    listed = client.get(f"/api/v1/posts/{post['item_id']}/authorizations", headers=lea.bearer)
    assert [a["status"] for a in listed.json()] == ["REVOKED"]
    assert "auth_code" not in listed.json()[0]


def test_creator_cannot_revoke_someone_elses_code(
    client: TestClient, lea: Account, uow: UnitOfWork, clock: TestClock
) -> None:
    post = publish(client, lea)
    code = authorize_post(client, lea, post["item_id"])["auth_code"]
    max_ = creator(uow, clock, "max.lifts")
    response = client.delete(f"/api/v1/authorizations/{code}", headers=max_.bearer)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "authorization_not_found"


def test_code_expires_with_the_sandbox_clock(
    client: TestClient, lea: Account, brand: Account
) -> None:
    post = publish(client, lea)
    code = authorize_post(client, lea, post["item_id"], days=7)["auth_code"]
    _apply(client, brand, code)
    advance(client, days=6, hours=23)
    info = open_api_get(client, brand, "tt_video/info/", advertiser_id=brand.id, auth_code=code)
    assert info["data"]["auth_info"]["ad_auth_status"] == "AUTHORIZED"
    advance(client, hours=1)
    info = open_api_get(client, brand, "tt_video/info/", advertiser_id=brand.id, auth_code=code)
    assert info["data"]["auth_info"]["ad_auth_status"] == "EXPIRED"


def test_renewing_with_a_new_code_restores_the_library_entry(
    client: TestClient, lea: Account, brand: Account
) -> None:
    post = publish(client, lea)
    _apply(client, brand, authorize_post(client, lea, post["item_id"], days=7)["auth_code"])
    advance(client, days=8)
    fresh = authorize_post(client, lea, post["item_id"], days=60)["auth_code"]
    assert _apply(client, brand, fresh)["code"] == 0
    rows = open_api_get(client, brand, "tt_video/list/", advertiser_id=brand.id)["data"]["list"]
    assert [r["auth_info"]["ad_auth_status"] for r in rows] == ["AUTHORIZED"]
    assert rows[0]["auth_info"]["authorization_days"] == 60


def test_unbind_removes_post_from_library(client: TestClient, lea: Account, brand: Account) -> None:
    post = publish(client, lea)
    _apply(client, brand, authorize_post(client, lea, post["item_id"])["auth_code"])
    unbound = open_api_post(
        client, brand, "tt_video/unbind/", advertiser_id=brand.id, item_id=post["item_id"]
    )
    assert unbound["code"] == 0
    rows = open_api_get(client, brand, "tt_video/list/", advertiser_id=brand.id)["data"]["list"]
    assert rows == []
    again = open_api_post(
        client, brand, "tt_video/unbind/", advertiser_id=brand.id, item_id=post["item_id"]
    )
    assert again["code"] == 40007


def test_info_before_applying_says_to_apply_first(
    client: TestClient, lea: Account, brand: Account
) -> None:
    post = publish(client, lea)
    code = authorize_post(client, lea, post["item_id"])["auth_code"]
    info = open_api_get(client, brand, "tt_video/info/", advertiser_id=brand.id, auth_code=code)
    assert info["code"] == 40007
    assert info["data"]["error"]["reason"] == "auth_code_not_applied"


def test_well_formed_unknown_code_is_not_found(client: TestClient, brand: Account) -> None:
    answer = _apply(client, brand, codes.generate())
    assert answer["code"] == 40110
    assert answer["data"]["error"]["reason"] == "auth_code_not_found"


def test_repeated_bad_codes_are_throttled(client: TestClient, brand: Account, lea: Account) -> None:
    for _ in range(5):  # settings fixture allows 5 failures per window
        assert _apply(client, brand, "SPK-not-a-code")["code"] == 40002
    throttled = _apply(client, brand, codes.generate())
    assert throttled["code"] == 40100
    assert throttled["data"]["error"]["reason"] == "too_many_failed_attempts"
    post = publish(client, lea)
    good = authorize_post(client, lea, post["item_id"])["auth_code"]
    assert _apply(client, brand, good)["code"] == 40100
    advance(client, minutes=11)
    assert _apply(client, brand, good)["code"] == 0


def test_failed_apply_writes_nothing(client: TestClient, lea: Account, brand: Account) -> None:
    post = publish(client, lea, visibility="PRIVATE")
    code = authorize_post(client, lea, post["item_id"])["auth_code"]
    assert _apply(client, brand, code)["code"] == 40002
    identities = open_api_get(client, brand, "identity/get/", advertiser_id=brand.id)
    assert identities["data"]["identity_list"] == []
