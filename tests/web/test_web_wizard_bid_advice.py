"""The review's no-delivery advice fits the draft: a custom bid that wins no auction is told to
raise the bid or choose lowest cost; a draft already on lowest cost is told what else it can
change (a custom bid high enough to win, or a wider targeting), never to choose what it chose."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from factories import FRANCE, create_ad, spark_world
from factories.traffic import log_traffic
from factories.web import sign_in
from sparkads.api.app import create_app
from sparkads.clock import TestClock
from sparkads.config import Settings
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.simulation import population as synthetic


@pytest.fixture(scope="module")
def people() -> synthetic.Population:
    return synthetic.generate(3_000, 7)


def _review(client: TestClient, fields: dict[str, str]) -> str:
    """The wizard from its first step to the review, as a browser without JavaScript fills it."""

    def step(page: str, more: dict[str, str]) -> str:
        data: dict[str, list[str]] = {}
        for name, value in re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page
        ):
            data.setdefault(name, []).append(value)
        data.update({name: [value] for name, value in more.items()})
        response = client.post("/ads/campaigns/new", data=data)
        assert response.status_code == 200, response.text
        return response.text

    page = step(client.get("/ads/campaigns/new").text,
                {"objective": "TRAFFIC", "campaign_name": "Outbid", "go": "next"})  # fmt: skip
    post = re.search(r'name="post" value="([^"]+:[^"]+:[^"]+)"', page)
    assert post is not None, page
    page = step(page, {"post": post.group(1), "go": "next"})
    details = {"promotion_type": "WEBSITE", "call_to_action": "LEARN_MORE",
               "landing_page_url": "https://brand.example.com/", "location_ids": FRANCE,
               "budget": "50", "go": "next"}  # fmt: skip
    return html.unescape(step(page, {**details, **fields}))


@pytest.mark.parametrize(
    ("language", "lowest_cost", "custom"),
    [
        (
            "en",
            "set a custom bid high enough to win, or widen the targeting",
            "Raise the bid, or choose the lowest cost bid strategy",
        ),
        (
            "fr",
            "fixez une enchère personnalisée assez haute pour gagner, ou élargissez le ciblage",
            "Augmentez l'enchère, ou choisissez la stratégie au coût le plus bas",
        ),
    ],
    ids=["en", "fr"],
)
def test_a_lowest_cost_draft_that_wins_nothing_is_not_told_to_choose_lowest_cost(
    client: TestClient,
    uow: UnitOfWork,
    clock: TestClock,
    people: synthetic.Population,
    language: str,
    lowest_cost: str,
    custom: str,
) -> None:
    world = spark_world(client, uow, clock, adgroup_fields={"bid_price": 5, "budget": 5000})
    assert create_ad(client, world)["code"] == 0  # a live competitor in France, bidding high
    client.app.state.context.delivery.store.refresh()  # type: ignore[attr-defined]
    log_traffic(client, people)
    sign_in(client, world.brand.token)
    client.cookies.set("sa_lang", language)

    review = _review(client, {"bid_type": "BID_TYPE_NO_BID"})

    assert 'data-zero-because="bid"' in review
    assert lowest_cost in review
    assert custom not in review
    sign_in(client, world.brand.token)  # a new draft: a custom bid of a cent still hears it
    client.cookies.set("sa_lang", language)
    outbid = _review(client, {"bid_type": "BID_TYPE_CUSTOM", "bid": "0.01"})
    assert 'data-zero-because="bid"' in outbid
    assert custom in outbid
    assert lowest_cost not in outbid


@pytest.mark.parametrize(
    ("language", "rate", "needed"),
    [
        ("en", "(one feed request in 10 is sampled, 10%)", "so about 1,000 feed requests"),
        (
            "fr",
            "(une requête du fil sur 10 est échantillonnée, 10 %)",
            "soit environ 1\u202f000 requêtes",
        ),
    ],
    ids=["en", "fr"],
)
def test_without_traffic_the_review_says_the_sample_rate(
    settings: Settings, uow: UnitOfWork, clock: TestClock, language: str, rate: str, needed: str
) -> None:
    """A server logging one feed request in ten, with none logged yet: the review's no-basis
    notice says so, and how many feed requests a forecast needs."""
    with TestClient(create_app(settings.with_(traffic_sample_rate=0.1), clock)) as client:
        world = spark_world(client, uow, clock)
        assert create_ad(client, world)["code"] == 0
        sign_in(client, world.brand.token)
        client.cookies.set("sa_lang", language)
        review = _review(client, {"bid_type": "BID_TYPE_CUSTOM", "bid": "1"})
    assert 'data-forecast="no-basis"' in review
    assert rate in review
    assert needed in review
