"""dmp/custom_audience/update/ (rename; APPEND, DELETE, REPLACE files) and delete/ (refused
while a live ad group or a lookalike uses the audience)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_audiences import _details, _file_audience, _members, _sim, _upload

from factories import Account, advertiser, open_api_post, record_population, spark_world
from sparkads.audiences.hashing import hash_viewer_id
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


@pytest.fixture(autouse=True)
def _known_viewers(client: TestClient) -> None:
    """Files match only viewers the feed has seen: 2,000 synthetic ones sent as traffic."""
    record_population(client, 2_000, 7)


def _path(client: TestClient, who: Account, viewer_ids: list[str]) -> str:
    upload = _upload(client, who, [hash_viewer_id(v) for v in viewer_ids])
    assert upload["code"] == 0, upload
    return str(upload["data"]["file_path"])


def _update(client: TestClient, who: Account, audience_id: str, **body: Any) -> dict[str, Any]:
    return open_api_post(
        client,
        who,
        "dmp/custom_audience/update/",
        advertiser_id=who.id,
        custom_audience_id=audience_id,
        **body,
    )


def test_update_appends_deletes_and_replaces_identifiers(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)
    audience_id = _file_audience(client, brand, _sim(1200))
    more = _path(client, brand, _sim(300, start=1200))
    answer = _update(client, brand, audience_id, action="APPEND", file_paths=[more])
    assert answer["code"] == 0, answer
    assert answer["data"]["cover_num"] == 1500 == len(_members(uow, audience_id))
    first_hundred = _path(client, brand, _sim(100))
    removed = _update(client, brand, audience_id, action="DELETE", file_paths=[first_hundred])
    assert removed["data"]["cover_num"] == 1400
    assert "sim-7-0" not in _members(uow, audience_id)
    replaced = _update(
        client, brand, audience_id, action="REPLACE", file_paths=[more], custom_audience_name="New"
    )
    assert replaced["data"]["cover_num"] == 300
    details = _details(client, brand, audience_id)
    assert (details["name"], details["cover_num"]) == ("New", 300)


def test_update_refuses_bad_input_without_changing_anything(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand, other = advertiser(uow, clock), advertiser(uow, clock, name="Other")
    audience_id = _file_audience(client, brand, _sim(1100))
    more = _path(client, brand, _sim(10, start=5000))
    no_action = _update(client, brand, audience_id, file_paths=[more])
    unknown = _update(client, brand, audience_id, action="APPEND", file_paths=["nope"])
    foreign = _update(client, other, audience_id, custom_audience_name="Mine")
    assert (no_action["code"], no_action["data"]["error"]["reason"]) == (40002, "invalid_parameter")
    assert unknown["data"]["error"]["reason"] == "audience_file_not_found"
    assert foreign["data"]["error"]["reason"] == "audience_not_found"
    assert _details(client, brand, audience_id)["cover_num"] == 1100


def test_delete_removes_audiences_unless_a_live_ad_group_uses_them(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    brand = world.brand
    used, free = _file_audience(client, brand, _sim(1000)), _file_audience(client, brand, _sim(5))
    targeted = open_api_post(
        client, brand, "adgroup/update/", advertiser_id=brand.id,
        adgroup_id=world.adgroup_id, audience_ids=[used],
    )  # fmt: skip
    assert targeted["code"] == 0, targeted

    def delete(*ids: str) -> dict[str, Any]:
        return open_api_post(
            client,
            brand,
            "dmp/custom_audience/delete/",
            advertiser_id=brand.id,
            custom_audience_ids=list(ids),
        )

    refused = delete(free, used)
    assert (refused["code"], refused["data"]["error"]["reason"]) == (40002, "audience_in_use")
    assert world.adgroup_id in refused["message"]
    assert refused["data"]["error"]["solution"]
    assert _details(client, brand, free)["cover_num"] == 5, "nothing deleted"
    assert delete(free)["code"] == 0
    gone = open_api_post(
        client, brand, "dmp/custom_audience/delete/", advertiser_id=brand.id,
        custom_audience_ids=[free],
    )  # fmt: skip
    assert gone["data"]["error"]["reason"] == "audience_not_found"
    assert _members(uow, free) == []
