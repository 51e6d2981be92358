"""tcm/* over HTTP, as a Creator Marketplace client calls it: discover creators with TCM's filters and
sorts, apply for a Spark code on a video, follow the request, and use the returned code with
tt_video/authorize and tt_video/info."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import Account, advertiser, open_api_get, open_api_post, publish
from sparkads.accounts import service as accounts
from sparkads.accounts.models import TokenScope
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.marketplace.models import Collaboration

API = "/api/v1/marketplace"


def _creator(
    client: TestClient, uow: UnitOfWork, clock: TestClock, handle: str, followers: int,
    views: int, rate: float, fee: float, sector: str = "fitness",
) -> Account:  # fmt: skip
    """An opted-in creator with three posts of `views` views at an engagement `rate`."""
    row = accounts.create_creator(
        uow.session, clock, handle=handle, display_name=handle.title(), country="FR",
        sector=sector, followers=followers,
    )  # fmt: skip
    token = accounts.issue_token(
        uow.session, clock, scope=TokenScope.CREATOR, subject_id=row.creator_id
    )
    uow.commit()
    who = Account(row.creator_id, token, handle=handle)
    for n in range(3):
        likes = int(views * rate)
        post = publish(client, who, caption=f"Post {n} #{sector}",
                       organic={"views": views, "likes": likes, "comments": 0, "shares": 0})  # fmt: skip
        who.extra.setdefault("posts", []).append(post["item_id"])
    body = {"sector": sector, "countries": ["FR"], "languages": ["fr"], "asking_fee": fee}
    response = client.put(f"{API}/profile", json=body, headers=who.bearer)
    assert response.status_code == 200, response.text
    return who


@pytest.fixture
def brand(uow: UnitOfWork, clock: TestClock) -> Account:
    return advertiser(uow, clock)


def _discover(client: TestClient, brand: Account, **body: Any) -> dict[str, Any]:
    answer = open_api_post(client, brand, "tcm/creator/discover/", tcm_account_id=brand.id, **body)
    assert answer["code"] == 0, answer
    return dict(answer["data"])


def _handles(data: dict[str, Any]) -> list[str]:
    return [c["handle_name"] for c in data["creators"]]


def test_discover_filters_and_sorts_as_tcm(
    client: TestClient, uow: UnitOfWork, clock: TestClock, brand: Account
) -> None:
    _creator(client, uow, clock, "micro.fit", 40_000, views=50_000, rate=0.12, fee=150)
    _creator(client, uow, clock, "macro.fit", 900_000, views=400_000, rate=0.03, fee=5_000)
    _creator(client, uow, clock, "nano.food", 5_000, views=8_000, rate=0.18, fee=60, sector="food")

    by_followers = _discover(client, brand)
    by_engagement = _discover(client, brand, sort_field="engagement_rate")
    by_relevance = _discover(client, brand, sort_field="relevance", creator_categories=["fitness"])
    engaged = _discover(client, brand, engagement_rate="10-15")
    big_views = _discover(client, brand, min_avg_views=100_000)
    found = _discover(client, brand, query="@nano")
    paged = _discover(client, brand, page=2, page_size=2)

    assert _handles(by_followers) == ["macro.fit", "micro.fit", "nano.food"]
    assert _handles(by_engagement) == ["nano.food", "micro.fit", "macro.fit"]
    assert _handles(by_relevance) == ["micro.fit", "macro.fit"]
    assert _handles(engaged) == ["micro.fit"]
    assert _handles(big_views) == ["macro.fit"]
    assert _handles(found) == ["nano.food"]
    assert _handles(paged) == ["nano.food"]
    assert paged["page_info"] == {"page": 2, "page_size": 2, "total_number": 3, "total_page": 2}
    micro = by_followers["creators"][1]
    assert micro["creator_rate"] == {"rate": 150.0, "currency": "EUR", "is_negotiable_type": True}
    assert (micro["average_views"], micro["engagement_rate"]) == (50_000, 0.12)
    assert micro["topics"] == ["fitness"]


def test_discover_refuses_bad_filters_with_tiktok_codes(
    client: TestClient, brand: Account, uow: UnitOfWork, clock: TestClock
) -> None:
    other = advertiser(uow, clock, name="Other brand")

    bucket = open_api_post(
        client, brand, "tcm/creator/discover/", tcm_account_id=brand.id, engagement_rate="5-50"
    )
    size = open_api_post(
        client, brand, "tcm/creator/discover/", tcm_account_id=brand.id, page_size=500
    )
    foreign = open_api_post(client, brand, "tcm/creator/discover/", tcm_account_id=other.id)

    assert (bucket["code"], "engagement_rate" in bucket["message"]) == (40002, True)
    assert (size["code"], "page_size" in size["message"]) == (40002, True)
    assert foreign["code"] == 40001


def test_apply_accept_status_then_authorize_with_the_returned_code(
    client: TestClient, uow: UnitOfWork, clock: TestClock, brand: Account
) -> None:
    lea = _creator(client, uow, clock, "lea.fit", 30_000, views=20_000, rate=0.1, fee=120)
    video_id = lea.extra["posts"][0]

    applied = open_api_post(
        client, brand, "tcm/tt_video/apply/", tcm_account_id=brand.id, video_id=video_id,
        authorization_days=60,
    )  # fmt: skip
    again = open_api_post(
        client, brand, "tcm/tt_video/apply/", tcm_account_id=brand.id, video_id=video_id
    )
    assert applied["code"] == 0, applied
    assert applied["data"]["auth_status"] == "WAITING"
    assert applied["data"]["requested_authorization_days"] == 60
    assert applied["data"]["auth_code"] is None
    assert again["data"]["num_remaining_request"] == 29  # the waiting request, not a new one
    [row] = uow.session.scalars(select(Collaboration)).all()
    assert row.fee == 120_000_000
    accepted = client.post(
        f"{API}/collaborations/{row.collaboration_id}/accept", headers=lea.bearer
    )
    assert accepted.status_code == 200, accepted.text

    status = open_api_get(
        client, brand, "tcm/tt_video/status/", tcm_account_id=brand.id, video_id=video_id
    )["data"]
    code = status["auth_code"]
    assert status["auth_status"] == "ACCEPTED"
    assert status["auth_code_status"] == "IN_USE"  # accepted codes land in the library at once
    assert code == accepted.json()["auth_code"]
    authorized = open_api_post(
        client, brand, "tt_video/authorize/", advertiser_id=brand.id, auth_code=code
    )
    info = open_api_get(client, brand, "tt_video/info/", advertiser_id=brand.id, auth_code=code)
    assert authorized["code"] == 0, authorized
    assert info["data"]["item_info"]["item_id"] == video_id


def test_a_declined_request_reads_rejected_and_can_be_asked_again(
    client: TestClient, uow: UnitOfWork, clock: TestClock, brand: Account
) -> None:
    lea = _creator(client, uow, clock, "lea.fit", 30_000, views=20_000, rate=0.1, fee=120)
    video_id = lea.extra["posts"][0]
    open_api_post(client, brand, "tcm/tt_video/apply/", tcm_account_id=brand.id, video_id=video_id)
    [row] = uow.session.scalars(select(Collaboration)).all()
    client.post(f"{API}/collaborations/{row.collaboration_id}/decline", headers=lea.bearer)

    status = open_api_get(
        client, brand, "tcm/tt_video/status/", tcm_account_id=brand.id, video_id=video_id
    )["data"]
    asked_again = open_api_post(
        client, brand, "tcm/tt_video/apply/", tcm_account_id=brand.id, video_id=video_id
    )["data"]

    assert (status["auth_status"], status["auth_code"]) == ("REJECTED", None)
    assert (asked_again["auth_status"], asked_again["num_remaining_request"]) == ("WAITING", 28)


def test_status_is_private_to_the_brand_that_asked(
    client: TestClient, uow: UnitOfWork, clock: TestClock, brand: Account
) -> None:
    lea = _creator(client, uow, clock, "lea.fit", 30_000, views=20_000, rate=0.1, fee=120)
    video_id = lea.extra["posts"][0]
    open_api_post(client, brand, "tcm/tt_video/apply/", tcm_account_id=brand.id, video_id=video_id)
    other = advertiser(uow, clock, name="Other brand")

    theirs = open_api_get(
        client, other, "tcm/tt_video/status/", tcm_account_id=other.id, video_id=video_id
    )
    borrowed = open_api_get(
        client, other, "tcm/tt_video/status/", tcm_account_id=brand.id, video_id=video_id
    )

    assert theirs["message"].startswith("object_not_found")
    assert borrowed["code"] == 40001


def test_apply_for_an_unknown_video_or_a_creator_outside_the_marketplace(
    client: TestClient, uow: UnitOfWork, clock: TestClock, brand: Account
) -> None:
    row = accounts.create_creator(
        uow.session, clock, handle="outside", display_name="Outside", country="FR",
        sector="food", followers=1_000,
    )  # fmt: skip
    token = accounts.issue_token(
        uow.session, clock, scope=TokenScope.CREATOR, subject_id=row.creator_id
    )
    uow.commit()
    post = publish(client, Account(row.creator_id, token))

    unknown = open_api_post(
        client, brand, "tcm/tt_video/apply/", tcm_account_id=brand.id, video_id="1234567890123"
    )
    outside = open_api_post(
        client, brand, "tcm/tt_video/apply/", tcm_account_id=brand.id, video_id=post["item_id"]
    )

    assert unknown["message"].startswith("post_not_found")
    assert outside["message"].startswith("creator_profile_not_found")
    assert uow.session.scalars(select(Collaboration)).first() is None
