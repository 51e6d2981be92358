"""Build test worlds through the services, as the CLI does, and talk to the APIs like clients."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from httpx2 import Response

from sparkads.accounts import service
from sparkads.accounts.models import Role, TokenScope
from sparkads.clock import Clock
from sparkads.db.unit_of_work import UnitOfWork

_counter = iter(range(1, 1_000_000))


@dataclass
class Account:
    id: str
    token: str
    handle: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def access(self) -> dict[str, str]:
        return {"Access-Token": self.token}


def business_center(uow: UnitOfWork, clock: Clock, name: str = "Brand Group") -> Account:
    bc = service.create_business_center(uow.session, clock, name=name)
    token = service.issue_token(
        uow.session, clock, scope=TokenScope.BUSINESS_CENTER, subject_id=bc.bc_id
    )
    uow.commit()
    return Account(bc.bc_id, token)


def advertiser(
    uow: UnitOfWork, clock: Clock, bc_id: str | None = None, name: str = "Brand FR"
) -> Account:
    adv = service.create_advertiser(
        uow.session, clock, name=name, currency="EUR", timezone="Europe/Paris", bc_id=bc_id
    )
    token = service.issue_token(
        uow.session, clock, scope=TokenScope.ADVERTISER, subject_id=adv.advertiser_id
    )
    uow.commit()
    return Account(adv.advertiser_id, token)


def creator(uow: UnitOfWork, clock: Clock, handle: str | None = None) -> Account:
    handle = handle or f"creator{next(_counter)}"
    row = service.create_creator(
        uow.session,
        clock,
        handle=handle,
        display_name=handle.title(),
        country="FR",
        sector="food",
        followers=12_000,
    )
    token = service.issue_token(
        uow.session, clock, scope=TokenScope.CREATOR, subject_id=row.creator_id
    )
    uow.commit()
    return Account(row.creator_id, token, handle=handle)


def operator(uow: UnitOfWork, clock: Clock, role: Role = Role.ADMIN) -> Account:
    """An operator's token (role reviewer: the review queue only)."""
    token = service.issue_token(
        uow.session, clock, scope=TokenScope.OPERATOR, subject_id="op1", role=role
    )
    uow.commit()
    return Account("op1", token)


def advance(client: TestClient, **delta: float) -> dict[str, Any]:
    """Move the app's sandbox clock as an operator does (the only kind of token allowed to)."""
    context = client.app.state.context  # type: ignore[attr-defined]
    with context.uow() as unit:
        token = service.issue_token(
            unit.session, context.clock, scope=TokenScope.OPERATOR, subject_id="clock-op"
        )
        unit.commit()
    response = client.post(
        "/api/v1/sandbox/clock/advance", json=delta, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    moved: dict[str, Any] = response.json()
    return moved


def publish(client: TestClient, who: Account, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"caption": "Crêpes in 12 seconds #recipe", "duration": 12.0}
    body.update(fields)
    if body.get("item_type") == "CAROUSEL":
        body.pop("duration", None)
        body.setdefault("images", [{"url": "https://img.invalid/1.jpg"}])
    response = client.post("/api/v1/posts", json=body, headers=who.bearer)
    assert response.status_code == 201, response.text
    return dict(response.json())


def authorize_post(
    client: TestClient, who: Account, item_id: str, days: int = 30
) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/posts/{item_id}/authorizations", json={"duration_days": days}, headers=who.bearer
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def open_api_get(
    client: TestClient,
    who: Account,
    path: str,
    headers: dict[str, str] | None = None,
    **params: Any,
) -> dict[str, Any]:
    query = {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in params.items()}
    response = client.get(
        f"/open_api/v1.3/{path}", params=query, headers={**who.access, **(headers or {})}
    )
    return _envelope(response)


def open_api_post(
    client: TestClient, who: Account, path: str, headers: dict[str, str] | None = None, **body: Any
) -> dict[str, Any]:
    response = client.post(
        f"/open_api/v1.3/{path}", json=body, headers={**who.access, **(headers or {})}
    )
    return _envelope(response)


def _envelope(response: Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    payload = dict(response.json())
    assert set(payload) == {"code", "message", "request_id", "data"}
    return payload


FRANCE = "3017382"


def campaign_body(who: Account, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "advertiser_id": who.id,
        "campaign_name": "Spring launch",
        "objective_type": "TRAFFIC",
        "budget_mode": "BUDGET_MODE_DAY",
        "budget": 50,
    }
    body.update(fields)
    return body


def adgroup_body(who: Account, campaign_id: str, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "advertiser_id": who.id,
        "campaign_id": campaign_id,
        "adgroup_name": "FR foodies",
        "promotion_type": "WEBSITE",
        "placement_type": "PLACEMENT_TYPE_NORMAL",
        "placements": ["PLACEMENT_TIKTOK"],
        "location_ids": [FRANCE],
        "budget_mode": "BUDGET_MODE_DAY",
        "budget": 20,
        "schedule_type": "SCHEDULE_FROM_NOW",
        "optimization_goal": "CLICK",
        "billing_event": "CPC",
        "bid_type": "BID_TYPE_CUSTOM",
        "bid_price": 0.5,
        "pacing": "PACING_MODE_SMOOTH",
    }
    body.update(fields)
    return body


def creative(identity_id: str, item_id: str, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "identity_type": "AUTH_CODE",
        "identity_id": identity_id,
        "tiktok_item_id": item_id,
        "ad_format": "SINGLE_VIDEO",
        "call_to_action": "SHOP_NOW",
        "landing_page_url": "https://brand.example.com/spring?utm_source=tt",
    }
    body.update(fields)
    return body


@dataclass
class SparkWorld:
    """A creator's post authorized and applied by an advertiser, with a campaign and ad group."""

    brand: Account
    author: Account
    post: dict[str, Any]
    code: str
    identity_id: str
    campaign_id: str
    adgroup_id: str


def spark_world(
    client: TestClient,
    uow: UnitOfWork,
    clock: Clock,
    *,
    days: int = 30,
    post_fields: dict[str, Any] | None = None,
    adgroup_fields: dict[str, Any] | None = None,
    campaign_fields: dict[str, Any] | None = None,
) -> SparkWorld:
    brand, author = advertiser(uow, clock), creator(uow, clock)
    post = publish(client, author, **(post_fields or {}))
    code = authorize_post(client, author, post["item_id"], days=days)["auth_code"]
    applied = open_api_post(
        client, brand, "tt_video/authorize/", advertiser_id=brand.id, auth_code=code
    )
    assert applied["code"] == 0, applied
    info = open_api_get(client, brand, "tt_video/info/", advertiser_id=brand.id, auth_code=code)
    campaign = open_api_post(
        client, brand, "campaign/create/", **campaign_body(brand, **(campaign_fields or {}))
    )
    assert campaign["code"] == 0, campaign
    group = open_api_post(
        client,
        brand,
        "adgroup/create/",
        **adgroup_body(brand, campaign["data"]["campaign_id"], **(adgroup_fields or {})),
    )
    assert group["code"] == 0, group
    return SparkWorld(
        brand,
        author,
        post,
        code,
        info["data"]["user_info"]["identity_id"],
        campaign["data"]["campaign_id"],
        group["data"]["adgroup_id"],
    )


def create_ad(client: TestClient, world: SparkWorld, **fields: Any) -> dict[str, Any]:
    return open_api_post(
        client,
        world.brand,
        "ad/create/",
        advertiser_id=world.brand.id,
        adgroup_id=world.adgroup_id,
        creatives=[creative(world.identity_id, world.post["item_id"], **fields)],
    )


def get_ad(client: TestClient, world: SparkWorld, ad_id: str) -> dict[str, Any]:
    answer = open_api_get(
        client,
        world.brand,
        "ad/get/",
        advertiser_id=world.brand.id,
        filtering={"ad_ids": [ad_id], "primary_status": "STATUS_ALL"},
    )
    assert answer["code"] == 0, answer
    return dict(answer["data"]["list"][0])


def feed(uow: UnitOfWork, clock: Clock) -> Account:
    token = service.issue_token(uow.session, clock, scope=TokenScope.FEED, subject_id="feed1")
    uow.commit()
    return Account("feed1", token)


PARIS_VIEWER: dict[str, Any] = {
    "viewer_id": "viewer-1",
    "country": "FR",
    "region": "IDF",
    "age": 27,
    "gender": "FEMALE",
    "language": "fr",
    "device": {"os": "IOS", "os_version": "17.2", "network": "WIFI"},
    "interests": ["101002"],
}


def ask(
    client: TestClient, app_feed: Account, viewer: dict[str, Any] | None = None, slots: int = 1
) -> list[dict[str, Any]]:
    response = client.post(
        "/api/v1/feed/decisions",
        headers=app_feed.bearer,
        json={"viewer": viewer or PARIS_VIEWER, "slots": slots},
    )
    assert response.status_code == 200, response.text
    return list(response.json()["decisions"])


def send_events(client: TestClient, app_feed: Account, *events: tuple[str, str]) -> dict[str, Any]:
    response = client.post(
        "/api/v1/events",
        headers=app_feed.bearer,
        json={"events": [{"token": t, "type": kind} for t, kind in events]},
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def record_population(client: TestClient, size: int = 20_000, seed: int = 7) -> Any:
    """Synthetic viewers `sim-<seed>-0` … sent through the traffic intake the feed endpoint runs
    (record, then flush), without the HTTP round trip: profiles for audience tests."""
    from sparkads.simulation import population as synthetic

    context = client.app.state.context  # type: ignore[attr-defined]
    people = synthetic.generate(size, seed)
    snapshot, now = context.delivery.store.snapshot, context.clock.now()
    for i in range(people.size):
        context.traffic.record(people.viewer(i), [], snapshot, at=now)
    context.traffic.flush()
    return people


def flush_traffic(client: TestClient) -> None:
    client.app.state.context.traffic.flush()  # type: ignore[attr-defined]
