"""A feed's conversion naming a pixel (POST /api/v1/events, `pixel_code` and `event`): received by
the pixel of the ad's ad account, attributed to the ad, counted once by pixel/event/stats/; an
unknown pixel, another ad account's or an event it does not track refuses that conversion alone
(a stable code, its words in English or French), the rest of the batch recorded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import Account, SparkWorld, advertiser, ask, create_ad, feed, spark_world
from factories.pixels import make_pixel, pixel_stats
from sparkads.assets.models import PixelReceipt
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.events.models import Event

SAME_DAY = '{"start_date": "2026-11-02", "end_date": "2026-11-02"}'


def _send(
    client: TestClient, app_feed: Account, *events: dict[str, Any], lang: str = "en"
) -> list[tuple[str, str | None, str | None]]:
    response = client.post(
        "/api/v1/events",
        headers={**app_feed.bearer, "Accept-Language": lang},
        json={"events": list(events)},
    )
    assert response.status_code == 200, response.text
    return [(r["status"], r["reason"], r["detail"]) for r in response.json()["results"]]


def _conversions(uow: UnitOfWork) -> list[str]:
    with uow:
        return list(
            uow.session.scalars(select(Event.decision_id).where(Event.event_type == "conversion"))
        )


@dataclass(frozen=True)
class Served:
    """A live Spark ad, a feed, a decision of that feed and the ad account's pixel."""

    world: SparkWorld
    app_feed: Account
    decision: dict[str, Any]
    pixel: dict[str, Any]

    @property
    def token(self) -> str:
        return str(self.decision["token"])


def _served(client: TestClient, uow: UnitOfWork, clock: TestClock, *events: str) -> Served:
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    pixel = make_pixel(client, world.brand, *events)
    return Served(world, app_feed, ask(client, app_feed)[0], pixel)


def test_a_feed_conversion_naming_a_pixel_is_received_once_and_attributed(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    served = _served(client, uow, clock, "COMPLETE_PAYMENT", "SUBMIT_FORM")
    world, app_feed, decision, pixel = served.world, served.app_feed, served.decision, served.pixel
    token = served.token
    paid = {"token": token, "type": "conversion"}
    paid |= {"pixel_code": pixel["pixel_code"], "event": "COMPLETE_PAYMENT"}

    first = _send(client, app_feed, {"token": token, "type": "click"}, paid)
    again = _send(client, app_feed, paid)

    assert [status for status, _, _ in first] == ["accepted", "accepted"]
    assert again == [("duplicate", None, None)]
    with uow:
        receipts = uow.session.scalars(select(PixelReceipt)).all()
        assert [(r.pixel_id, r.event_type, r.ad_id, r.decision_id) for r in receipts] == [
            (pixel["pixel_id"], "COMPLETE_PAYMENT", decision["ad_id"], decision["decision_id"])
        ]
    assert pixel_stats(client, world.brand, pixel["pixel_id"], SAME_DAY) == [
        ("COMPLETE_PAYMENT", 1, 1),
        ("SUBMIT_FORM", 0, 0),
    ]
    assert _conversions(uow) == [decision["decision_id"]]


def test_unknown_foreign_or_untracked_pixels_refuse_the_conversion_alone(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    served = _served(client, uow, clock, "COMPLETE_PAYMENT")
    world, app_feed, ours, token = served.world, served.app_feed, served.pixel, served.token
    theirs = make_pixel(client, advertiser(uow, clock, name="Other"), "COMPLETE_PAYMENT")

    def conversion(pixel_code: str, event: str = "COMPLETE_PAYMENT") -> dict[str, Any]:
        return {"token": token, "type": "conversion", "pixel_code": pixel_code, "event": event}

    answers = _send(
        client, app_feed,
        {"token": token, "type": "impression"},
        conversion("CNOPE0000000000000000"),
        conversion(theirs["pixel_code"]),
        conversion(ours["pixel_code"], "ADD_TO_CART"),
        lang="fr",
    )  # fmt: skip

    assert answers[0] == ("accepted", None, None)
    assert [(status, reason) for status, reason, _ in answers[1:]] == [
        ("rejected", "pixel_not_found"),
        ("rejected", "pixel_of_another_ad_account"),
        ("rejected", "pixel_event_not_tracked"),
    ]
    details = [detail or "" for _, _, detail in answers[1:]]
    assert details[0] == "Le pixel CNOPE0000000000000000 n'existe pas dans ce compte publicitaire."
    assert details[1].startswith(f"Le pixel {theirs['pixel_code']} n'est pas un pixel du compte")
    assert world.brand.id in details[1]
    assert "ADD_TO_CART" in details[2]
    assert _conversions(uow) == []  # refused alone: nothing of them recorded
    with uow:
        assert uow.session.scalars(select(PixelReceipt)).all() == []
    english = _send(client, app_feed, conversion(theirs["pixel_id"]))
    assert english[0][2] == (
        f"Pixel {theirs['pixel_id']} is not a pixel of ad account {world.brand.id}, "
        "whose ad this conversion follows."
    )
    by_id = _send(client, app_feed, conversion(ours["pixel_id"]))  # its id names it too
    assert by_id == [("accepted", None, None)]


def test_a_pixel_needs_its_event_and_names_conversions_only(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    served = _served(client, uow, clock, "COMPLETE_PAYMENT")
    app_feed, pixel, token = served.app_feed, served.pixel, served.token
    named = {"pixel_code": pixel["pixel_code"], "event": "COMPLETE_PAYMENT"}

    answers = _send(
        client, app_feed,
        {"token": token, "type": "conversion", "pixel_code": pixel["pixel_code"]},
        {"token": token, "type": "click", **named},
        {"token": token, "type": "impression"},
        {"token": token, "type": "conversion", "pixel_code": None, "event": None},
    )  # fmt: skip

    (half, click, impression, unnamed) = answers
    assert half[:2] == click[:2] == ("rejected", "invalid_event")
    assert half[2] == "event: required with pixel_code"
    assert click[2] == "pixel_code: names the pixel of a conversion only"
    assert impression == unnamed == ("accepted", None, None)  # null names no pixel
