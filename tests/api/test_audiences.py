"""Audiences through dmp/custom_audience/*: customer files, engagement rules, lookalikes, and
targeting them (R3): who receives decisions changes, the privacy floor holds, sizes are estimated."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import (
    FRANCE,
    PARIS_VIEWER,
    Account,
    SparkWorld,
    advance,
    advertiser,
    ask,
    create_ad,
    feed,
    flush_traffic,
    open_api_get,
    open_api_post,
    record_population,
    send_events,
    spark_world,
)
from sparkads.audiences.hashing import hash_viewer_id
from sparkads.audiences.keys import viewer_key
from sparkads.audiences.models import AudienceMember
from sparkads.campaigns.minors import profiling_free_minor
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.simulation.population import Population

UPLOAD = "/open_api/v1.3/dmp/custom_audience/file/upload/"


@pytest.fixture
def brand(uow: UnitOfWork, clock: TestClock) -> Account:
    return advertiser(uow, clock)


@pytest.fixture
def people(client: TestClient) -> Population:
    """20,000 synthetic viewers seen by the feed (profiles): audiences match only known viewers."""
    return record_population(client, 20_000, 7)


def _outsider(n: int) -> dict[str, Any]:
    return {**PARIS_VIEWER, "viewer_id": f"outsider-{n}"}


def _sim(count: int, start: int = 0) -> list[str]:
    return [f"sim-7-{i}" for i in range(start, start + count)]


def _upload(client: TestClient, who: Account, lines: list[str], **form: str) -> dict[str, Any]:
    content = "\n".join(lines).encode()
    data = {
        "advertiser_id": who.id,
        "calculate_type": "EMAIL_SHA256",
        "file_signature": hashlib.md5(content).hexdigest(),
        **form,
    }
    response = client.post(
        UPLOAD, data=data, files={"file": ("ids.txt", content, "text/plain")}, headers=who.access
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def _file_audience(client: TestClient, who: Account, viewer_ids: list[str], **fields: Any) -> str:
    upload = _upload(client, who, [hash_viewer_id(v) for v in viewer_ids])
    assert upload["code"] == 0, upload
    created = open_api_post(
        client,
        who,
        "dmp/custom_audience/create/",
        advertiser_id=who.id,
        custom_audience_name="Customers",
        file_paths=[upload["data"]["file_path"]],
        calculate_type="EMAIL_SHA256",
        **fields,
    )
    assert created["code"] == 0, created
    return str(created["data"]["custom_audience_id"])


def _details(client: TestClient, who: Account, audience_id: str) -> dict[str, Any]:
    answer = open_api_get(
        client, who, "dmp/custom_audience/get/", advertiser_id=who.id,
        custom_audience_ids=[audience_id], history_size=5,
    )  # fmt: skip
    assert answer["code"] == 0, answer
    return dict(answer["data"]["list"][0]["audience_details"])


def _members(uow: UnitOfWork, audience_id: str) -> list[str]:
    uow.session.expire_all()
    return list(
        uow.session.scalars(
            select(AudienceMember.viewer_id).where(AudienceMember.audience_id == audience_id)
        )
    )


def test_custom_audience_file_of_10000_hashes_matches_the_expected_count(
    client: TestClient, brand: Account, people: Population
) -> None:
    known = _sim(8_500)
    strangers = [f"someone-else-{i}" for i in range(1_500)]
    upload = _upload(client, brand, [hash_viewer_id(v) for v in known + strangers])
    assert upload["data"]["identifier_count"] == 10_000
    created = open_api_post(
        client, brand, "dmp/custom_audience/create/", advertiser_id=brand.id,
        custom_audience_name="Newsletter", file_paths=[upload["data"]["file_path"]],
        calculate_type="EMAIL_SHA256", retention_in_days=180,
    )  # fmt: skip
    assert created["data"]["cover_num"] == 8_500
    details = _details(client, brand, created["data"]["custom_audience_id"])
    assert details["audience_type"] == "Customer File Audience"
    assert (details["cover_num"], details["is_valid"], details["calculate_type"]) == (
        8_500,
        True,
        "EMAIL_SHA256",
    )
    assert details["msg"] == "8,500 of 10,000 identifiers matched"
    assert details["expired_time"] == "2027-05-01 09:00:00"


def test_file_hashes_also_match_viewers_seen_in_events(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    [decision] = ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": "app-user-77"})
    send_events(client, app_feed, (decision["token"], "impression"))
    flush_traffic(client)
    # app-user-77 was seen by the feed; the ten synthetic viewers never were
    audience_id = _file_audience(client, world.brand, ["App-User-77", *_sim(10)])
    assert _members(uow, audience_id) == [viewer_key("app-user-77")]
    assert _details(client, world.brand, audience_id)["cover_num"] == 1


def test_upload_accepts_bububa_caculate_type(client: TestClient, brand: Account) -> None:
    content = [hash_viewer_id("a")]
    answer = _upload(client, brand, content, caculate_type="PHONE_SHA256", calculate_type="")
    assert answer["code"] == 0, answer
    assert answer["data"]["file_path"].startswith("dmp/")


def test_upload_with_a_wrong_signature_is_refused(client: TestClient, brand: Account) -> None:
    answer = _upload(client, brand, [hash_viewer_id("a")], file_signature="0" * 32)
    assert answer["code"] == 40002
    assert answer["data"]["error"]["reason"] == "invalid_parameter"
    assert "file_signature" in answer["message"]


def test_md5_files_are_refused_with_a_catalogue_error(client: TestClient, brand: Account) -> None:
    answer = _upload(client, brand, [hash_viewer_id("a")], calculate_type="IDFA_MD5")
    assert answer["data"]["error"]["reason"] == "calculate_type_not_supported"
    assert "SHA-256" in answer["data"]["error"]["solution"]


def test_file_without_hashes_is_refused_in_french_too(client: TestClient, brand: Account) -> None:
    content = b"alice@example.com\n"
    response = client.post(
        UPLOAD,
        data={"advertiser_id": brand.id, "calculate_type": "EMAIL_SHA256",
              "file_signature": hashlib.md5(content).hexdigest()},
        files={"file": ("ids.csv", content)},
        headers={**brand.access, "Accept-Language": "fr"},
    )  # fmt: skip
    answer = response.json()
    assert answer["data"]["error"]["reason"] == "audience_file_invalid"
    assert "SHA-256" in answer["data"]["error"]["cause"]
    assert answer["message"].startswith("audience_file_invalid: Le fichier")


def test_unknown_file_path_is_not_found(client: TestClient, brand: Account) -> None:
    answer = open_api_post(
        client, brand, "dmp/custom_audience/create/", advertiser_id=brand.id,
        custom_audience_name="x", file_paths=["dmp/nope.txt"], caculate_type="EMAIL_SHA256",
    )  # fmt: skip
    assert (answer["code"], answer["data"]["error"]["reason"]) == (40007, "audience_file_not_found")


def test_list_pages_audiences_newest_first(
    client: TestClient, brand: Account, clock: TestClock, people: Population
) -> None:
    first = _file_audience(client, brand, _sim(1_200))
    clock.advance(timedelta(minutes=1))
    second = _file_audience(client, brand, _sim(300))
    listed = open_api_get(
        client, brand, "dmp/custom_audience/list/", advertiser_id=brand.id, page_size=1
    )
    assert listed["data"]["page_info"] == {
        "page": 1, "page_size": 1, "total_number": 2, "total_page": 2,
    }  # fmt: skip
    [newest] = listed["data"]["list"]
    assert newest["audience_id"] == second
    assert (newest["is_valid"], newest["cover_num"]) == (False, 300)
    assert "cannot be targeted" in newest["msg"]
    only = open_api_get(
        client, brand, "dmp/custom_audience/list/", advertiser_id=brand.id,
        custom_audience_ids=[first],
    )  # fmt: skip
    assert [a["audience_id"] for a in only["data"]["list"]] == [first]


def test_another_advertisers_audience_is_not_found(
    client: TestClient, uow: UnitOfWork, clock: TestClock, brand: Account
) -> None:
    theirs = _file_audience(client, advertiser(uow, clock, name="Other"), _sim(5))
    answer = open_api_get(
        client, brand, "dmp/custom_audience/get/", advertiser_id=brand.id,
        custom_audience_ids=[theirs],
    )  # fmt: skip
    assert answer["data"]["error"]["reason"] == "audience_not_found"


def _fitness_enthusiasts_in_france(people: Population, count: int) -> list[str]:
    france = people.countries.index("FR")
    found = []
    for i in range(people.size):
        if people.country[i] == france and people.holds_interest_in(i, "103"):
            found.append(people.viewer_id(i))
            if len(found) == count:
                break
    return found


def test_lookalike_of_fitness_enthusiasts_is_dominated_by_fitness_interest(
    client: TestClient, uow: UnitOfWork, brand: Account, people: Population
) -> None:
    seed = _file_audience(client, brand, _fitness_enthusiasts_in_france(people, 600))
    created = open_api_post(
        client, brand, "dmp/custom_audience/lookalike/create/", advertiser_id=brand.id,
        custom_audience_name="Like my gym crowd",
        lookalike_spec={"source_audience_id": seed, "include_source": False, "mobile_os": "ALL",
                        "placements": "TikTok", "location_ids": [FRANCE], "audience_size": "BROAD"},
    )  # fmt: skip
    assert created["code"] == 0, created
    members = _members(uow, created["data"]["custom_audience_id"])
    french = int((people.country == people.countries.index("FR")).sum())
    assert len(members) == round(0.10 * french)
    index = {viewer_key(people.viewer_id(i)): i for i in range(people.size)}
    indices = [index.get(m) for m in members]
    assert all(i is not None and people.country_of(i) == "FR" for i in indices)
    fitness_share = np.mean([people.holds_interest_in(i, "103") for i in indices if i is not None])
    assert fitness_share > 0.9
    details = _details(client, brand, created["data"]["custom_audience_id"])
    assert details["audience_type"] == "Lookalike Audience"
    assert details["lookalike_spec"]["placements"] == ["TikTok"]


def test_lookalike_of_a_lookalike_is_refused(
    client: TestClient, brand: Account, people: Population
) -> None:
    seed = _file_audience(client, brand, _sim(500))
    spec = {"source_audience_id": seed, "location_ids": [FRANCE], "audience_share": 2}
    first = open_api_post(
        client, brand, "dmp/custom_audience/lookalike/create/", advertiser_id=brand.id,
        custom_audience_name="a", lookalike_spec=spec,
    )  # fmt: skip
    assert first["data"]["cover_num"] > 0
    spec["source_audience_id"] = first["data"]["custom_audience_id"]
    second = open_api_post(
        client, brand, "dmp/custom_audience/lookalike/create/", advertiser_id=brand.id,
        custom_audience_name="b", lookalike_spec=spec,
    )  # fmt: skip
    assert second["data"]["error"]["reason"] == "lookalike_source_not_allowed"


def test_lookalike_needs_enough_known_seed_viewers(
    client: TestClient, brand: Account, people: Population
) -> None:
    seed = _file_audience(client, brand, _sim(20))
    answer = open_api_post(
        client, brand, "dmp/custom_audience/lookalike/create/", advertiser_id=brand.id,
        custom_audience_name="tiny",
        lookalike_spec={"source_audience_id": seed, "location_ids": [FRANCE],
                        "audience_size": "NARROW"},
    )  # fmt: skip
    assert answer["data"]["error"]["reason"] == "lookalike_seed_too_small"
    assert "100" in answer["data"]["error"]["cause"]


def _live(client: TestClient, uow: UnitOfWork, clock: TestClock) -> tuple[SparkWorld, Account]:
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    return world, feed(uow, clock)


def _rule(
    brand: Account, *events: str, days: int = 7, exclude: tuple[str, ...] = ()
) -> dict[str, Any]:
    def rule_set(values: tuple[str, ...]) -> dict[str, Any]:
        filters = [{"field": "EVENT", "operator": "EQ", "value": v} for v in values]
        return {"operator": "OR", "rules": [
            {"retention_days": days, "filter_set": {"operator": "OR", "filters": filters}}]}  # fmt: skip

    spec: dict[str, Any] = {"include_rule_set": rule_set(events)}
    if exclude:
        spec["exclude_rule_set"] = rule_set(exclude)
    return {"advertiser_id": brand.id, "custom_audience_name": "Engaged",
            "audience_type": "ENGAGEMENT", "rule_spec": spec}  # fmt: skip


def test_engagement_audience_holds_viewers_who_watched_6s_minus_exclusions(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world, app_feed = _live(client, uow, clock)
    for n, kinds in enumerate((["view_6s"], ["view_6s", "like"], ["like"], ["impression"])):
        [decision] = ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": f"fan-{n}"})
        send_events(client, app_feed, *((decision["token"], k) for k in kinds))
    brand = world.brand
    created = open_api_post(
        client, brand, "dmp/custom_audience/rule/create/", **_rule(brand, "PLAY 6S")
    )
    assert created["code"] == 0, created
    # members are viewer keys (keyed hashes), never the feed's ids
    members = _members(uow, created["data"]["custom_audience_id"])
    assert sorted(members) == sorted([viewer_key("fan-0"), viewer_key("fan-1")])
    assert "fan-0" not in members
    trimmed = open_api_post(
        client, brand, "dmp/custom_audience/rule/create/",
        **_rule(brand, "PLAY 6S", "BUSINESS ACCOUNT ENGAGEMENT", exclude=("LIKE",)),
    )  # fmt: skip
    assert _members(uow, trimmed["data"]["custom_audience_id"]) == [viewer_key("fan-0")]
    details = _details(client, brand, trimmed["data"]["custom_audience_id"])
    assert (details["audience_type"], details["is_auto_refresh"]) == ("Engagement Audience", True)
    assert "PLAY 6S" in details["rule"]


def test_refresh_follows_the_rule_look_back_as_time_passes(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world, app_feed = _live(client, uow, clock)
    [decision] = ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": "fan-old"})
    send_events(client, app_feed, (decision["token"], "view_6s"))
    brand = world.brand
    created = open_api_post(
        client, brand, "dmp/custom_audience/rule/create/", **_rule(brand, "PLAY 6S")
    )
    audience_id = created["data"]["custom_audience_id"]
    assert created["data"]["cover_num"] == 1
    clock.advance(timedelta(days=8))
    [later] = ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": "fan-new"})
    send_events(client, app_feed, (later["token"], "view_6s"))
    refreshed = open_api_post(client, brand, "dmp/custom_audience/refresh/", advertiser_id=brand.id)
    assert refreshed["data"]["custom_audience_ids"] == [audience_id]
    assert _members(uow, audience_id) == [viewer_key("fan-new")]


def test_engagement_rule_with_unknown_ad_group_is_refused(
    client: TestClient, brand: Account
) -> None:
    body = _rule(brand, "CLICK")
    body["rule_spec"]["include_rule_set"]["rules"][0]["event_source_ids"] = ["7999"]
    answer = open_api_post(client, brand, "dmp/custom_audience/rule/create/", **body)
    assert answer["data"]["error"]["reason"] == "engagement_rule_invalid"
    assert "7999" in answer["message"]


def test_audience_under_1000_cannot_be_targeted(
    client: TestClient, uow: UnitOfWork, clock: TestClock, people: Population
) -> None:
    world, _ = _live(client, uow, clock)
    small = _file_audience(client, world.brand, _sim(999))
    answer = open_api_post(
        client, world.brand, "adgroup/update/", advertiser_id=world.brand.id,
        adgroup_id=world.adgroup_id, audience_ids=[small],
    )  # fmt: skip
    assert answer["data"]["error"]["reason"] == "audience_too_small"
    assert "999" in answer["message"]
    assert "1000" in answer["data"]["error"]["cause"]


def _viewer(viewer_id: str) -> dict[str, Any]:
    return {**PARIS_VIEWER, "viewer_id": viewer_id}


def test_targeting_an_audience_changes_who_receives_decisions(
    client: TestClient, uow: UnitOfWork, clock: TestClock, people: Population
) -> None:
    world, app_feed = _live(client, uow, clock)
    assert ask(client, app_feed, _viewer("sim-7-5"))
    assert ask(client, app_feed, _outsider(0))
    audience_id = _file_audience(client, world.brand, _sim(1_500))
    updated = open_api_post(
        client, world.brand, "adgroup/update/", advertiser_id=world.brand.id,
        adgroup_id=world.adgroup_id, audience_ids=[audience_id],
    )  # fmt: skip
    assert updated["code"] == 0, updated
    assert ask(client, app_feed, _viewer("sim-7-6"))[0]["item_id"] == world.post["item_id"]
    assert all(ask(client, app_feed, _outsider(i)) == [] for i in range(10))


def test_excluding_an_audience_stops_decisions_for_its_members(
    client: TestClient, uow: UnitOfWork, clock: TestClock, people: Population
) -> None:
    world, app_feed = _live(client, uow, clock)
    audience_id = _file_audience(client, world.brand, _sim(1_500))
    updated = open_api_post(
        client, world.brand, "adgroup/update/", advertiser_id=world.brand.id,
        adgroup_id=world.adgroup_id, excluded_audience_ids=[audience_id],
    )  # fmt: skip
    assert updated["code"] == 0, updated
    assert all(ask(client, app_feed, _viewer(f"sim-7-{i}")) == [] for i in range(10))
    assert ask(client, app_feed, _outsider(0))


def test_adgroup_audience_size_estimate_follows_targeting_and_audiences(
    client: TestClient, uow: UnitOfWork, clock: TestClock, people: Population
) -> None:
    world, _ = _live(client, uow, clock)

    def estimate() -> int:
        answer = open_api_get(client, world.brand, "adgroup/get/", advertiser_id=world.brand.id)
        return int(answer["data"]["list"][0]["audience_size_estimate"])

    # viewers seen by the feed in the last 30 days whom the targeting (France) accepts
    french = int((people.country == people.countries.index("FR")).sum())
    assert estimate() == french
    audience_id = _file_audience(client, world.brand, _sim(3_000))
    # audiences are profiling: French minors are left out (campaigns/minors.py)
    ages = [int(a) if a >= 0 else None for a in people.age]  # -1: not known
    adult = [not profiling_free_minor(age, "FR") for age in ages]
    in_france = sum(people.country_of(i) == "FR" and adult[i] for i in range(3_000))
    french_adults = sum(people.country_of(i) == "FR" and adult[i] for i in range(people.size))
    open_api_post(
        client, world.brand, "adgroup/update/", advertiser_id=world.brand.id,
        adgroup_id=world.adgroup_id, audience_ids=[audience_id],
    )  # fmt: skip
    assert estimate() == in_france
    open_api_post(
        client, world.brand, "adgroup/update/", advertiser_id=world.brand.id,
        adgroup_id=world.adgroup_id, audience_ids=[], excluded_audience_ids=[audience_id],
    )  # fmt: skip
    assert estimate() == french_adults - in_france


def test_expired_audience_stops_reaching_its_members(
    client: TestClient, uow: UnitOfWork, clock: TestClock, people: Population
) -> None:
    world, app_feed = _live(client, uow, clock)
    audience_id = _file_audience(client, world.brand, _sim(1_500), retention_in_days=1)
    updated = open_api_post(
        client, world.brand, "adgroup/update/", advertiser_id=world.brand.id,
        adgroup_id=world.adgroup_id, audience_ids=[audience_id],
    )  # fmt: skip
    assert updated["code"] == 0, updated
    assert ask(client, app_feed, _viewer("sim-7-1"))
    advance(client, days=2)
    assert ask(client, app_feed, _viewer("sim-7-2")) == []
    details = _details(client, world.brand, audience_id)
    assert (details["is_valid"], details["msg"]) == (False, "expired")
