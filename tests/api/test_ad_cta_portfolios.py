"""ad/create and ad/update with `call_to_action_id`: an ad shows its call to action from a dynamic
CTA portfolio of its own ad account (TikTok v1.3); another account's, an unknown or a non-CTA
portfolio is refused with a stable code in English and French, nothing written; ad/get and the
campaigns page show it."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from factories import (
    Account,
    SparkWorld,
    advertiser,
    create_ad,
    get_ad,
    open_api_post,
    spark_world,
)
from factories.web import sign_in
from sparkads.campaigns.models import Ad, CreativePortfolio
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork

CTAS = ["LEARN_MORE", "SIGN_UP"]


def _portfolio(client: TestClient, owner: Account, ctas: list[str] = CTAS) -> str:
    made = open_api_post(
        client, owner, "creative/portfolio/create/", advertiser_id=owner.id,
        creative_portfolio_type="CTA",
        portfolio_content=[{"asset_content": c, "asset_ids": []} for c in ctas],
    )  # fmt: skip
    assert made["code"] == 0, made
    return str(made["data"]["creative_portfolio_id"])


def _update(
    client: TestClient, world: SparkWorld, ad_id: str, lang: str = "en", **fields: Any
) -> dict[str, Any]:
    return open_api_post(
        client, world.brand, "ad/update/", advertiser_id=world.brand.id,
        adgroup_id=world.adgroup_id, creatives=[{"ad_id": ad_id, **fields}],
        headers={"Accept-Language": lang},
    )  # fmt: skip


def _ads(uow: UnitOfWork) -> int:
    with uow:
        return len(uow.session.query(Ad).all())


def test_an_ad_created_with_a_portfolio_needs_no_call_to_action_and_reads_it_back(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)  # a WEBSITE ad group: a call to action is required
    portfolio_id = _portfolio(client, world.brand)

    created = create_ad(client, world, call_to_action=None, call_to_action_id=portfolio_id)
    assert created["code"] == 0, created
    ad = get_ad(client, world, created["data"]["ad_ids"][0])
    assert (ad["call_to_action_id"], ad["call_to_action"]) == (portfolio_id, None)
    without = create_ad(client, world, call_to_action=None)
    assert without["code"] == 40002
    assert "call_to_action" in without["message"]

    sign_in(client, world.brand.token)
    page = client.get("/ads/campaigns").text
    assert f'data-cta-portfolio="{portfolio_id}"' in page
    assert "Dynamic CTA: Learn more, Sign up" in page


def test_ad_update_sets_a_portfolio_that_wins_over_the_call_to_action(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    ad_id = create_ad(client, world)["data"]["ad_ids"][0]
    portfolio_id = _portfolio(client, world.brand, ["SHOP_NOW", "ORDER_NOW"])

    changed = _update(client, world, ad_id, call_to_action_id=portfolio_id)
    assert changed["code"] == 0, changed
    assert changed["data"]["creatives"][0]["call_to_action_id"] == portfolio_id
    ad = get_ad(client, world, ad_id)
    assert (ad["call_to_action_id"], ad["call_to_action"]) == (portfolio_id, "SHOP_NOW")
    renamed = _update(client, world, ad_id, ad_name="Renamed")  # kept when not given
    assert renamed["data"]["creatives"][0]["call_to_action_id"] == portfolio_id


def test_unknown_foreign_and_non_cta_portfolios_are_refused_and_nothing_is_written(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    ad_id = create_ad(client, world)["data"]["ad_ids"][0]
    stranger = advertiser(uow, clock, name="Other brand")
    theirs = _portfolio(client, stranger)
    with uow:  # only CTA portfolios can be made through the API: a card one, as if imported
        uow.session.add(
            CreativePortfolio(
                portfolio_id="card0000000000000000001",
                advertiser_id=world.brand.id,
                portfolio_type="CARD",
                content=[],
                created_at=clock.now(),
            )
        )
        uow.commit()
    before = _ads(uow)

    for portfolio_id, reason in (
        ("0000000000000000000", "portfolio_not_found"),
        (theirs, "portfolio_not_found"),
        ("card0000000000000000001", "portfolio_not_cta"),
    ):
        refused = create_ad(client, world, call_to_action_id=portfolio_id)
        error = refused["data"]["error"]
        assert (refused["code"], error["reason"]) == (40002, reason), refused
        assert portfolio_id in refused["message"]
        assert "portfolio" in error["cause"]
        assert "creative/portfolio/" in error["solution"]
        updated = _update(client, world, ad_id, call_to_action_id=portfolio_id, lang="fr")
        assert updated["data"]["error"]["reason"] == reason
        assert updated["message"].startswith(f"{reason}: Le portfolio créatif {portfolio_id}")
    assert _ads(uow) == before
    assert get_ad(client, world, ad_id)["call_to_action_id"] is None
    not_cta = create_ad(client, world, call_to_action_id="card0000000000000000001")
    assert "CARD" in not_cta["data"]["error"]["cause"]
