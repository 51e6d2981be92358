"""The v1.3 transport conventions and the native API's error shape."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from factories import advertiser, creator, open_api_get, operator, publish
from sparkads.api.app import create_app
from sparkads.clock import TestClock
from sparkads.config import Settings
from sparkads.db.unit_of_work import UnitOfWork


def test_missing_access_token_is_40104(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)
    answer = client.get("/open_api/v1.3/tt_video/list/", params={"advertiser_id": brand.id}).json()
    assert answer["code"] == 40104
    assert answer["data"]["error"]["reason"] == "access_token_missing"


def test_invalid_access_token_is_40105(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)
    answer = client.get(
        "/open_api/v1.3/tt_video/list/",
        params={"advertiser_id": brand.id},
        headers={"Access-Token": "adv_forged"},
    ).json()
    assert answer["code"] == 40105


def test_other_advertisers_id_is_40001(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    mine, theirs = advertiser(uow, clock), advertiser(uow, clock)
    answer = open_api_get(client, mine, "tt_video/list/", advertiser_id=theirs.id)
    assert answer["code"] == 40001
    unknown = open_api_get(client, mine, "tt_video/list/", advertiser_id="7000000000000000001")
    assert unknown["code"] == 40001


def test_business_center_token_acts_for_its_advertisers(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    from factories import business_center

    bc = business_center(uow, clock)
    child, outsider = advertiser(uow, clock, bc_id=bc.id), advertiser(uow, clock)
    assert open_api_get(client, bc, "tt_video/list/", advertiser_id=child.id)["code"] == 0
    assert open_api_get(client, bc, "tt_video/list/", advertiser_id=outsider.id)["code"] == 40001


def test_creator_token_is_not_an_advertiser_token(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    who, brand = creator(uow, clock), advertiser(uow, clock)
    assert open_api_get(client, who, "tt_video/list/", advertiser_id=brand.id)["code"] == 40001


def test_path_without_trailing_slash_is_accepted(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)
    answer = client.get(
        "/open_api/v1.3/tt_video/list", params={"advertiser_id": brand.id}, headers=brand.access
    )
    assert answer.json()["code"] == 0


def test_json_encoded_and_repeated_array_parameters(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)
    encoded = client.get(
        "/open_api/v1.3/tt_video/list/",
        params={"advertiser_id": brand.id, "item_types": json.dumps(["VIDEO"])},
        headers=brand.access,
    )
    repeated = client.get(
        "/open_api/v1.3/tt_video/list/",
        params=[("advertiser_id", brand.id), ("item_types", "VIDEO"), ("item_types", "CAROUSEL")],
        headers=brand.access,
    )
    assert encoded.json()["code"] == 0
    assert repeated.json()["code"] == 0


def test_numeric_advertiser_id_in_body_is_accepted(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)
    answer = client.post(
        "/open_api/v1.3/tt_video/unbind/",
        headers=brand.access,
        json={"advertiser_id": int(brand.id), "item_id": 7000000000000000001},
    )
    assert answer.json()["code"] == 40007  # reached the lookup: ids were understood


def test_bad_parameter_is_40002_naming_the_field(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)
    answer = open_api_get(client, brand, "tt_video/list/", advertiser_id=brand.id, page_size=51)
    assert answer["code"] == 40002
    assert "page_size" in answer["message"]
    missing = client.post(
        "/open_api/v1.3/tt_video/authorize/", headers=brand.access, json={"advertiser_id": brand.id}
    ).json()
    assert missing["code"] == 40002
    assert "auth_code" in missing["message"]


def test_unknown_open_api_path_is_404_with_envelope(client: TestClient) -> None:
    response = client.get("/open_api/v1.3/nothing/here/")
    assert response.status_code == 404
    assert response.json()["code"] == 40400


def test_native_errors_use_http_status_and_error_object(client: TestClient) -> None:
    response = client.get("/api/v1/posts", headers={"Accept-Language": "fr"})
    assert response.status_code == 401
    error = response.json()["error"]
    assert set(error) == {"code", "message", "cause", "solution"}
    assert error["code"] == "access_token_missing"
    assert error["message"].startswith("Le jeton")


def test_native_validation_error_names_the_field(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    who = creator(uow, clock)
    response = client.post("/api/v1/posts", json={"caption": "x"}, headers=who.bearer)
    assert response.status_code == 400
    assert "duration" in response.json()["error"]["message"]


def test_someone_elses_post_is_not_found(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    owner, other = creator(uow, clock), creator(uow, clock)
    post = publish(client, owner)
    response = client.patch(
        f"/api/v1/posts/{post['item_id']}", json={"caption": "mine now"}, headers=other.bearer
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "post_not_found"


def test_clock_cannot_move_outside_the_sandbox(
    database_url: str, uow: UnitOfWork, keys_file: str
) -> None:
    settings = Settings(database_url=database_url, sandbox=False, keys_file=keys_file)
    op = operator(uow, TestClock())
    with TestClient(create_app(settings)) as plain:
        response = plain.post("/api/v1/sandbox/clock/advance", json={"days": 1}, headers=op.bearer)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "sandbox_only"


def test_openapi_document_lists_both_apis(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/open_api/v1.3/tt_video/authorize/" in paths
    assert "/api/v1/posts/{item_id}/authorizations" in paths
    params = {p["name"]: p for p in paths["/open_api/v1.3/tt_video/list/"]["get"]["parameters"]}
    assert "application/json" in params["item_types"]["content"]
