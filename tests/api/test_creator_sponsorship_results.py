"""What sponsorship brought a creator (services.reports.sponsorship_results): real ads shown
through the feed API, real events, counted from the rollups by brand, by post and in total; each
brand's use said with its authorization's state; reach never given between 1 and 99 viewers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factories import (
    Account,
    SparkWorld,
    adgroup_body,
    advertiser,
    business_center,
    create_ad,
    creator,
    feed,
    open_api_get,
    open_api_post,
    publish,
    spark_world,
)
from factories.sponsorship import ENGAGED, Sponsored, show, sponsored
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.events.models import Event
from sparkads.posts.models import Post
from sparkads.reporting.creator_results import (
    AuthorizedPost,
    BrandUse,
    CreatorResults,
    Delivery,
    Figures,
    Through,
    UseState,
)
from sparkads.services import reports
from sparkads.traffic.store import MIN_AGGREGATE


@pytest.fixture
def shown(client: TestClient, uow: UnitOfWork, clock: TestClock) -> Sponsored:
    """Five viewers saw Brand FR's ad, three of them engaged."""
    made = sponsored(client, uow, clock, "Another Brand", engaged=3)
    show(client, made.app_feed, 2, ("impression",), first=3)
    return made


def _results(client: TestClient, who: Account, days: int | None = None) -> CreatorResults:
    context = client.app.state.context  # type: ignore[attr-defined]
    return reports.sponsorship_results(
        context.uow, context.rollups, context.clock, creator_id=who.id, days=days
    )


def _only_post(results: CreatorResults) -> AuthorizedPost:
    [post] = results.posts
    return post


def _use_of(results: CreatorResults, brand: Account) -> BrandUse:
    [use] = [u for u in _only_post(results).uses if u.advertiser.advertiser_id == brand.id]
    return use


def test_each_brand_is_listed_with_what_its_ads_brought(
    client: TestClient, uow: UnitOfWork, shown: Sponsored
) -> None:
    results = _results(client, shown.world.author)
    post = _only_post(results)
    assert post.post.item_id == shown.world.post["item_id"]
    used, unused = post.uses
    assert used.advertiser.advertiser_id == shown.world.brand.id
    assert (used.through, used.state, used.delivery, used.ads) == (
        Through.SPARK_CODE, UseState.ACTIVE, Delivery.SHOWN, 1,
    )  # fmt: skip
    # five viewers: the reach is a count of people under the privacy minimum, so not given
    expected = Figures(5, 3, 3, 3, 3, 3, 3, reach=None)
    assert used.figures == expected
    assert unused.advertiser.advertiser_id == shown.other.id
    assert (unused.through, unused.state, unused.delivery, unused.ads) == (
        Through.SPARK_CODE, UseState.ACTIVE, Delivery.NO_AD, 0,
    )  # fmt: skip
    assert unused.figures == Figures()
    assert post.figures == expected
    assert results.total == expected
    assert [(a.advertiser_id, f) for a, f in results.brands] == [
        (shown.world.brand.id, expected),
        (shown.other.id, Figures()),
    ]


def test_figures_agree_with_the_events_and_the_posts_counters(
    client: TestClient, uow: UnitOfWork, shown: Sponsored
) -> None:
    total = _results(client, shown.world.author).total
    counted = dict(
        uow.session.execute(select(Event.event_type, func.count()).group_by(Event.event_type)).all()
    )
    assert total.impressions == counted["impression"]
    assert (total.likes, total.follows) == (counted["like"], counted["follow"])
    post = uow.session.get_one(Post, shown.world.post["item_id"])
    assert (total.views_2s, total.likes, total.comments, total.shares, total.profile_visits) == (
        post.paid_views, post.paid_likes, post.paid_comments, post.paid_shares,
        post.paid_profile_visits,
    )  # fmt: skip


def test_reach_is_given_from_the_privacy_minimum(
    client: TestClient, uow: UnitOfWork, shown: Sponsored
) -> None:
    show(client, shown.app_feed, MIN_AGGREGATE - 5, ("impression",), first=5)
    results = _results(client, shown.world.author)
    assert results.total.reach == MIN_AGGREGATE
    assert results.total.impressions == MIN_AGGREGATE
    assert _use_of(results, shown.world.brand).figures.reach == MIN_AGGREGATE


def test_a_period_counts_each_brands_last_days_only(
    client: TestClient, uow: UnitOfWork, clock: TestClock, shown: Sponsored
) -> None:
    clock.advance(timedelta(days=10))
    recent = _results(client, shown.world.author, days=7)
    assert recent.total == Figures()
    used = _use_of(recent, shown.world.brand)
    assert used.delivery is Delivery.NOT_IN_PERIOD  # shown before, not in these 7 days
    assert _results(client, shown.world.author, days=30).total.impressions == 5
    assert _results(client, shown.world.author).total.impressions == 5


def test_an_expired_or_revoked_code_is_said(
    client: TestClient, uow: UnitOfWork, clock: TestClock, shown: Sponsored
) -> None:
    author = shown.world.author
    clock.advance(timedelta(days=31))  # the code was for 30 days
    states = {
        u.advertiser.advertiser_id: u.state for u in _only_post(_results(client, author)).uses
    }
    assert set(states.values()) == {UseState.CODE_EXPIRED}
    world = spark_world(client, uow, clock)
    code, _state = _only_post(_results(client, world.author)).codes[0]
    revoked = client.delete(
        f"/api/v1/authorizations/{code.authorization_id}", headers=world.author.bearer
    )
    assert revoked.status_code == 200, revoked.text
    [use] = _only_post(_results(client, world.author)).uses
    assert use.state is UseState.REVOKED
    assert use.delivery is Delivery.NO_AD


def test_an_ad_not_shown_yet_is_told_apart_from_no_ad_and_a_paused_one(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    made = create_ad(client, world)
    assert made["code"] == 0
    [use] = _only_post(_results(client, world.author)).uses
    assert (use.delivery, use.ads, use.running, use.figures) == (
        Delivery.NOT_SHOWN_YET, 1, 1, Figures(),
    )  # fmt: skip
    paused = open_api_post(
        client, world.brand, "ad/status/update/", advertiser_id=world.brand.id,
        ad_ids=made["data"]["ad_ids"], operation_status="DISABLE",
    )  # fmt: skip
    assert paused["code"] == 0, paused
    [use] = _only_post(_results(client, world.author)).uses
    assert (use.delivery, use.ads, use.running) == (Delivery.NOT_RUNNING, 1, 0)


def test_a_post_with_a_code_no_brand_applied_is_listed_alone(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    who = creator(uow, clock)
    post = publish(client, who)
    publish(client, who, caption="never authorized")
    made = client.post(
        f"/api/v1/posts/{post['item_id']}/authorizations",
        json={"duration_days": 7},
        headers=who.bearer,
    )
    assert made.status_code == 201
    results = _results(client, who)
    only = _only_post(results)
    assert (only.post.item_id, only.uses, len(only.codes)) == (post["item_id"], [], 1)
    assert results.total == Figures()
    assert results.brands == []


def _bc_ad(client: TestClient, uow: UnitOfWork, clock: TestClock) -> tuple[SparkWorld, str]:
    """A Business Center given the creator's account; one of its ad accounts runs her post."""
    bc = business_center(uow, clock)
    brand = advertiser(uow, clock, bc_id=bc.id, name="Group Brand")
    who = creator(uow, clock)
    post = publish(client, who)
    request = client.post(
        "/api/v1/access-requests", json={"handle": who.handle}, headers=bc.bearer
    ).json()
    accepted = client.post(
        f"/api/v1/access-requests/{request['request_id']}/accept", headers=who.bearer
    )
    assert accepted.status_code == 200, accepted.text
    identity = open_api_get(
        client, brand, "identity/get/", advertiser_id=brand.id, identity_type="BC_AUTH_TT",
        identity_authorized_bc_id=bc.id,
    )["data"]["identity_list"][0]["identity_id"]  # fmt: skip
    world = SparkWorld(brand, who, post, "", identity, "", "")
    campaign = open_api_post(
        client, brand, "campaign/create/", advertiser_id=brand.id, campaign_name="Group",
        objective_type="TRAFFIC", budget_mode="BUDGET_MODE_DAY", budget=50,
    )  # fmt: skip
    world.campaign_id = campaign["data"]["campaign_id"]
    group = open_api_post(
        client, brand, "adgroup/create/",
        **adgroup_body(brand, world.campaign_id, pacing="PACING_MODE_FAST"),
    )  # fmt: skip
    world.adgroup_id = group["data"]["adgroup_id"]
    made = create_ad(client, world, identity_type="BC_AUTH_TT", identity_authorized_bc_id=bc.id)
    assert made["code"] == 0, made
    return world, str(request["request_id"])


def test_business_center_access_shows_its_brands_and_its_end(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world, request_id = _bc_ad(client, uow, clock)
    show(client, feed(uow, clock), 2, ENGAGED)
    results = _results(client, world.author)
    [use] = _only_post(results).uses
    assert (use.advertiser.name, use.through, use.state) == (
        "Group Brand", Through.BUSINESS_CENTER, UseState.ACTIVE,
    )  # fmt: skip
    assert use.figures == Figures(2, 2, 2, 2, 2, 2, 2, reach=None)
    [access] = results.accesses
    assert (access.name, access.state, access.posts_used) == (
        "Brand Group", UseState.ACTIVE, 1,
    )  # fmt: skip
    ended = client.post(f"/api/v1/access-requests/{request_id}/end", headers=world.author.bearer)
    assert ended.status_code == 200, ended.text
    after = _results(client, world.author)
    assert _only_post(after).uses[0].state is UseState.REVOKED
    assert after.accesses[0].state is UseState.REVOKED


def test_native_api_answers_the_same_figures(
    client: TestClient, uow: UnitOfWork, shown: Sponsored
) -> None:
    author = shown.world.author
    answer = client.get("/api/v1/creator/sponsorships", headers=author.bearer)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    expected = {**_results(client, author).total.counts(), "reach": None}
    assert body["total"] == expected
    assert body["reach_minimum"] == MIN_AGGREGATE
    [post] = body["posts"]
    assert post["item_id"] == shown.world.post["item_id"]
    assert [c["status"] for c in post["spark_codes"]] == ["ACTIVE"]
    by_brand = {b["advertiser_id"]: b for b in post["brands"]}
    assert by_brand[shown.world.brand.id]["delivery"] == "SHOWN"
    assert by_brand[shown.world.brand.id]["views_2s"] == 3
    assert by_brand[shown.other.id]["delivery"] == "NO_AD"
    assert by_brand[shown.other.id]["through"] == "SPARK_CODE"
    recent = client.get("/api/v1/creator/sponsorships?days=7", headers=author.bearer).json()
    assert recent["days"] == 7
    assert recent["total"]["impressions"] == 5


def test_native_api_refuses_a_bad_period_and_other_tokens(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    who, brand = creator(uow, clock), advertiser(uow, clock)
    refused = client.get("/api/v1/creator/sponsorships?days=0", headers=who.bearer)
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"]["code"] == "invalid_parameter"
    assert client.get("/api/v1/creator/sponsorships", headers=brand.bearer).status_code == 403
    empty = client.get("/api/v1/creator/sponsorships", headers=who.bearer).json()
    assert empty["posts"] == []
    assert empty["brands"] == []


def test_a_deleted_ad_keeps_what_it_brought(
    client: TestClient, uow: UnitOfWork, shown: Sponsored
) -> None:
    brand = shown.world.brand
    ads = open_api_get(client, brand, "ad/get/", advertiser_id=brand.id)["data"]["list"]
    deleted = open_api_post(
        client, brand, "ad/status/update/", advertiser_id=brand.id,
        ad_ids=[ad["ad_id"] for ad in ads], operation_status="DELETE",
    )  # fmt: skip
    assert deleted["code"] == 0, deleted
    results = _results(client, shown.world.author)
    use = _use_of(results, brand)
    assert (use.ads, use.running, use.delivery) == (0, 0, Delivery.SHOWN)
    assert use.figures.impressions == results.total.impressions == 5
