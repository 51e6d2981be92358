"""bc/asset/get, bc/asset/admin/get, bc/asset/assign, bc/member/get: a Business Center's ad
accounts and creator accounts, its members (its tokens) and what is shared with whom."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from factories import advertiser, business_center, creator, open_api_get, open_api_post
from sparkads.accounts.models import TokenScope
from sparkads.accounts.service import issue_token
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


def test_assets_members_and_assignment(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    bc = business_center(uow, clock, name="Agency")
    brand = advertiser(uow, clock, bc_id=bc.id, name="Client FR")
    advertiser(uow, clock, name="Elsewhere")
    issue_token(
        uow.session, clock, scope=TokenScope.BUSINESS_CENTER, subject_id=bc.id, label="Analyst"
    )
    uow.commit()
    who = creator(uow, clock)
    request = client.post("/api/v1/access-requests", json={"handle": who.handle}, headers=bc.bearer)
    accepted = client.post(
        f"/api/v1/access-requests/{request.json()['request_id']}/accept", headers=who.bearer
    )
    assert accepted.status_code == 200, accepted.text

    def get(path: str, **query: Any) -> dict[str, Any]:
        answer = open_api_get(client, bc, path, bc_id=bc.id, **query)
        assert answer["code"] == 0, answer
        return dict(answer["data"])

    ads = get("bc/asset/get/", asset_type="ADVERTISER")["list"]
    assert [(a["asset_id"], a["asset_name"], a["relation_type"]) for a in ads] == [
        (brand.id, "Client FR", "OWNER_BC")
    ]
    accounts = get("bc/asset/admin/get/", asset_type="TT_ACCOUNT")["list"]
    assert [(a["asset_name"], a["relation_status"]) for a in accounts] == [(who.handle, "BOUND")]
    assert get("bc/asset/get/", asset_type="CATALOG")["list"] == []
    members = get("bc/member/get/")["list"]
    assert len(members) == 2
    assert {m["user_role"] for m in members} == {"ADMIN"}
    analyst = next(m for m in members if m["user_name"] == "Analyst")
    assert get("bc/member/get/", filtering={"keyword": "analyst"})["list"] == [analyst]

    assigned = open_api_post(
        client, bc, "bc/asset/assign/", bc_id=bc.id, user_id=analyst["user_id"],
        asset_type="ADVERTISER", asset_id=brand.id, advertiser_role="ANALYST",
    )  # fmt: skip
    assert assigned == {**assigned, "code": 0, "data": {}}
    shared = get(
        "bc/asset/get/", asset_type="ADVERTISER", filtering={"user_id": analyst["user_id"]}
    )
    assert [(a["asset_id"], a["advertiser_role"]) for a in shared["list"]] == [
        (brand.id, "ANALYST")
    ]
    tt = open_api_post(
        client, bc, "bc/asset/assign/", bc_id=bc.id, user_id=analyst["user_id"],
        asset_type="TT_ACCOUNT", asset_id=accounts[0]["asset_id"], tt_account_roles=["POST", "LIVE"],
    )  # fmt: skip
    assert tt["code"] == 0
    mine = get("bc/asset/get/", asset_type="TT_ACCOUNT", filtering={"user_id": analyst["user_id"]})
    assert mine["list"][0]["tt_account_roles"] == ["POST", "LIVE"]
    who_has = get("bc/asset/member/get/", asset_type="ADVERTISER", asset_id=brand.id)["list"]
    assert [(m["user_id"], m["advertiser_role"]) for m in who_has] == [
        (analyst["user_id"], "ANALYST")
    ]
    unassigned = open_api_post(
        client, bc, "bc/asset/unassign/", bc_id=bc.id, user_id=analyst["user_id"],
        asset_type="ADVERTISER", asset_id=brand.id,
    )  # fmt: skip
    assert unassigned["code"] == 0
    assert get("bc/asset/member/get/", asset_type="ADVERTISER", asset_id=brand.id)["list"] == []
    again = open_api_post(
        client, bc, "bc/asset/unassign/", bc_id=bc.id, user_id=analyst["user_id"],
        asset_type="ADVERTISER", asset_id=brand.id,
    )  # fmt: skip
    assert (again["code"], again["data"]["error"]["reason"]) == (40002, "invalid_parameter")


def test_bad_assignments_keep_tiktok_codes(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    bc, other = business_center(uow, clock), business_center(uow, clock, name="Other")
    brand = advertiser(uow, clock, bc_id=bc.id)
    outsider = advertiser(uow, clock, bc_id=other.id)
    member = open_api_get(client, bc, "bc/member/get/", bc_id=bc.id)["data"]["list"][0]

    def assign(**body: Any) -> dict[str, Any]:
        base = {"bc_id": bc.id, "user_id": member["user_id"], "asset_type": "ADVERTISER"}
        return open_api_post(client, bc, "bc/asset/assign/", **{**base, **body})

    assert assign(asset_id=outsider.id, advertiser_role="ADMIN")["code"] == 40001
    bad_role = assign(asset_id=brand.id, advertiser_role="OWNER")
    assert (bad_role["code"], bad_role["data"]["error"]["reason"]) == (40002, "invalid_parameter")
    assert assign(asset_id=brand.id, advertiser_role="ADMIN", user_id="123")["code"] == 40002
    assert assign(asset_id=brand.id, advertiser_role="ADMIN", asset_type="PIXEL")["code"] == 40002
    foreign = open_api_get(client, bc, "bc/asset/get/", bc_id=other.id, asset_type="ADVERTISER")
    assert foreign["code"] == 40001
    assert open_api_get(client, bc, "bc/asset/get/", bc_id=bc.id, asset_type="X")["code"] == 40002


def test_listings_filter_by_keyword_and_by_value(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    bc = business_center(uow, clock, name="Agency")
    brand = advertiser(uow, clock, bc_id=bc.id, name="Client FR")
    advertiser(uow, clock, bc_id=bc.id, name="Client DE")
    issue_token(
        uow.session, clock, scope=TokenScope.BUSINESS_CENTER, subject_id=bc.id, label="Analyst"
    )
    uow.commit()

    def listed(path: str, **query: Any) -> list[dict[str, Any]]:
        answer = open_api_get(client, bc, path, bc_id=bc.id, **query)
        assert answer["code"] == 0, answer
        return list(answer["data"]["list"])

    def names(filtering: dict[str, object]) -> list[str]:
        found = listed("bc/asset/get/", asset_type="ADVERTISER", filtering=filtering)
        return sorted(a["asset_name"] for a in found)

    assert names({}) == ["Client DE", "Client FR"]
    assert names({"keyword": "client fr"}) == ["Client FR"]  # any case
    assert names({"keyword": brand.id}) == ["Client FR"]  # the id too
    assert names({"relation_type": "OWNER_BC"}) == ["Client DE", "Client FR"]
    assert names({"relation_type": "CHILD_BC"}) == []
    assert names({"keyword": "client", "relation_status": "NOT_A_STATUS"}) == []

    members = listed("bc/member/get/")
    analyst = next(m for m in members if m["user_name"] == "Analyst")
    assert listed("bc/member/get/", filtering={"keyword": analyst["user_id"]}) == [analyst]
    assert listed("bc/member/get/", filtering={"user_role": "ADMIN"}) == members
    assert listed("bc/member/get/", filtering={"user_role": "OPERATOR"}) == []
    status = analyst["relation_status"]
    assert analyst in listed("bc/member/get/", filtering={"relation_status": status})
    assert listed("bc/member/get/", filtering={"relation_status": "NOT_A_STATUS"}) == []

    assigned = open_api_post(
        client, bc, "bc/asset/assign/", bc_id=bc.id, user_id=analyst["user_id"],
        asset_type="ADVERTISER", asset_id=brand.id, advertiser_role="ANALYST",
    )  # fmt: skip
    assert assigned["code"] == 0

    def sharing(keyword: str) -> list[str]:
        found = listed(
            "bc/asset/member/get/", asset_type="ADVERTISER", asset_id=brand.id,
            filtering={"keyword": keyword},
        )  # fmt: skip
        return [m["user_id"] for m in found]

    assert sharing("ANALYST") == [analyst["user_id"]]
    assert sharing("someone else") == []
