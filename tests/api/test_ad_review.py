"""Issue 20: ad review (policy rules, the queue, TikTok's statuses and ad/review_info/), takedowns
and appeals, through the APIs a brand, a creator, a reviewer and an operator use."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from factories import (
    Account,
    SparkWorld,
    ask,
    authorize_post,
    create_ad,
    creative,
    feed,
    get_ad,
    open_api_get,
    open_api_post,
    operator,
    spark_world,
)
from sparkads.accounts import service
from sparkads.accounts.models import Role, TokenScope
from sparkads.api.app import create_app
from sparkads.campaigns import policy
from sparkads.clock import TestClock
from sparkads.config import Settings
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.errors import SparkadsError


@pytest.fixture
def reviewed(settings: Settings, clock: TestClock) -> Iterator[TestClient]:
    """A server where every ad waits for a person (production's default)."""
    with TestClient(create_app(settings.with_(auto_approve=False), clock)) as test_client:
        yield test_client


def reviewer(uow: UnitOfWork, clock: TestClock) -> Account:
    token = service.issue_token(
        uow.session, clock, scope=TokenScope.OPERATOR, subject_id="rev1", role=Role.REVIEWER
    )
    uow.commit()
    return Account("rev1", token)


def rule(uow: UnitOfWork, clock: TestClock, kind: str, value: str) -> None:
    policy.add_rule(uow.session, clock, kind=kind, value=value)
    uow.commit()


def review_info(
    client: TestClient, world: SparkWorld, ad_id: str, lang: str = "en"
) -> dict[str, Any]:
    answer = open_api_get(
        client,
        world.brand,
        "ad/review_info/",
        advertiser_id=world.brand.id,
        ad_ids=[ad_id],
        headers={"Accept-Language": lang},
    )
    assert answer["code"] == 0, answer
    return dict(answer["data"]["ad_review_map"][ad_id])


def test_a_prohibited_word_rejects_the_ad_with_its_reason(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    rule(uow, clock, "prohibited_word", "Miracle Cure")
    world = spark_world(client, uow, clock, post_fields={"caption": "A miracle cure, #health"})
    created = create_ad(client, world)
    assert created["code"] == 0, created
    assert created["data"]["need_audit"] is False  # decided by the rules: nobody needs to look
    ad_id = created["data"]["ad_ids"][0]
    ad = get_ad(client, world, ad_id)
    assert ad["secondary_status"] == "AD_STATUS_AUDIT_DENY"
    assert ad["review_reasons"][0]["code"] == "review_prohibited_word"
    info = review_info(client, world, ad_id)
    assert (info["review_status"], info["is_approved"]) == ("UNAVAILABLE", False)
    [rejection] = info["reject_info"]
    assert rejection["reason_code"] == "review_prohibited_word"
    assert rejection["reasons"][0] == "The caption contains a prohibited word: miracle cure."
    assert rejection["suggestion"]
    french = review_info(client, world, ad_id, "fr")["reject_info"][0]
    assert french["reasons"][0] == "La légende contient un mot interdit : miracle cure."
    assert ask(client, feed(uow, clock)) == []  # a rejected ad never serves


def test_ads_that_pass_the_rules_are_approved_when_auto_approval_is_on(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    rule(uow, clock, "prohibited_word", "miracle")
    world = spark_world(client, uow, clock)
    created = create_ad(client, world)
    ad_id = created["data"]["ad_ids"][0]
    assert created["data"]["need_audit"] is False
    assert get_ad(client, world, ad_id)["secondary_status"] == "AD_STATUS_DELIVERY_OK"
    info = review_info(client, world, ad_id)
    assert (info["review_status"], info["is_approved"], info["reject_info"]) == (
        "ALL_AVAILABLE",
        True,
        [],
    )
    assert ask(client, feed(uow, clock))


def test_an_ad_in_review_never_serves_and_serves_once_approved(
    reviewed: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(reviewed, uow, clock)
    app_feed, person = feed(uow, clock), reviewer(uow, clock)
    created = create_ad(reviewed, world)
    assert created["data"]["need_audit"] is True
    ad_id = created["data"]["ad_ids"][0]
    assert get_ad(reviewed, world, ad_id)["secondary_status"] == "AD_STATUS_AUDIT"
    assert review_info(reviewed, world, ad_id)["review_status"] == "IN_REVIEW"
    assert ask(reviewed, app_feed) == []
    queue = reviewed.get("/api/v1/review/queue", headers=person.bearer).json()
    assert [a["ad_id"] for a in queue["ads"]] == [ad_id]
    assert queue["ads"][0]["caption"] == world.post["caption"]
    approved = reviewed.post(f"/api/v1/review/ads/{ad_id}/approve", headers=person.bearer)
    assert approved.status_code == 200, approved.text
    [decision] = ask(reviewed, app_feed)
    assert decision["ad_id"] == ad_id
    assert reviewed.get("/api/v1/review/queue", headers=person.bearer).json()["ads"] == []
    again = reviewed.post(f"/api/v1/review/ads/{ad_id}/approve", headers=person.bearer)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "ad_not_in_review")


def test_an_edited_ad_is_reviewed_again_and_a_reviewer_rejects_it_with_reasons(
    reviewed: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(reviewed, uow, clock)
    person = reviewer(uow, clock)
    ad_id = create_ad(reviewed, world)["data"]["ad_ids"][0]
    reviewed.post(f"/api/v1/review/ads/{ad_id}/approve", headers=person.bearer)
    edited = open_api_post(
        reviewed,
        world.brand,
        "ad/update/",
        advertiser_id=world.brand.id,
        adgroup_id=world.adgroup_id,
        creatives=[{"ad_id": ad_id, "landing_page_url": "https://brand.example.com/new"}],
    )
    assert edited["code"] == 0, edited
    assert get_ad(reviewed, world, ad_id)["secondary_status"] == "AD_STATUS_REAUDIT"
    assert ask(reviewed, feed(uow, clock)) == []
    unknown = reviewed.post(
        f"/api/v1/review/ads/{ad_id}/reject", json={"reasons": ["ugly"]}, headers=person.bearer
    )
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (
        400,
        "review_reason_required",
    )
    rejected = reviewed.post(
        f"/api/v1/review/ads/{ad_id}/reject",
        json={"reasons": ["review_misleading"], "note": "“Cures everything” is not backed up."},
        headers=person.bearer,
    )
    assert rejected.status_code == 200, rejected.text
    info = review_info(reviewed, world, ad_id)
    assert info["review_status"] == "UNAVAILABLE"
    assert info["reject_info"][0]["reasons"] == [
        "The ad makes misleading claims.",
        "A reviewer found claims the post cannot back up. “Cures everything” is not backed up.",
    ]
    assert get_ad(reviewed, world, ad_id)["secondary_status"] == "AD_STATUS_AUDIT_DENY"


def test_age_restricted_categories_need_adult_targeting(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    rule(uow, clock, "age_restricted_category", "alcohol: wine, beer")
    caption = {"caption": "Our new #wine bar"}
    everyone = spark_world(client, uow, clock, post_fields=caption)
    ad_id = create_ad(client, everyone)["data"]["ad_ids"][0]
    [reason] = review_info(client, everyone, ad_id)["reject_info"]
    assert reason["reason_code"] == "review_needs_adult_targeting"
    adults = spark_world(
        client,
        uow,
        clock,
        post_fields=caption,
        adgroup_fields={"age_groups": ["AGE_18_24", "AGE_25_34"]},
    )
    ad_id = create_ad(client, adults)["data"]["ad_ids"][0]
    assert review_info(client, adults, ad_id)["is_approved"] is True


def test_blocked_landing_domains_are_rejected(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    rule(uow, clock, "blocked_domain", "scam.example")
    world = spark_world(client, uow, clock)
    ad_id = create_ad(client, world, landing_page_url="https://shop.scam.example/x")["data"][
        "ad_ids"
    ][0]
    [reason] = review_info(client, world, ad_id)["reject_info"]
    assert reason["reason_code"] == "review_blocked_domain"
    assert "shop.scam.example" in reason["reasons"][0]


def test_review_info_refuses_other_advertisers_ads(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    other = spark_world(client, uow, clock)
    ad_id = create_ad(client, other)["data"]["ad_ids"][0]
    answer = open_api_get(
        client, world.brand, "ad/review_info/", advertiser_id=world.brand.id, ad_ids=[ad_id]
    )
    assert answer["data"]["error"]["reason"] == "object_not_found"


def test_takedown_stops_every_ad_and_explains_the_cause(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    app_feed, op = feed(uow, clock), operator(uow, clock)
    create_ad(client, world)
    assert ask(client, app_feed)
    person = reviewer(uow, clock)
    refused = client.post(
        f"/api/v1/operator/posts/{world.post['item_id']}/takedown",
        json={"reason": "counterfeit goods"},
        headers=person.bearer,
    )
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "role_not_allowed")
    taken = client.post(
        f"/api/v1/operator/posts/{world.post['item_id']}/takedown",
        json={"reason": "counterfeit goods"},
        headers=op.bearer,
    )
    assert taken.status_code == 200, taken.text
    assert (taken.json()["status"], taken.json()["status_reason"]) == (
        "TAKEN_DOWN",
        "counterfeit goods",
    )
    assert ask(client, app_feed, {"viewer_id": "after", **_paris()}) == []
    for lang, cause in (
        ("en", "A platform operator took it down for breaking the content policy: counterfeit"),
        ("fr", "Un opérateur de la plateforme l'a retirée pour non-respect du règlement : coun"),
    ):
        answer = open_api_post(
            client,
            world.brand,
            "tt_video/authorize/",
            advertiser_id=world.brand.id,
            auth_code=world.code,
            headers={"Accept-Language": lang},
        )
        error = answer["data"]["error"]
        assert error["reason"] == "video_unavailable"
        assert error["cause"].startswith(cause)
        assert answer["message"] == "video_unavailable: " + (
            "The post is no longer available."
            if lang == "en"
            else "La publication n'est plus disponible."
        )
    created = create_ad(client, world)
    assert created["data"]["error"]["reason"] == "video_unavailable"
    assert "counterfeit goods" in created["data"]["error"]["cause"]
    seen = client.get(f"/api/v1/posts/{world.post['item_id']}", headers=world.author.bearer)
    assert seen.json()["status_reason"] == "counterfeit goods"


def test_an_appeal_reopens_review_and_reinstating_brings_the_ads_back(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    app_feed, op, person = feed(uow, clock), operator(uow, clock), reviewer(uow, clock)
    item_id = world.post["item_id"]
    create_ad(client, world)
    early = client.post(
        f"/api/v1/posts/{item_id}/appeal", json={"text": "why?"}, headers=world.author.bearer
    )
    assert (early.status_code, early.json()["error"]["code"]) == (409, "appeal_not_possible")
    client.post(
        f"/api/v1/operator/posts/{item_id}/takedown", json={"reason": "fake"}, headers=op.bearer
    )
    appealed = client.post(
        f"/api/v1/posts/{item_id}/appeal",
        json={"text": "These are my own crêpes, not a copy."},
        headers=world.author.bearer,
    )
    assert appealed.status_code == 200, appealed.text
    assert appealed.json()["appeal_status"] == "PENDING"
    reinstated = client.post(
        f"/api/v1/review/appeals/{item_id}", json={"reinstate": True}, headers=person.bearer
    )
    assert reinstated.json() == {
        "item_id": item_id,
        "status": "ACTIVE",
        "status_reason": "",
        "appeal_status": "REINSTATED",
        "ads_affected": 1,
    }
    assert ask(client, app_feed)  # re-reviewed (auto-approval on here) and serving again
    assert authorize_post(client, world.author, item_id)["auth_code"]


def _paris() -> dict[str, Any]:
    from factories import PARIS_VIEWER

    return {k: v for k, v in PARIS_VIEWER.items() if k != "viewer_id"}


def test_a_creative_on_a_rule_breaking_landing_page_is_reported_per_ad(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    rule(uow, clock, "allowed_domain", "brand.example.com")
    world = spark_world(client, uow, clock)
    created = open_api_post(
        client,
        world.brand,
        "ad/create/",
        advertiser_id=world.brand.id,
        adgroup_id=world.adgroup_id,
        creatives=[
            creative(world.identity_id, world.post["item_id"]),
            creative(
                world.identity_id, world.post["item_id"], landing_page_url="https://else.example"
            ),
        ],
    )
    good, bad = created["data"]["ad_ids"]
    assert review_info(client, world, good)["is_approved"] is True
    [reason] = review_info(client, world, bad)["reject_info"]
    assert reason["reason_code"] == "review_domain_not_allowed"


def test_a_deleted_post_still_reads_as_the_seed_error(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    """The takedown's cause is its own: video_unavailable for a deleted post keeps the seed
    texts (R15), in both languages."""
    world = spark_world(client, uow, clock)
    deleted = client.delete(f"/api/v1/posts/{world.post['item_id']}", headers=world.author.bearer)
    assert deleted.status_code == 204
    for lang, cause, solution in (
        (
            "en",
            "The creator deleted the post, or it was taken down for breaking the content policy.",
            "Ask the creator for a code on another post that is still online.",
        ),
        (
            "fr",
            "Le créateur a supprimé la publication, ou elle a été retirée pour non-respect du "
            "règlement.",
            "Demandez au créateur un code pour une autre publication toujours en ligne.",
        ),
    ):
        error = open_api_post(
            client,
            world.brand,
            "tt_video/authorize/",
            advertiser_id=world.brand.id,
            auth_code=world.code,
            headers={"Accept-Language": lang},
        )["data"]["error"]
        assert (error["reason"], error["cause"], error["solution"]) == (
            "video_unavailable",
            cause,
            solution,
        )


def test_reviewer_is_a_role_of_operator_tokens_only(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    with pytest.raises(SparkadsError) as refused:
        service.issue_token(
            uow.session,
            clock,
            scope=TokenScope.ADVERTISER,
            subject_id=world.brand.id,
            role=Role.REVIEWER,
        )
    assert (refused.value.code, refused.value.params["field"]) == ("invalid_parameter", "role")
    uow.session.rollback()
    person = reviewer(uow, clock)
    advanced = client.post("/api/v1/sandbox/clock/advance", json={"days": 1}, headers=person.bearer)
    assert (advanced.status_code, advanced.json()["error"]["code"]) == (403, "role_not_allowed")


def test_a_reviewer_token_sends_no_billable_traffic_and_reads_no_audit_log(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    """A reviewer reviews ads: decisions, events and the audit log (people's e-mails) are not
    theirs, on the lean decision lane as on the routes."""
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    person = reviewer(uow, clock)
    body = {"viewer": {"viewer_id": "r1", "country": "FR", "age": 30}}
    for _ in range(2):  # the second time the token is in the principal cache (the lane's path)
        asked = client.post("/api/v1/feed/decisions", json=body, headers=person.bearer)
        assert asked.status_code == 403, asked.text
        assert asked.json()["error"]["code"] == "role_not_allowed"
    sent = client.post(
        "/api/v1/events", json={"events": [{"token": "x.y.z", "type": "click"}]},
        headers=person.bearer,
    )  # fmt: skip
    assert sent.status_code == 403
    audit = client.get("/api/v1/audit", headers=person.bearer)
    assert audit.status_code == 403
    assert audit.json()["error"]["code"] == "role_not_allowed"
