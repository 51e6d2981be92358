"""The review queue, the reasons in Ads Manager and the takedown in Creator Studio, through the web
app as a browser without JavaScript uses it (the browser tests cover layout and phones)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import Account, ask, create_ad, feed, operator, spark_world
from factories.web import csrf_of, sign_in
from sparkads.accounts import service
from sparkads.accounts.models import Role, TokenScope
from sparkads.api.app import create_app
from sparkads.campaigns import policy
from sparkads.clock import TestClock
from sparkads.config import Settings
from sparkads.db.audit import AuditEntry
from sparkads.db.unit_of_work import UnitOfWork


@pytest.fixture
def reviewed(settings: Settings, clock: TestClock) -> Iterator[TestClient]:
    with TestClient(create_app(settings.with_(auto_approve=False), clock)) as test_client:
        yield test_client


def reviewer(uow: UnitOfWork, clock: TestClock) -> Account:
    token = service.issue_token(
        uow.session, clock, scope=TokenScope.OPERATOR, subject_id="rev1", role=Role.REVIEWER
    )
    uow.commit()
    return Account("rev1", token)


def post_form(client: TestClient, page: str, action: str, **fields: object) -> str:
    data = {"csrf_token": csrf_of(client.get(page).text), **fields}
    response = client.post(action, data=data)
    assert response.status_code == 200, response.text
    return response.text


def test_ads_manager_shows_a_rejection_reason_in_english_and_french(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    policy.add_rule(uow.session, clock, kind="prohibited_word", value="miracle")
    uow.commit()
    world = spark_world(client, uow, clock, post_fields={"caption": "A miracle diet"})
    create_ad(client, world)
    sign_in(client, world.brand.token)
    page = client.get("/ads/campaigns").text
    assert 'data-review-reason="review_prohibited_word"' in page
    assert "The caption contains a prohibited word: miracle." in page
    assert "Rejected in review" in page
    client.cookies.set("sa_lang", "fr")
    french = client.get("/ads/campaigns").text
    assert "La légende contient un mot interdit : miracle." in french
    assert "Refusée à l'examen" in french


def test_a_reviewer_approves_from_the_queue_and_the_ad_serves(
    reviewed: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(reviewed, uow, clock, post_fields={"caption": "Galettes du dimanche"})
    ad_id = create_ad(reviewed, world)["data"]["ad_ids"][0]
    app_feed = feed(uow, clock)
    assert ask(reviewed, app_feed) == []
    sign_in(reviewed, reviewer(uow, clock).token)
    assert reviewed.get("/", follow_redirects=False).headers["location"] == "/review"
    queue = reviewed.get("/review").text
    assert f'data-review-ad="{ad_id}"' in queue
    assert "Galettes du dimanche" in queue
    done = post_form(reviewed, "/review", f"/review/ads/{ad_id}/approve")
    assert "Approved: the ad serves within a second." in done
    assert "No ad is waiting for review." in done
    assert [d["ad_id"] for d in ask(reviewed, app_feed)] == [ad_id]
    # the audit log names the reviewer, from the web app, for the approval
    uow.session.expire_all()
    approval = uow.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == "ad", AuditEntry.entity_id == ad_id)
        .order_by(AuditEntry.id.desc())
    ).first()
    assert approval is not None
    assert (approval.surface, approval.actor_id, approval.actor_role) == ("web", "rev1", "reviewer")


def test_a_reviewer_rejects_with_reasons_the_advertiser_reads(
    reviewed: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(reviewed, uow, clock)
    ad_id = create_ad(reviewed, world)["data"]["ad_ids"][0]
    sign_in(reviewed, reviewer(uow, clock).token)
    missing = reviewed.post(
        f"/review/ads/{ad_id}/reject", data={"csrf_token": csrf_of(reviewed.get("/review").text)}
    )
    assert missing.status_code == 400
    assert 'data-error-code="review_reason_required"' in missing.text
    post_form(
        reviewed,
        "/review",
        f"/review/ads/{ad_id}/reject",
        reason=["review_low_quality", "review_misleading"],
        note="The video is cut off.",
    )
    sign_in(reviewed, world.brand.token)
    page = reviewed.get("/ads/campaigns").text
    assert 'data-review-reason="review_misleading"' in page
    assert 'data-review-reason="review_low_quality"' in page
    assert "The video is cut off." in page


def test_only_operators_and_reviewers_open_the_queue(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    sign_in(client, world.brand.token)
    refused = client.get("/review")
    assert refused.status_code == 403
    assert "wrong_token_scope" in refused.text
    sign_in(client, operator(uow, clock).token)
    assert client.get("/review").status_code == 200
    sent_home = client.get("/ads/campaigns", follow_redirects=False)  # test_web_sent_home
    assert (sent_home.status_code, sent_home.headers["location"]) == (303, "/console")


def test_a_creator_reads_the_takedown_and_appeals_then_a_reviewer_reinstates(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    item_id = world.post["item_id"]
    create_ad(client, world)
    taken = client.post(
        f"/api/v1/operator/posts/{item_id}/takedown",
        json={"reason": "counterfeit goods"},
        headers=operator(uow, clock).bearer,
    )
    assert taken.status_code == 200
    sign_in(client, world.author.token)
    page = client.get(f"/studio/posts/{item_id}").text
    assert "data-takedown" in page
    assert "Reason: counterfeit goods" in page
    client.cookies.set("sa_lang", "fr")
    assert "Motif : counterfeit goods" in client.get(f"/studio/posts/{item_id}").text
    client.cookies.set("sa_lang", "en")
    sent = post_form(
        client, f"/studio/posts/{item_id}", f"/studio/posts/{item_id}/appeal", text="My recipe."
    )
    assert 'data-appeal-status="PENDING"' in sent
    sign_in(client, reviewer(uow, clock).token)
    queue = client.get("/review").text
    assert f'data-appeal="{item_id}"' in queue
    assert "My recipe." in queue
    post_form(client, "/review", f"/review/appeals/{item_id}", decision="reinstate")
    sign_in(client, world.author.token)
    assert 'data-appeal-status="REINSTATED"' in client.get(f"/studio/posts/{item_id}").text
    assert ask(client, feed(uow, clock))


def test_operators_edit_the_policy_rules_and_reviewers_cannot(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    sign_in(client, operator(uow, clock).token)
    added = post_form(
        client, "/review", "/review/rules", kind="prohibited_word", value="Miracle  Cure"
    )
    assert "Rule added: new and edited ads meet it." in added
    assert 'data-rule="prohibited_word"' in added
    assert [(r.kind, r.value) for r in policy.list_rules(uow.session)] == [
        ("prohibited_word", "miracle cure")
    ]
    bad = client.post(
        "/review/rules",
        data={"csrf_token": csrf_of(client.get("/review").text), "kind": "blocked_domain",
              "value": "not a domain"},
    )  # fmt: skip
    assert bad.status_code == 400
    assert 'data-error-code="policy_rule_invalid"' in bad.text
    sign_in(client, reviewer(uow, clock).token)
    page = client.get("/review").text
    assert 'id="rules"' not in page
    refused = client.post(
        "/review/rules",
        data={"csrf_token": csrf_of(page), "kind": "prohibited_word", "value": "x"},
    )
    assert refused.status_code == 403
    assert 'data-error-code="role_not_allowed"' in refused.text
    world = spark_world(client, uow, clock, post_fields={"caption": "A miracle cure"})
    assert create_ad(client, world)["data"]["need_audit"] is False
    info = open_api_get_review(client, world)
    assert info["reject_info"][0]["reason_code"] == "review_prohibited_word"


def open_api_get_review(client: TestClient, world: Any) -> dict[str, Any]:
    from factories import open_api_get

    ad_id = open_api_get(client, world.brand, "ad/get/", advertiser_id=world.brand.id)["data"][
        "list"
    ][0]["ad_id"]
    answer = open_api_get(
        client, world.brand, "ad/review_info/", advertiser_id=world.brand.id, ad_ids=[ad_id]
    )
    return dict(answer["data"]["ad_review_map"][ad_id])


def test_the_wizard_review_step_says_what_the_policy_rules_decide(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    import re

    from test_web_wizard_upload import _linked_brand, _step, _to_post_step

    from factories import FRANCE
    from factories.media import mp4

    policy.add_rule(uow.session, clock, kind="prohibited_word", value="miracle")
    uow.commit()
    brand, _ = _linked_brand(uow, clock)
    sign_in(client, brand.token)
    page = _to_post_step(client)
    identity = re.search(r'<option value="(TT_USER:\d+)"', page)
    assert identity is not None
    details = _step(
        client, page,
        {"post": "upload", "upload_identity": identity.group(1), "ad_text": "Miracle roast",
         "go": "next"},
        files={"video_file": ("roast.mp4", mp4(12.0, width=720, height=1280), "video/mp4")},
    )  # fmt: skip
    review = _step(
        client, details,
        {"promotion_type": "WEBSITE", "call_to_action": "LEARN_MORE",
         "landing_page_url": "https://brand.example.com/roast", "location_ids": FRANCE,
         "budget": "50", "go": "next"},
    )  # fmt: skip
    assert 'data-review-reason="review_prohibited_word"' in review, review
    assert "The caption contains a prohibited word: miracle." in review
