"""The campaign wizard's server-side drafts: each step answers a 303 to a GET of the next step,
the draft is its web session's only, a refused step comes back to its own address with the
problem (in the reader's language), and a launched draft is gone; pages answering a refused form
point their language switch at the form's page, not at its POST address."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factories import FRANCE, creator, spark_world
from factories.web import csrf_of, sign_in
from sparkads.campaigns.models import Campaign, CampaignDraft
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork

STEP = re.compile(r"^/ads/campaigns/new/([0-9a-f]{16})/(\w+)$")


def _send(client: TestClient, page: str, fields: dict[str, str]) -> tuple[str, str]:
    """Send the step's form; the 303's address, as (draft key, step)."""
    data = {"csrf_token": csrf_of(page), "step": _hidden(page, "step"), "key": _hidden(page, "key")}
    answer = client.post("/ads/campaigns/new", data=data | fields, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    found = STEP.match(answer.headers["location"])
    assert found is not None, answer.headers["location"]
    return found.group(1), found.group(2)


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)">', page)
    assert found is not None, name
    return found.group(1)


def _drafts(uow: UnitOfWork) -> int:
    uow.session.expire_all()
    return int(uow.session.scalar(select(func.count()).select_from(CampaignDraft)) or 0)


def test_steps_redirect_to_their_get_address_and_the_draft_is_the_sessions_own(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    sign_in(client, world.brand.token)
    key, step = _send(client, client.get("/ads/campaigns/new").text,
                      {"objective": "TRAFFIC", "campaign_name": "Drafted", "go": "next"})  # fmt: skip
    assert step == "post"
    page = client.get(f"/ads/campaigns/new/{key}/post")
    assert page.status_code == 200
    assert 'aria-current="step">Post<' in page.text
    post = re.search(r'name="post" value="([^"]+:[^"]+:[^"]+)"', page.text)
    assert post is not None
    assert _send(client, page.text, {"post": post.group(1), "go": "next"}) == (key, "details")
    assert _drafts(uow) == 1

    details = client.get(f"/ads/campaigns/new/{key}/details", headers={"Accept-Language": "fr"})
    fields = {"promotion_type": "WEBSITE", "call_to_action": "LEARN_MORE",
              "landing_page_url": "https://brand.example.com/", "location_ids": FRANCE,
              "budget": "1", "go": "next"}  # fmt: skip
    assert _send(client, details.text, fields) == (key, "details")  # refused: stays
    for lang, text, cause in (
        ("en", "must be at least", "1 EUR is below the minimum for a daily budget."),
        (
            "fr",
            "doit être d&#39;au moins",
            "1 EUR est en dessous du minimum pour un budget quotidien.",
        ),
    ):  # the budget's kind in words, not BUDGET_MODE_DAY and "jour(s)"
        client.cookies.set("sa_lang", lang)
        shown = client.get(f"/ads/campaigns/new/{key}/details").text  # a reload, in either language
        assert 'data-error-code="budget_below_minimum"' in shown
        assert text in shown
        assert f'<dd class="cause">{cause}</dd>' in shown
        assert 'value="https://brand.example.com/"' in shown  # the draft's choices

    stranger = TestClient(client.app)
    sign_in(stranger, world.brand.token)  # the same account, in another web session
    elsewhere = stranger.get(f"/ads/campaigns/new/{key}/details", follow_redirects=False)
    assert elsewhere.headers["location"] == "/ads/campaigns/new"

    client.cookies.set("sa_lang", "en")
    fields["budget"] = "50"
    assert _send(client, client.get(f"/ads/campaigns/new/{key}/details").text, fields) == (
        key, "review",
    )  # fmt: skip
    review = client.get(f"/ads/campaigns/new/{key}/review").text
    launched = client.post(
        "/ads/campaigns/new",
        data={"csrf_token": csrf_of(review), "step": "review", "key": key, "go": "launch"},
        follow_redirects=False,
    )
    assert launched.headers["location"] == "/ads/campaigns"
    names = uow.session.scalars(select(Campaign.campaign_name)).all()
    assert list(names).count("Drafted") == 1
    assert _drafts(uow) == 0
    gone = client.get(f"/ads/campaigns/new/{key}/review", follow_redirects=False)
    assert gone.headers["location"] == "/ads/campaigns/new"


def test_a_refused_form_points_its_language_switch_at_the_form_page(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    lea = creator(uow, clock, handle="lea.cooks")
    sign_in(client, lea.token)
    where = "/studio/posts/new"
    page = client.get(where)
    sent = {"csrf_token": csrf_of(page.text), "caption": "Galette", "visibility": "NOWHERE"}
    refused = client.post(
        "/studio/posts", data=sent, headers={"Referer": f"http://testserver{where}"}
    )
    assert refused.status_code == 400  # shown with what was typed
    assert 'class="error-box"' in refused.text
    assert re.findall(r'href="/lang/fr\?next=([^"]*)"', refused.text) == [where]
    elsewhere = client.post(
        "/studio/posts", data=sent, headers={"Referer": "https://elsewhere.example/studio"}
    )
    assert re.findall(r'href="/lang/fr\?next=([^"]*)"', elsewhere.text) == ["/"]


def test_the_review_shows_the_ads_warnings_in_the_readers_language_with_babel_figures(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock, post_fields={"duration": 7.5}, days=7)
    sign_in(client, world.brand.token)
    key, _ = _send(client, client.get("/ads/campaigns/new").text,
                   {"objective": "TRAFFIC", "campaign_name": "Short one", "go": "next"})  # fmt: skip
    page = client.get(f"/ads/campaigns/new/{key}/post").text
    post = re.search(r'name="post" value="([^"]+:[^"]+:[^"]+)"', page)
    assert post is not None
    _send(client, page, {"post": post.group(1), "go": "next"})
    details = client.get(f"/ads/campaigns/new/{key}/details").text
    _send(client, details, {"promotion_type": "WEBSITE", "call_to_action": "LEARN_MORE",
                            "landing_page_url": "https://brand.example.com/",
                            "location_ids": FRANCE, "budget": "50", "go": "next"})  # fmt: skip

    shown = {}
    for lang in ("en", "fr"):
        client.cookies.set("sa_lang", lang)
        shown[lang] = client.get(f"/ads/campaigns/new/{key}/review").text
    english, french = shown["en"], html.unescape(shown["fr"])
    assert 'data-warning-code="duration_outside_best_practice"' in english
    assert "The post lasts 7.5 s" in english
    assert "La publication dure 7,5 s" in french
    assert "Envisagez une publication de 9 à 15 secondes" in french  # cause and solution too
    assert 'data-warning-code="authorization_ends_before_schedule"' in english  # a 7-day code
    assert "2026-" not in re.sub(r"<[^>]+>", "", french.split("<h3>", 1)[1])  # no raw moments
