"""Pixels through the open API (pixel/create/, pixel/event/create/) and what pixel/event/stats/
counts of one of them: (event type, total, attributed) per tracked event."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from factories import Account, open_api_post


def make_pixel(client: TestClient, brand: Account, *events: str) -> dict[str, Any]:
    made = open_api_post(
        client, brand, "pixel/create/", advertiser_id=brand.id, pixel_name="Shop pixel"
    )
    assert made["code"] == 0, made
    pixel = dict(made["data"])
    if events:
        added = open_api_post(
            client, brand, "pixel/event/create/", advertiser_id=brand.id,
            pixel_id=pixel["pixel_id"], pixel_events=[{"event_type": e} for e in events],
        )  # fmt: skip
        assert added["code"] == 0, added
    return pixel


def pixel_stats(client: TestClient, brand: Account, pixel_id: str, date_range: str) -> list[Any]:
    answer = client.get(
        "/open_api/v1.3/pixel/event/stats/",
        params={
            "advertiser_id": brand.id,
            "pixel_ids": f"['{pixel_id}']",
            "date_range": date_range,
        },
        headers=brand.access,
    ).json()
    assert answer["code"] == 0, answer
    (entry,) = answer["data"]["list"]
    assert entry["pixel_id"] == pixel_id
    return [
        (s["pixel_event_type"], s["total_count"], s["attributed_count"])
        for s in entry["statistics"]
    ]
