"""Pages with nothing to list yet say so in a card, in the reader's language, and show none of
what they would list; the header links beside a page's h1 keep their style. Pinned because the
issue 18 refactor wrote these once as shared macros (or_empty, header_link in macros.html)."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient

from factories import operator, spark_world
from factories.web import sign_in
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.services import reports

EMPTY = {
    "recommendations": (
        "No recommendation right now: your campaigns need no change, or have not delivered "
        "enough yet.",
        "Aucune recommandation pour l'instant : vos campagnes n'ont besoin d'aucun changement, "
        "ou n'ont pas encore assez diffusé.",
    ),
    "delivery": (
        "No ad request since the server started. Open the feed preview, or run the traffic "
        "simulator.",
        "Aucune demande de publicité depuis le démarrage du serveur. Ouvrez l'aperçu du fil, ou "
        "lancez le simulateur de trafic.",
    ),
    "sponsorships": (
        "No marketplace collaboration yet. When a brand invites you through the marketplace and "
        "you accept, it shows here.",
        "Aucune collaboration de la place de marché pour l'instant. Quand une marque vous invite "
        "sur la place de marché et que vous acceptez, elle apparaît ici.",
    ),
    "appeals": ("No appeal is waiting.", "Aucun recours en attente."),
}


def _page(client: TestClient, path: str, lang: str) -> str:
    response = client.get(path, headers={"Accept-Language": lang})
    assert response.status_code == 200, response.text
    return html.unescape(response.text)


def _card(kind: str, lang: str) -> str:
    english, french = EMPTY[kind]
    return f'<div class="card"><p>{french if lang == "fr" else english}</p></div>'


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_pages_with_nothing_to_list_say_so_in_a_card_in_the_readers_language(
    client: TestClient,
    uow: UnitOfWork,
    clock: TestClock,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
) -> None:
    world = spark_world(client, uow, clock)  # no ad yet: no request, no sponsorship
    monkeypatch.setattr(reports, "recommend", lambda *args: [])
    sign_in(client, world.brand.token)

    recommendations = _page(client, "/ads/recommendations", lang)
    delivery = _page(client, f"/ads/adgroups/{world.adgroup_id}/delivery", lang)
    sign_in(client, world.author.token)
    sponsorships = _page(client, "/studio/sponsorships", lang)
    sign_in(client, operator(uow, clock).token)
    review = _page(client, "/review", lang)

    assert _card("recommendations", lang) in recommendations
    assert "data-recommendation=" not in recommendations
    assert _card("delivery", lang) in delivery
    assert "data-delivery=" not in delivery
    assert _card("sponsorships", lang) in sponsorships
    assert 'data-kpi="sponsorships"' not in sponsorships
    assert _card("appeals", lang) in review
    assert "data-appeal=" not in review


def test_header_links_beside_the_h1_keep_their_style(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    sign_in(client, world.brand.token)
    campaigns = client.get("/ads/campaigns").text
    collaborations = client.get("/ads/collaborations").text
    creators = client.get("/ads/creators").text
    sign_in(client, world.author.token)
    posts = client.get("/studio").text

    assert '<a class="btn" href="/ads/campaigns/new">New campaign</a>' in campaigns
    assert '<a class="btn secondary" href="/ads/creators">Find creators</a>' in collaborations
    assert '<a class="btn secondary" href="/ads/collaborations">Your invitations</a>' in creators
    assert '<a class="btn" href="/studio/posts/new">Publish a post</a>' in posts
