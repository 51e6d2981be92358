"""Schemathesis fuzzing of both APIs, generated from the app's own description (GET /openapi.json).

One app per module, on a copy of the migrated template database and a sandbox test clock, with a
small Spark world already built through the services and the APIs: a creator's post authorized
and applied by an advertiser, a campaign, an ad group, an ad, and a Business Center's access
request to the creator. Every case carries a real token of the account its endpoint is for, and
most cases have their ids (advertiser_id, auth_code, item_id, ...) pointed at that world, so they
get past authorization into the endpoints' own logic.

Checked for every operation: no 5xx. The v1.3 surface answers every outcome in an HTTP 200
envelope by design (its 200 schema is empty), so it is checked for the envelope and for code
50000 (internal_error) instead. The native API declares its response schemas and media types, so
its responses must conform to them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation.meta import TestPhase
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from factories import Account, business_center, create_ad, open_api_get, operator, spark_world
from factories.databases import Databases
from sparkads.api.app import create_app
from sparkads.clock import TestClock
from sparkads.config import Settings
from sparkads.db import migrate
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWorkFactory

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # as in conftest.py

# Per operation: up to 20 generated cases, plus schemathesis' deterministic coverage cases
# (boundary values, wrong types, missing fields, unsupported methods).
FUZZ = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)


KEYS_DIR = tempfile.mkdtemp(prefix="sparkads-fuzz-keys-")  # never the working copy's var/


def _settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        keys_file=f"{KEYS_DIR}/keys.json",
        public_base_url="http://testserver",
        sandbox=True,
        auth_code_max_failures=5,
    )


def _description() -> dict[str, Any]:
    """GET /openapi.json. Schemathesis builds one test per operation at collection time, before
    any fixture exists, so the description comes from a throwaway app (same code, so the same
    routes) on its own migrated database; the tests send every case to the module's app."""
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite:///{tmp}/description.db"
        migrate.upgrade(database_url)
        app = create_app(_settings(database_url), TestClock(START))
        try:
            response = TestClient(app).get("/openapi.json")
        finally:
            app.state.context.uow.engine.dispose()
    assert response.status_code == 200, response.text
    return dict(response.json())


DESCRIPTION = _description()
schema = schemathesis.openapi.from_dict(DESCRIPTION)


# Values of the world that generated cases are pointed at, by parameter or body field name: ids,
# and the creator's handle for access requests. A list field named like one of them plus "s"
# (`campaign_ids`) gets a one-element list. A case takes the values at one index, so that an
# identity's id and type go together.
WORLD_IDS = frozenset(
    {
        "advertiser_id",
        "bc_id",
        "identity_authorized_bc_id",
        "auth_code",
        "item_id",
        "tiktok_item_id",
        "identity_id",
        "identity_type",
        "campaign_id",
        "adgroup_id",
        "ad_id",
        "request_id",
        "handle",
    }
)
# In a v1.3 body or query `request_id` is an idempotency key; only native paths name access requests
DATA_IDS = WORLD_IDS - {"request_id"}
AIMED = "fuzz-aimed"


@dataclass(frozen=True)
class FuzzWorld:
    app: FastAPI
    brand: Account
    author: Account
    bc: Account
    operator: Account
    ids: dict[str, tuple[str, ...]]


@pytest.fixture(scope="module")
def fuzz_world(databases: Databases) -> Iterator[FuzzWorld]:
    database_url = databases.create()
    clock = TestClock(START)
    app = create_app(_settings(database_url), clock)
    engine = make_engine(database_url)
    try:
        with TestClient(app) as client, UnitOfWorkFactory(engine)() as uow:
            world = spark_world(client, uow, clock)
            ad = create_ad(client, world)
            assert ad["code"] == 0, ad
            bc = business_center(uow, clock)
            op = operator(uow, clock)
            tt_user = _linked_account(client, world.brand, world.author)
            access = client.post(
                "/api/v1/access-requests", json={"handle": world.author.handle}, headers=bc.bearer
            )
            assert access.status_code == 201, access.text
        ids = {
            "advertiser_id": (world.brand.id,),
            "bc_id": (bc.id,),
            "identity_authorized_bc_id": (bc.id,),
            "auth_code": (world.code,),
            "item_id": (world.post["item_id"],),
            "tiktok_item_id": (world.post["item_id"],),
            "identity_id": (world.identity_id, tt_user),
            "identity_type": ("AUTH_CODE", "TT_USER"),
            "campaign_id": (world.campaign_id,),
            "adgroup_id": (world.adgroup_id,),
            "ad_id": (ad["data"]["ad_ids"][0],),
            "request_id": (access.json()["request_id"],),
            "handle": (world.author.handle,),
        }
        assert set(ids) == WORLD_IDS
        yield FuzzWorld(app, world.brand, world.author, bc, op, ids)
    finally:
        engine.dispose()
        app.state.context.uow.engine.dispose()
        databases.drop(database_url)


def _linked_account(client: TestClient, brand: Account, author: Account) -> str:
    """The advertiser links the creator's account (accepted): a TT_USER identity, its id."""
    link = client.post(
        f"/api/v1/advertisers/{brand.id}/tiktok-accounts",
        json={"handle": author.handle},
        headers=brand.bearer,
    )
    assert link.status_code == 201, link.text
    accepted = client.post(
        f"/api/v1/access-requests/{link.json()['request_id']}/accept", headers=author.bearer
    )
    assert accepted.status_code == 200, accepted.text
    answer = open_api_get(
        client, brand, "identity/get/", advertiser_id=brand.id, identity_type="TT_USER"
    )
    assert answer["code"] == 0, answer
    return str(answer["data"]["identity_list"][0]["identity_id"])


def _aim(value: Any, names: frozenset[str], index: int) -> Any:
    """Mark the named fields for the world's values at `index`, in dicts and lists, recursively.

    The hook runs during generation, before the test knows the world; `_resolve` fills them in."""
    if isinstance(value, dict):
        aimed: dict[str, Any] = {}
        for key, item in value.items():
            if key in names:
                aimed[key] = f"{AIMED}:{index}:{key}"
            elif key.endswith("_ids") and key[:-1] in names:
                aimed[key] = [f"{AIMED}:{index}:{key[:-1]}"]
            else:
                aimed[key] = _aim(item, names, index)
        return aimed
    if isinstance(value, list):
        return [_aim(item, names, index) for item in value]
    return value


def _resolve(value: Any, ids: dict[str, tuple[str, ...]]) -> Any:
    if isinstance(value, str) and value.startswith(f"{AIMED}:"):
        _, index, key = value.split(":", 2)
        return ids[key][int(index) % len(ids[key])]
    if isinstance(value, dict):
        return {key: _resolve(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, ids) for item in value]
    return value


def _aim_case(case: schemathesis.Case, index: int, keep: frozenset[str] = frozenset()) -> None:
    if isinstance(case.query, dict):
        case.query = _aim(case.query, DATA_IDS - keep, index)
    if isinstance(case.body, dict | list):
        case.body = _aim(case.body, DATA_IDS - keep, index)
    if isinstance(case.path_parameters, dict):
        case.path_parameters = _aim(case.path_parameters, WORLD_IDS - keep, index)


@schema.hook
def flatmap_case(context: schemathesis.HookContext, case: schemathesis.Case) -> Any:
    """Generated cases: about four in five are aimed at the world, the rest keep their own ids."""

    def aimed(draw: int) -> schemathesis.Case:
        if draw:
            _aim_case(case, index=draw - 1)
        return case

    return st.integers(0, 4).map(aimed)


def _prepare(case: schemathesis.Case, world: FuzzWorld, who: Account, header: str) -> None:
    """The token, and the world's ids where the case is aimed at it.

    Coverage cases (one parameter at a time: boundary values, wrong types, missing fields) are
    not drawn by Hypothesis, so the hook cannot aim them: every id but the parameter under test
    is aimed here, or most of them would stop at authorization (40001) before it is even read."""
    meta = case.meta
    if meta is not None and meta.phase.name is TestPhase.COVERAGE:
        parameter = meta.phase.data.parameter
        _aim_case(case, index=0, keep=frozenset({parameter} if parameter else ()))
    token = who.access if header == "Access-Token" else who.bearer
    generated = {k: v for k, v in (case.headers or {}).items() if k.lower() != header.lower()}
    case.headers = {**generated, **token}
    case.query = _resolve(case.query, world.ids)
    case.body = _resolve(case.body, world.ids)
    case.path_parameters = _resolve(case.path_parameters, world.ids)


def _open_api_account(world: FuzzWorld, path: str) -> Account:
    return world.bc if path.startswith("/open_api/v1.3/bc/") else world.brand


def _takes_advertiser_id(method: str, path: str) -> bool:
    """Whether the operation has an advertiser_id parameter or top-level body field."""
    operation = DESCRIPTION["paths"][path].get(method.lower(), {})  # coverage tries other methods
    if any(parameter["name"] == "advertiser_id" for parameter in operation.get("parameters", [])):
        return True
    for media in operation.get("requestBody", {}).get("content", {}).values():
        body = media.get("schema", {})
        if "$ref" in body:
            body = DESCRIPTION["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]
        if "advertiser_id" in body.get("properties", {}):
            return True
    return False


def _native_account(world: FuzzWorld, method: str, path: str) -> Account:
    """The account each native endpoint is for: creators' unless the endpoint says otherwise."""
    if path.startswith(("/api/v1/operator/", "/api/v1/feed/", "/api/v1/events")):
        return world.operator  # feed endpoints take feed or operator tokens
    if (method, path) == ("POST", "/api/v1/access-requests") or path.endswith((".png", ".svg")):
        return world.bc
    if path.startswith("/api/v1/delivery/") or _takes_advertiser_id(method, path):
        return world.brand
    return world.author


def open_api_envelope(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case
) -> None:
    """v1.3: always TikTok's envelope, on HTTP 200 (404 for unknown routes), never code 50000."""
    payload = response.json()
    assert isinstance(payload, dict), f"not an envelope: {payload!r}"
    assert set(payload) == {"code", "message", "request_id", "data"}, f"not an envelope: {payload}"
    assert payload["code"] != 50000, f"internal error: {payload}"
    expected = 404 if payload["code"] == 40400 else 200  # route_not_found keeps its HTTP 404
    assert response.status_code == expected, f"HTTP {response.status_code}: {payload}"


@schema.include(path_regex=r"^/open_api/").parametrize()
@FUZZ
def test_open_api(case: schemathesis.Case, fuzz_world: FuzzWorld) -> None:
    _prepare(case, fuzz_world, _open_api_account(fuzz_world, case.path), "Access-Token")
    case.call_and_validate(app=fuzz_world.app, checks=[not_a_server_error, open_api_envelope])


@schema.include(path_regex=r"^/api/v1/").parametrize()
@FUZZ
def test_native_api(case: schemathesis.Case, fuzz_world: FuzzWorld) -> None:
    who = _native_account(fuzz_world, case.method.upper(), case.path)
    _prepare(case, fuzz_world, who, "Authorization")
    case.call_and_validate(
        app=fuzz_world.app,
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
