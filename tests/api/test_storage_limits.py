"""Values at the edge of what the database stores: refused the same clear way on SQLite and on
PostgreSQL (which, unlike SQLite, enforces VARCHAR lengths and INTEGER ranges and refuses NUL), and
big counts kept whole on both."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import (
    PARIS_VIEWER,
    ask,
    create_ad,
    creator,
    feed,
    open_api_get,
    send_events,
    spark_world,
)
from factories import advertiser as advertiser_account
from sparkads.accounts import service
from sparkads.accounts.models import BusinessCenter, Creator
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.errors import SparkadsError
from sparkads.posts.models import Post

BILLIONS = 3_000_000_000  # past 2**31, PostgreSQL's INTEGER


def test_a_post_with_billions_of_views_and_bytes_is_kept_whole(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    who = creator(uow, clock)
    body = {"duration": 30.0, "size_bytes": BILLIONS, "organic": {"views": BILLIONS}}
    created = client.post("/api/v1/posts", json=body, headers=who.bearer)
    assert created.status_code == 201, created.text
    read = client.get(f"/api/v1/posts/{created.json()['item_id']}", headers=who.bearer)
    assert read.json()["organic"]["views"] == BILLIONS


def test_paid_views_count_on_past_two_billion(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    post = uow.session.get_one(Post, world.post["item_id"])
    post.paid_views = 2**31 - 1
    uow.commit()
    app_feed = feed(uow, clock)
    [decision] = ask(client, app_feed, PARIS_VIEWER)
    assert send_events(client, app_feed, (decision["token"], "view_2s"))["accepted"] == 1
    uow.session.expire_all()
    assert uow.session.get_one(Post, world.post["item_id"]).paid_views == 2**31


def test_a_creator_with_billions_of_followers_is_kept_whole(
    uow: UnitOfWork, clock: TestClock
) -> None:
    service.create_creator(uow.session, clock, handle="big.star", followers=BILLIONS)
    uow.commit()
    assert uow.session.scalar(select(Creator.followers)) == BILLIONS


def test_an_over_long_value_is_refused_with_its_field_and_limit(
    uow: UnitOfWork, clock: TestClock
) -> None:
    with pytest.raises(SparkadsError) as refused:
        service.create_business_center(uow.session, clock, name="Agency", company="x" * 201)
    assert refused.value.code == "value_too_long"
    assert refused.value.render("en")["message"] == ("company is too long: at most 200 characters.")
    uow.session.rollback()
    assert uow.session.scalars(select(BusinessCenter)).all() == []


def test_a_number_beyond_64_bits_is_refused_with_its_range(
    uow: UnitOfWork, clock: TestClock
) -> None:
    with pytest.raises(SparkadsError) as refused:
        service.create_creator(uow.session, clock, handle="too.big", followers=2**63)
    assert refused.value.code == "value_out_of_range"
    assert refused.value.params["field"] == "followers"
    assert refused.value.params["maximum"] == 2**63 - 1


def test_text_with_a_nul_character_is_refused_and_nothing_is_saved(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    who = creator(uow, clock)
    answer = client.post(
        "/api/v1/posts", json={"duration": 12.0, "caption": "a\u0000b"}, headers=who.bearer
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "value_not_storable"
    assert "caption" in answer.json()["error"]["message"]
    assert uow.session.scalars(select(Post)).all() == []


def test_an_id_with_a_nul_character_is_refused_not_a_crash(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser_account(uow, clock)
    answer = open_api_get(client, brand, "campaign/get/", advertiser_id="70\u000012")
    assert answer["code"] == 40002
    assert answer["data"]["error"]["reason"] == "value_not_storable"
    assert answer["message"].startswith("value_not_storable: advertiser_id ")
