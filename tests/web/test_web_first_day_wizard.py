"""What a first-day user meets in the campaign wizard: several countries and regions at once (the
review and the launched ad group keep them all), the way an ad reaches its post in words (the
code on hover), and a missing link named by its label, its field marked, the other values kept."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import FRANCE, spark_world
from factories.web import sign_in, wizard_step
from sparkads.campaigns.models import AdGroup
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork

Fields = dict[str, str | list[str]]
BELGIUM, BRITTANY = "2802361", "3017382-BRE"


def _details(
    client: TestClient, uow: UnitOfWork, clock: TestClock, lang: str = "en", words: str = ""
) -> str:
    world = spark_world(client, uow, clock)
    sign_in(client, world.brand.token)
    client.cookies.set("sa_lang", lang)
    page = client.get("/ads/campaigns/new").text
    page = wizard_step(
        client, page, {"objective": "TRAFFIC", "campaign_name": "Many", "go": "next"}
    )
    assert (
        f'<abbr class="code-hint" title="AUTH_CODE" data-identity-type="AUTH_CODE">{words}' in page
    )
    post = re.search(r'name="post" value="([^"]+:[^"]+:[^"]+)"', page)
    assert post is not None, page
    return wizard_step(client, page, {"post": post.group(1), "go": "next"})


DETAILS: Fields = {
    "promotion_type": "WEBSITE", "call_to_action": "LEARN_MORE",
    "landing_page_url": "https://brand.example.com/", "budget": "50", "location_ids": FRANCE,
}  # fmt: skip


def test_several_countries_and_a_region_reach_the_review_and_the_ad_group(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    page = _details(client, uow, clock, words="Spark code")
    for value in (FRANCE, BELGIUM, BRITTANY):
        assert f'name="location_ids" value="{value}"' in page
    assert re.search(rf'type="checkbox" name="location_ids" value="{FRANCE}" checked', page)

    places = [FRANCE, BELGIUM, BRITTANY]
    review = wizard_step(client, page, {**DETAILS, "location_ids": places, "go": "next"})

    shown = re.search(r'<span data-review="locations">([^<]*)</span>', review)
    assert shown is not None, review
    assert html.unescape(shown.group(1)) == "France, Belgium, Brittany (France)"
    launched = wizard_step(client, review, {"go": "launch"})
    assert "launched" in launched
    uow.session.expire_all()
    group = uow.session.scalars(select(AdGroup).where(AdGroup.adgroup_name == "Many")).one()
    assert group.targeting["location_ids"] == places
    campaigns = client.get("/ads/campaigns").text
    assert 'data-identity-type="AUTH_CODE"' in campaigns
    assert ">AUTH_CODE" not in campaigns


def test_no_country_ticked_is_refused_by_name(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    page = _details(client, uow, clock)
    refused = wizard_step(client, page, {**DETAILS, "location_ids": [], "go": "next"})
    assert 'data-error-code="invalid_parameter"' in refused
    assert "Correct Countries and send the form again." in html.unescape(refused)


@pytest.mark.parametrize(
    ("lang", "words", "hint"),
    [
        ("en", "Spark code", "Type the address of the page people open"),
        ("fr", "Code Spark", "Saisissez l'adresse de la page"),
    ],
)
def test_a_missing_link_is_named_and_marked_the_rest_kept(
    client: TestClient, uow: UnitOfWork, clock: TestClock, lang: str, words: str, hint: str
) -> None:
    page = _details(client, uow, clock, lang, words)

    refused = wizard_step(
        client, page, {**DETAILS, "landing_page_url": "", "budget": "77", "go": "next"}
    )

    text = html.unescape(refused)
    assert 'data-error-code="invalid_parameter"' in refused
    assert "cannot take" not in text
    assert "ne peut pas" not in text
    assert hint in text
    field = re.search(r'<input id="landing_page_url"[^>]*>', refused)
    assert field is not None
    assert 'aria-invalid="true"' in field.group(0)
    assert 'aria-describedby="landing_page_url-problem link-hint"' in field.group(0)
    assert re.search(r'id="landing_page_url-problem"[^>]*>[^<]+<', refused)
    assert re.search(r'id="budget"[^>]*value="77"', refused)
    assert 'value="LEARN_MORE" selected' in refused
