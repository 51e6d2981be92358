"""The audit log: every change to the audited tables is recorded with who, when, before and after,
in the same transaction as the change; read through the native API (JSON, CSV) and the web app's
History pages."""

from __future__ import annotations

import csv
import html
import io
import json
import subprocess
import sys
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factories import advertiser, create_ad, open_api_post, operator, spark_world
from factories.server import hermetic_env
from factories.web import csrf_of, sign_in
from sparkads.campaigns.models import Campaign
from sparkads.clock import TestClock
from sparkads.db.audit import Actor, AuditEntry, acting_as
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWork, UnitOfWorkFactory


def _audit(client: TestClient, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    response = client.get("/api/v1/audit", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return list(response.json()["entries"])


def test_a_budget_change_shows_before_and_after_through_the_api_and_csv(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    brand = world.brand
    changed = open_api_post(
        client, brand, "campaign/update/",
        advertiser_id=brand.id, campaign_id=world.campaign_id, budget=80,
    )  # fmt: skip
    assert changed["code"] == 0, changed

    entries = _audit(
        client, brand.bearer, advertiser_id=brand.id, entity="campaign", entity_id=world.campaign_id
    )
    update, create = entries  # newest first
    assert create["action"] == "create"
    assert create["after"]["budget"] == 50_000_000
    assert update["action"] == "update"
    assert update["before"] == {"budget": 50_000_000}
    assert update["after"] == {"budget": 80_000_000}
    assert update["surface"] == "open_api"
    assert (update["actor_scope"], update["actor_id"]) == ("advertiser", brand.id)
    assert update["advertiser_id"] == brand.id

    exported = client.get(
        "/api/v1/audit",
        headers=brand.bearer,
        params={"advertiser_id": brand.id, "entity": "campaign", "format": "csv"},
    )
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    budget = [r for r in rows if r["action"] == "update" and r["field"] == "budget"]
    assert [(r["before"], r["after"]) for r in budget] == [("50000000", "80000000")]


def test_a_failed_change_writes_no_audit_entry(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    with uow:
        before = uow.session.scalar(select(func.count(AuditEntry.id)))
    refused = open_api_post(
        client, world.brand, "campaign/update/",
        advertiser_id=world.brand.id, campaign_id=world.campaign_id, budget=20,  # under the minimum
    )  # fmt: skip
    assert refused["data"]["error"]["reason"] == "budget_below_minimum"
    with uow:
        assert uow.session.scalar(select(func.count(AuditEntry.id))) == before


def test_each_account_reads_only_its_own_entries_and_operators_read_all(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    other = advertiser(uow, clock, name="Other brand")
    refused = client.get(
        "/api/v1/audit", headers=other.bearer, params={"advertiser_id": world.brand.id}
    )
    assert refused.json()["error"]["code"] == "no_permission"
    unnamed = client.get("/api/v1/audit", headers=other.bearer)
    assert unnamed.status_code == 400
    assert unnamed.json()["error"]["code"] == "invalid_parameter"
    bad_entity = client.get(
        "/api/v1/audit", headers=other.bearer, params={"advertiser_id": other.id, "entity": "x"}
    )
    assert bad_entity.json()["error"]["code"] == "invalid_parameter"

    everything = _audit(client, operator(uow, clock).bearer)
    kinds = {e["entity"] for e in everything}
    # the world: a post authorized by its creator, the code applied, a campaign and an ad group
    assert {"authorization", "library_item", "identity", "campaign", "adgroup", "token"} <= kinds
    tokens = [e for e in everything if e["entity"] == "token"]
    assert all(e["after"]["token_hash"] == "(changed)" for e in tokens)  # secrets never copied


def test_the_web_history_shows_a_budget_change_made_in_the_web_app(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    sign_in(client, world.brand.token)
    csrf = csrf_of(client.get("/ads/campaigns").text)
    saved = client.post(
        f"/ads/campaigns/{world.campaign_id}/budget",
        data={"budget": "75", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    with uow:
        assert uow.session.get_one(Campaign, world.campaign_id).budget == 75_000_000

    listing = client.get("/ads/campaigns")
    assert f'href="/ads/history/campaign/{world.campaign_id}"' in listing.text
    page = client.get(f"/ads/history/campaign/{world.campaign_id}")
    assert page.status_code == 200, page.text
    text = html.unescape(page.text)
    assert 'data-action="update" data-field="budget"' in text
    row = text.split('data-field="budget"', 1)[1].split("</tr>", 1)[0]
    assert "€50.00" in row
    assert "€75.00" in row
    assert "web app" in text
    assert f"advertiser:{world.brand.id}" in text

    french = client.get(
        f"/ads/history/campaign/{world.campaign_id}", headers={"Accept-Language": "fr"}
    )
    assert "Historique de" in html.unescape(french.text)

    exported = client.get(
        "/ads/history.json", params={"entity": "campaign", "id": world.campaign_id}
    )
    assert exported.headers["content-disposition"].startswith("attachment")
    web_change = exported.json()["entries"][0]
    assert web_change["surface"] == "web"
    assert (web_change["before"], web_change["after"]) == (
        {"budget": 50_000_000},
        {"budget": 75_000_000},
    )
    account_csv = client.get("/ads/history.csv")
    assert world.campaign_id in account_csv.text
    assert world.adgroup_id in account_csv.text


def test_a_change_made_by_one_statement_is_recorded_per_row(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    ad_id = create_ad(client, world)["data"]["ad_ids"][0]
    deleted = open_api_post(
        client, world.brand, "adgroup/status/update/",
        advertiser_id=world.brand.id, adgroup_ids=[world.adgroup_id], operation_status="DELETE",
    )  # fmt: skip
    assert deleted["code"] == 0, deleted
    # the ad group's ads are deleted with it by one UPDATE statement: each ad still has its entry
    entries = _audit(
        client, world.brand.bearer, advertiser_id=world.brand.id, entity="ad", entity_id=ad_id
    )
    change = entries[0]  # newest first; before it, the creation and the review's approval
    assert [e["action"] for e in entries][-1] == "create"
    assert change["action"] == "update"
    assert change["before"] == {"operation_status": "ENABLE"}
    assert change["after"] == {"operation_status": "DELETE"}
    assert change["surface"] == "open_api"


def test_changes_made_with_the_cli_name_the_cli(uow: UnitOfWork, database_url: str) -> None:
    made = subprocess.run(
        [sys.executable, "-m", "sparkads", "advertisers", "create", "--name", "CLI brand",
         "--currency", "EUR", "--timezone", "Europe/Paris", "--json",
         "--database-url", database_url],
        capture_output=True, text=True, env=hermetic_env(), timeout=120, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    advertiser_id = json.loads(made.stdout)["advertiser_id"]
    with uow:
        entries = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.advertiser_id == advertiser_id)
        ).all()
    assert [(e.entity, e.action, e.surface) for e in entries] == [("advertiser", "create", "cli")]
    assert entries[0].after is not None
    assert entries[0].after["name"] == "CLI brand"
    tokens = list(uow.session.scalars(select(AuditEntry).where(AuditEntry.entity == "token")))
    assert [e.surface for e in tokens] == ["cli"]  # the advertiser's token, made with it


def test_the_entry_is_written_in_the_change_s_transaction(
    client: TestClient, uow: UnitOfWork, clock: TestClock, database_url: str
) -> None:
    world = spark_world(client, uow, clock)
    engine = make_engine(database_url)
    units = UnitOfWorkFactory(engine)

    def entries() -> int:
        with units() as reader:
            return (
                reader.session.scalar(
                    select(func.count(AuditEntry.id)).where(
                        AuditEntry.entity_id == world.campaign_id
                    )
                )
                or 0
            )

    before = entries()
    with units() as unit:  # flushed, then abandoned: neither the change nor its entry remains
        unit.session.get_one(Campaign, world.campaign_id).budget = 90_000_000
        unit.session.flush()
        assert unit.session.scalar(select(func.count(AuditEntry.id))) > 0
    assert entries() == before
    with acting_as(Actor("system", subject_id="test")), units() as unit:
        unit.session.get_one(Campaign, world.campaign_id).budget = 90_000_000
        unit.commit()
    assert entries() == before + 1
    with units() as reader:
        newest = reader.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert newest is not None
        assert (newest.surface, newest.actor_id, newest.after) == (
            "system",
            "test",
            {"budget": 90_000_000},
        )
    engine.dispose()


def test_an_export_named_after_any_typed_id_answers(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    """The id a user types ends up in the download's file name: it is kept to safe characters,
    never a 500 or an injected header parameter."""
    world = spark_world(client, uow, clock)
    answer = client.get(
        "/api/v1/audit",
        headers=world.brand.bearer,
        params={
            "advertiser_id": world.brand.id, "format": "csv", "entity": "ad",
            "entity_id": 'é€"; filename=evil',
        },
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    disposition = answer.headers["content-disposition"]
    assert disposition.isascii()
    assert disposition.count("filename=") == 1
    assert disposition.count('"') == 2  # the name's own quotes only
