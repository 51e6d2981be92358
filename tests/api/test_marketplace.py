"""Creator marketplace (R18, R19): opt-in profiles with computed stats, search ranked by engaged
views per euro, invitations that end with the post in the brand's library, sponsorships."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from factories import (
    PARIS_VIEWER,
    Account,
    adgroup_body,
    advertiser,
    ask,
    business_center,
    campaign_body,
    create_ad,
    creative,
    creator,
    feed,
    open_api_get,
    open_api_post,
    publish,
    send_events,
    spark_world,
)
from sparkads.accounts import people
from sparkads.accounts import service as accounts
from sparkads.accounts.models import Role, TokenScope
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork

API = "/api/v1/marketplace"


@pytest.fixture
def brand(uow: UnitOfWork, clock: TestClock) -> Account:
    return advertiser(uow, clock)


def _creator(
    uow: UnitOfWork, clock: TestClock, handle: str, followers: int, sector: str = "fitness"
) -> Account:
    row = accounts.create_creator(
        uow.session, clock, handle=handle, display_name=handle.title(), country="FR",
        sector=sector, followers=followers,
    )  # fmt: skip
    token = accounts.issue_token(
        uow.session, clock, scope=TokenScope.CREATOR, subject_id=row.creator_id
    )
    uow.commit()
    return Account(row.creator_id, token, handle=handle)


def _opt_in(client: TestClient, who: Account, fee: float, **fields: Any) -> dict[str, Any]:
    body = {"sector": "fitness", "countries": ["FR"], "languages": ["fr"], "asking_fee": fee}
    body.update(fields)
    response = client.put(f"{API}/profile", json=body, headers=who.bearer)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _posts(client: TestClient, who: Account, views: int, rate: float, count: int = 3) -> None:
    for n in range(count):
        likes = int(views * rate * 0.8)
        publish(
            client, who, caption=f"Workout {n} #fitness",
            organic={"views": views, "likes": likes, "comments": likes // 8, "shares": likes // 8},
        )  # fmt: skip


def _search(client: TestClient, who: Account, **params: Any) -> dict[str, Any]:
    response = client.get(f"{API}/creators", params=params, headers=who.bearer)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_opt_in_profile_shows_computed_engagement_and_tier(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    coach = _creator(uow, clock, "coach.lea", 42_000)
    _posts(client, coach, views=30_000, rate=0.1)
    profile = _opt_in(client, coach, 180)
    assert (profile["tier"], profile["followers"], profile["posts"]) == ("micro", 42_000, 3)
    assert profile["views_per_post"] == 30_000
    assert profile["engagement_rate"] == pytest.approx(0.1, abs=0.002)
    assert profile["asking_fee"] == {"amount": 180.0, "currency": "EUR"}
    audience = profile["audience"]
    assert audience["estimated"] is True
    assert audience["observed_viewers"] == 0
    assert audience["countries"] == {"FR": 1.0}  # nobody watched yet: the declared country
    # no traffic: no age, gender or interest share is made up
    assert (audience["age_groups"], audience["genders"], audience["interests"]) == ({}, {}, [])


def test_profile_with_an_unknown_sector_is_refused(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    coach = _creator(uow, clock, "coach.max", 5_000)
    response = client.put(
        f"{API}/profile",
        json={"sector": "knitting", "countries": ["FR"], "asking_fee": 50},
        headers=coach.bearer,
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], "fitness" in error["message"]) == ("invalid_parameter", True)


def test_ranking_puts_micro_with_high_engagement_and_low_fee_above_macro(
    client: TestClient, uow: UnitOfWork, clock: TestClock, brand: Account
) -> None:
    micro = _creator(uow, clock, "micro.fit", 60_000)
    _posts(client, micro, views=45_000, rate=0.12)
    _opt_in(client, micro, 250)
    macro = _creator(uow, clock, "macro.fit", 850_000)
    _posts(client, macro, views=500_000, rate=0.008)
    _opt_in(client, macro, 4_000)
    found = _search(client, brand, sector="fitness", budget=5_000, target_countries="FR")
    assert [r["creator"]["handle"] for r in found["results"]] == ["micro.fit", "macro.fit"]
    best, second = found["results"]
    assert (best["rank"], best["creator"]["tier"], second["creator"]["tier"]) == (
        1,
        "micro",
        "macro",
    )
    assert best["score"]["engaged_views_for_budget"] > second["score"]["engaged_views_for_budget"]
    assert best["score"]["collaborations_for_budget"] == 20
    assert "engaged views per euro" in best["score"]["explanation"]
    assert best["score"]["audience_match"] == 1.0


def test_search_filters_by_tier_fee_and_sector(
    client: TestClient, uow: UnitOfWork, clock: TestClock, brand: Account
) -> None:
    for handle, followers, fee, sector in (
        ("nano.fit", 4_000, 40, "fitness"),
        ("micro.fit", 30_000, 150, "fitness"),
        ("micro.food", 30_000, 150, "food"),
        ("mega.fit", 3_000_000, 20_000, "fitness"),
    ):
        who = _creator(uow, clock, handle, followers, sector)
        _posts(client, who, views=followers, rate=0.05, count=1)
        _opt_in(client, who, fee, sector=sector)
    handles = lambda found: sorted(r["creator"]["handle"] for r in found["results"])  # noqa: E731
    assert handles(_search(client, brand, sector="fitness", tier=["nano", "micro"])) == [
        "micro.fit", "nano.fit",
    ]  # fmt: skip
    assert handles(_search(client, brand, max_fee=1_000)) == ["micro.fit", "micro.food", "nano.fit"]
    assert handles(_search(client, brand, min_followers=1_000_000)) == ["mega.fit"]
    assert _search(client, brand, country="DE")["total"] == 0


def test_creator_audience_comes_from_who_watched_their_posts(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    for n in range(30):
        viewer = {**PARIS_VIEWER, "viewer_id": f"sim-7-{n}", "age": 19, "gender": "MALE"}
        [decision] = ask(client, app_feed, viewer)
        send_events(client, app_feed, (decision["token"], "impression"))
    profile = _opt_in(client, world.author, 90, sector="food", countries=["DE"])
    audience = profile["audience"]
    assert audience["observed_viewers"] == 30
    # 30 observed French 18-24 men against 100 pseudo-viewers from Germany
    assert audience["countries"]["FR"] == pytest.approx(30 / 130, abs=0.001)
    assert audience["age_groups"]["AGE_18_24"] > 0.3
    assert audience["genders"]["GENDER_MALE"] > 0.5


def _invite(client: TestClient, brand: Account, creator_id: str, **fields: Any) -> dict[str, Any]:
    body = {"advertiser_id": brand.id, "creator_id": creator_id, "fee": 220, "duration_days": 60}
    body.update(fields)
    response = client.post(f"{API}/collaborations", json=body, headers=brand.bearer)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_invitation_flow_ends_with_the_post_in_the_advertisers_library(
    client: TestClient, uow: UnitOfWork, clock: TestClock, brand: Account
) -> None:
    coach = _creator(uow, clock, "coach.ines", 35_000)
    post = publish(client, coach, caption="Core in 10 minutes #fitness")
    _opt_in(client, coach, 200)
    invitation = _invite(client, brand, coach.id, item_id=post["item_id"], message="Love it!")
    assert (invitation["status"], invitation["kind"]) == ("INVITED", "POST")
    inbox = client.get(f"{API}/collaborations", headers=coach.bearer).json()
    assert [c["collaboration_id"] for c in inbox] == [invitation["collaboration_id"]]
    accepted = client.post(
        f"{API}/collaborations/{invitation['collaboration_id']}/accept", headers=coach.bearer
    )
    assert accepted.status_code == 200, accepted.text
    deal = accepted.json()["collaboration"]
    assert deal["status"] == "ACCEPTED"
    assert (deal["authorization"]["duration_days"], deal["authorization"]["status"]) == (
        60,
        "AUTHORIZED",
    )
    library = open_api_get(client, brand, "tt_video/list/", advertiser_id=brand.id)
    assert [p["item_info"]["item_id"] for p in library["data"]["list"]] == [post["item_id"]]
    sponsorships = client.get(f"{API}/sponsorships", headers=coach.bearer).json()
    [sponsorship] = sponsorships["sponsorships"]
    assert sponsorship["brand"]["advertiser_id"] == brand.id
    assert sponsorship["post"] == {"item_id": post["item_id"], "caption": post["caption"]}
    assert (sponsorship["fee"]["amount"], sponsorship["status"]) == (220.0, "ACTIVE")
    assert sponsorships["agreed_fees"] == {"amount": 220.0, "currency": "EUR"}


def test_brief_is_accepted_with_the_post_made_for_it(
    client: TestClient, uow: UnitOfWork, clock: TestClock, brand: Account
) -> None:
    coach = _creator(uow, clock, "coach.tom", 12_000)
    _opt_in(client, coach, 120)
    invitation = _invite(client, brand, coach.id, brief="Show our shoes in a 12 s workout")
    url = f"{API}/collaborations/{invitation['collaboration_id']}/accept"
    missing = client.post(url, json={}, headers=coach.bearer)
    assert (missing.status_code, missing.json()["error"]["code"]) == (
        400,
        "collaboration_post_required",
    )
    post = publish(client, coach, caption="Shoes on, 12 s workout #ad")
    done = client.post(url, json={"item_id": post["item_id"]}, headers=coach.bearer)
    assert done.status_code == 200, done.text
    assert done.json()["collaboration"]["item_id"] == post["item_id"]
    code = done.json()["auth_code"]
    info = open_api_get(client, brand, "tt_video/info/", advertiser_id=brand.id, auth_code=code)
    assert info["data"]["item_info"]["item_id"] == post["item_id"]


def test_declined_invitation_cannot_be_accepted(
    client: TestClient, uow: UnitOfWork, clock: TestClock, brand: Account
) -> None:
    coach = _creator(uow, clock, "coach.zoe", 9_000)
    post = publish(client, coach)
    _opt_in(client, coach, 60)
    invitation = _invite(client, brand, coach.id, item_id=post["item_id"])
    base = f"{API}/collaborations/{invitation['collaboration_id']}"
    assert client.post(f"{base}/decline", headers=coach.bearer).json()["status"] == "DECLINED"
    again = client.post(f"{base}/accept", headers=coach.bearer)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "collaboration_closed")
    assert client.get(f"{API}/sponsorships", headers=coach.bearer).json()["sponsorships"] == []


def test_private_post_acceptance_writes_nothing(
    client: TestClient, uow: UnitOfWork, clock: TestClock, brand: Account
) -> None:
    coach = _creator(uow, clock, "coach.hugo", 9_000)
    post = publish(client, coach, visibility="PRIVATE")
    _opt_in(client, coach, 60)
    invitation = _invite(client, brand, coach.id, item_id=post["item_id"])
    refused = client.post(
        f"{API}/collaborations/{invitation['collaboration_id']}/accept", headers=coach.bearer
    )
    assert refused.json()["error"]["code"] == "not_public_video"
    codes = client.get(f"/api/v1/posts/{post['item_id']}/authorizations", headers=coach.bearer)
    assert codes.json() == []
    assert (
        client.get(f"{API}/collaborations", headers=coach.bearer).json()[0]["status"] == "INVITED"
    )


def test_creators_outside_the_marketplace_cannot_be_invited(
    client: TestClient, uow: UnitOfWork, clock: TestClock, brand: Account
) -> None:
    stranger = creator(uow, clock)
    response = client.post(
        f"{API}/collaborations",
        json={"advertiser_id": brand.id, "creator_id": stranger.id, "brief": "hi", "fee": 10},
        headers=brand.bearer,
    )
    assert (response.status_code, response.json()["error"]["code"]) == (
        404,
        "creator_profile_not_found",
    )


def test_another_brands_collaboration_is_not_found(
    client: TestClient, uow: UnitOfWork, clock: TestClock, brand: Account
) -> None:
    coach = _creator(uow, clock, "coach.mia", 9_000)
    _opt_in(client, coach, 60)
    invitation = _invite(client, brand, coach.id, brief="brief")
    other = advertiser(uow, clock, name="Other brand")
    response = client.post(
        f"{API}/collaborations/{invitation['collaboration_id']}/cancel", headers=other.bearer
    )
    assert (response.status_code, response.json()["error"]["code"]) == (
        404,
        "collaboration_not_found",
    )


def test_left_creators_disappear_from_search(
    client: TestClient, uow: UnitOfWork, clock: TestClock, brand: Account
) -> None:
    coach = _creator(uow, clock, "coach.leon", 9_000)
    _opt_in(client, coach, 60)
    assert _search(client, brand)["total"] == 1
    assert client.delete(f"{API}/profile", headers=coach.bearer).status_code == 204
    assert _search(client, brand)["total"] == 0
    assert client.get(f"{API}/creators/{coach.id}", headers=brand.bearer).status_code == 404


def test_sponsorship_shows_the_reach_the_brands_ads_gave_the_post(
    client: TestClient, uow: UnitOfWork, clock: TestClock, brand: Account
) -> None:
    coach = _creator(uow, clock, "coach.nina", 20_000)
    post = publish(client, coach, caption="Morning stretch #fitness")
    _opt_in(client, coach, 150)
    invitation = _invite(client, brand, coach.id, item_id=post["item_id"])
    code = client.post(
        f"{API}/collaborations/{invitation['collaboration_id']}/accept", headers=coach.bearer
    ).json()["auth_code"]
    info = open_api_get(client, brand, "tt_video/info/", advertiser_id=brand.id, auth_code=code)
    campaign = open_api_post(client, brand, "campaign/create/", **campaign_body(brand))
    group = open_api_post(
        client, brand, "adgroup/create/", **adgroup_body(brand, campaign["data"]["campaign_id"])
    )
    ad = open_api_post(
        client, brand, "ad/create/", advertiser_id=brand.id,
        adgroup_id=group["data"]["adgroup_id"],
        creatives=[creative(info["data"]["user_info"]["identity_id"], post["item_id"])],
    )  # fmt: skip
    assert ad["code"] == 0, ad
    app_feed = feed(uow, clock)
    for n in range(3):
        [decision] = ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": f"viewer-{n % 2}"})
        send_events(client, app_feed, (decision["token"], "impression"))
    [sponsorship] = client.get(f"{API}/sponsorships", headers=coach.bearer).json()["sponsorships"]
    assert (sponsorship["paid_impressions"], sponsorship["paid_reach"]) == (3, 2)


def test_a_business_center_token_limited_to_some_ad_accounts_sees_only_theirs(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    """A member limited to one ad account of the Business Center neither sees nor cancels the
    collaborations of its other ad accounts (as authorize_advertiser refuses them)."""
    bc = business_center(uow, clock)
    mine = advertiser(uow, clock, bc_id=bc.id, name="Mine")
    theirs = advertiser(uow, clock, bc_id=bc.id, name="Theirs")
    coach = _creator(uow, clock, "coach.lea", 9_000)
    _opt_in(client, coach, 60)
    own = _invite(client, mine, coach.id, brief="ours")["collaboration_id"]
    other = _invite(client, theirs, coach.id, brief="theirs")["collaboration_id"]
    user = people.create_user(uow.session, clock, email="lim@brand.example", password="x" * 12)
    people.add_membership(
        uow.session, clock, user=user, scope=TokenScope.BUSINESS_CENTER, subject_id=bc.id,
        role=Role.OPERATOR, advertiser_ids=(mine.id,),
    )  # fmt: skip
    token = accounts.issue_token(
        uow.session, clock, scope=TokenScope.BUSINESS_CENTER, subject_id=bc.id,
        user_id=user.user_id,
    )  # fmt: skip
    uow.commit()
    limited = Account(bc.id, token)
    listed = client.get(f"{API}/collaborations", headers=limited.bearer).json()
    assert [c["collaboration_id"] for c in listed] == [own]
    seen = client.get(f"{API}/collaborations/{other}", headers=limited.bearer)
    assert (seen.status_code, seen.json()["error"]["code"]) == (404, "collaboration_not_found")
    cancel = client.post(f"{API}/collaborations/{other}/cancel", headers=limited.bearer)
    assert (cancel.status_code, cancel.json()["error"]["code"]) == (
        404,
        "collaboration_not_found",
    )
    still = client.get(f"{API}/collaborations/{other}", headers=theirs.bearer).json()
    assert still["status"] == "INVITED"
    # the whole Business Center's token still sees both
    everything = client.get(f"{API}/collaborations", headers=bc.bearer).json()
    assert {c["collaboration_id"] for c in everything} == {own, other}
