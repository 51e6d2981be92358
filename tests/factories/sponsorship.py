"""A creator's post sponsored for real: one brand's Spark ad shown through the feed API to viewers
who engage, and a second brand that applied a code for the same post and made no ad."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.testclient import TestClient

from factories import (
    PARIS_VIEWER,
    Account,
    SparkWorld,
    advertiser,
    ask,
    create_ad,
    feed,
    open_api_post,
    send_events,
    spark_world,
)
from sparkads.clock import Clock
from sparkads.db.unit_of_work import UnitOfWork

ENGAGED = ("impression", "view_2s", "like", "comment", "share", "follow", "profile_visit")


@dataclass
class Sponsored:
    world: SparkWorld
    other: Account  # a second brand that applied the same code and made no ad
    app_feed: Account


def show(
    client: TestClient, app_feed: Account, viewers: int, kinds: tuple[str, ...], first: int = 0
) -> None:
    """Each viewer (numbered from `first`) asks the feed once and reports these events on the ad
    it was shown."""
    for i in range(first, first + viewers):
        [decision] = ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": f"sponsored-{i}"})
        send_events(client, app_feed, *((decision["token"], kind) for kind in kinds))


def sponsored(
    client: TestClient, uow: UnitOfWork, clock: Clock, other_name: str, engaged: int
) -> Sponsored:
    """Brand FR's ad shown to `engaged` viewers who do everything (ENGAGED); `other_name` applied
    the same code and has no ad."""
    world = spark_world(client, uow, clock, adgroup_fields={"pacing": "PACING_MODE_FAST"})
    assert create_ad(client, world)["code"] == 0
    other = advertiser(uow, clock, name=other_name)
    applied = open_api_post(
        client, other, "tt_video/authorize/", advertiser_id=other.id, auth_code=world.code
    )
    assert applied["code"] == 0, applied
    app_feed = feed(uow, clock)
    show(client, app_feed, engaged, ENGAGED)
    return Sponsored(world, other, app_feed)
