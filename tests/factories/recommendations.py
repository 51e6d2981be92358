"""Advertisers with two ads in one ad group, each on its own post and Spark code, shown through the
feed API with the events each viewer sends: real delivery for the recommendation tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from factories import (
    PARIS_VIEWER,
    Account,
    SparkWorld,
    ask,
    authorize_post,
    creative,
    open_api_post,
    publish,
    send_events,
)


def second_ad(client: TestClient, world: SparkWorld, days: int = 30, **post: object) -> str:
    """Another post of the world's creator, authorized for `days` and applied by the brand, as a
    second ad of the world's ad group; its item id."""
    item_id = str(publish(client, world.author, **post)["item_id"])
    code = authorize_post(client, world.author, item_id, days=days)["auth_code"]
    brand = world.brand
    applied = open_api_post(
        client, brand, "tt_video/authorize/", advertiser_id=brand.id, auth_code=code
    )
    assert applied["code"] == 0, applied
    answer = open_api_post(
        client, brand, "ad/create/", advertiser_id=brand.id, adgroup_id=world.adgroup_id,
        creatives=[creative(world.identity_id, item_id)],
    )  # fmt: skip
    assert answer["code"] == 0, answer
    return item_id


def show_until(
    client: TestClient,
    app_feed: Account,
    wanted: dict[str, int],
    events: Callable[[str, int], tuple[str, ...]],
    prefix: str,
) -> dict[str, int]:
    """New viewers ask the feed until each post in `wanted` was shown that many times; the n-th
    viewer shown a post sends `events(item_id, n)` (posts not wanted, or shown enough, send
    nothing). How many times each was shown."""
    shown = dict.fromkeys(wanted, 0)
    for i in range(20 * max(wanted.values(), default=0)):
        if all(shown[item] >= n for item, n in wanted.items()):
            break
        [decision] = ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": f"{prefix}-{i}"})
        item = decision["item_id"]
        if shown.get(item, 0) >= wanted.get(item, 0):
            continue
        send_events(client, app_feed, *((decision["token"], k) for k in events(item, shown[item])))
        shown[item] += 1
    return shown


def cards_of(client: TestClient, world: SparkWorld, kind: str) -> list[dict[str, Any]]:
    """The world's brand's recommendations of this kind over the native API, in its order."""
    answer = client.get(
        "/api/v1/recommendations",
        params={"advertiser_id": world.brand.id},
        headers=world.brand.bearer,
    )
    assert answer.status_code == 200, answer.text
    return [c for c in answer.json()["recommendations"] if c["kind"] == kind]
