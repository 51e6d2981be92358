"""The native API's recommendations and library scores (read through services.reports): the
ad account's own, and refused for another's token before anything is read."""

from __future__ import annotations

from fastapi.testclient import TestClient

from factories import advertiser, spark_world
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


def test_scores_and_recommendations_of_the_own_ad_account_only(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    stranger = advertiser(uow, clock, name="Other brand")
    params = {"advertiser_id": world.brand.id}

    scores = client.get("/api/v1/library/scores", params=params, headers=world.brand.bearer)
    assert scores.status_code == 200, scores.text
    [scored] = scores.json()["posts"]
    assert scored["item_id"] == world.post["item_id"]
    mine = client.get("/api/v1/recommendations", params=params, headers=world.brand.bearer)
    assert mine.status_code == 200, mine.text
    assert isinstance(mine.json()["recommendations"], list)

    for path in ("/api/v1/library/scores", "/api/v1/recommendations"):
        refused = client.get(path, params=params, headers=stranger.bearer)
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "no_permission")
