""" "Better post available" from the posts' real organic figures: both posts named by their
captions, the engagement counted over each one's views, in English and French; none when either
post has fewer organic views than the stated minimum."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from factories import SparkWorld, create_ad, spark_world
from factories.recommendations import cards_of, second_ad
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.reporting.recommendation_better import BETTER_POST_MIN_VIEWS


def _world(client: TestClient, uow: UnitOfWork, clock: TestClock, views: int) -> SparkWorld:
    """A running post engaging 2 % of its `views`, and a library post engaging 8 % of 4,000."""
    running = {"caption": "Crêpes, plain", "organic": {"views": views, "likes": views // 50}}
    world = spark_world(client, uow, clock, post_fields=running)
    assert create_ad(client, world)["code"] == 0
    second_ad(client, world, caption="Crêpes flambées",
              organic={"views": 4_000, "likes": 240, "comments": 40, "shares": 40})  # fmt: skip
    return world


def _better(client: TestClient, world: SparkWorld) -> list[dict[str, Any]]:
    return cards_of(client, world, "better_post_available")


def test_better_post_is_named_with_its_figures(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = _world(client, uow, clock, views=5_000)

    [card] = _better(client, world)

    assert card["evidence"]["better_post"] == "Crêpes flambées"
    assert card["evidence"]["running_post"] == "Crêpes, plain"
    assert card["basis"] == (
        "“Crêpes flambées”: 8.0% likes, comments and shares over 4,000 organic views, vs 2.0% "
        "over 5,000 for the running “Crêpes, plain”."
    )
    assert card["basis_fr"].startswith("« Crêpes flambées » : 8,0\u202f% de mentions j'aime")
    assert "score" not in card["basis"]


def test_no_better_post_card_below_the_minimum_of_organic_views(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = _world(client, uow, clock, views=BETTER_POST_MIN_VIEWS - 50)

    assert _better(client, world) == []
