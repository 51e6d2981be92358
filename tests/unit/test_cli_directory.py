"""`sparkads … list` and `… revoke` (services.directory): every account, person and token a
deployment holds, listed at 80 columns with ids whole; a leaked feed token revoked after a
confirmation, refused from then on, and recorded in the audit log as the CLI's user's."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner, Result

from sparkads.accounts.tokens import resolve_token
from sparkads.cli.main import app
from sparkads.clock import SystemClock
from sparkads.db.audit import AuditEntry
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.errors import SparkadsError
from sparkads.services import sign_in


def _invoke(database_url: str, keys_file: str, *args: str, given: str = "") -> Result:
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("SPARKADS_")}
    env |= {"SPARKADS_KEYS_FILE": keys_file, "COLUMNS": "80", "LANG": "C.UTF-8"}
    return CliRunner().invoke(app, [*args, "--database-url", database_url], env=env, input=given)


def _run(database_url: str, keys_file: str, *args: str, given: str = "") -> str:
    done = _invoke(database_url, keys_file, *args, given=given)
    assert done.exit_code == 0, done.output
    return done.output


def _created(database_url: str, keys_file: str, *args: str) -> dict[str, str]:
    made: dict[str, str] = json.loads(_run(database_url, keys_file, *args, "--json"))
    return made


EMPTY = [
    ("advertisers", "No ad accounts yet: create one with `sparkads advertisers create`."),
    ("business-centers", "No Business Centers yet: create one with `sparkads business-centers"),
    ("creators", "No creator accounts yet: create one with `sparkads creators create`."),
    ("users", "No people yet: add one with `sparkads users create`."),
    ("tokens", "No API tokens yet: issue one with `sparkads tokens create`."),
    ("feeds", "No feed tokens yet: issue one with `sparkads feeds create`."),
    ("operators", "No operator tokens yet: issue one with `sparkads operators create`."),
]


@pytest.mark.parametrize(("group", "said"), EMPTY, ids=[g for g, _ in EMPTY])
def test_an_empty_list_says_so_and_names_the_create_command(
    database_url: str, keys_file: str, group: str, said: str
) -> None:
    shown = _run(database_url, keys_file, group, "list")
    assert said in shown
    assert "┃" not in shown
    assert json.loads(_run(database_url, keys_file, group, "list", "--json")) == []


def test_accounts_and_people_are_listed_with_whole_ids(database_url: str, keys_file: str) -> None:
    bc = _created(database_url, keys_file, "business-centers", "create", "--name", "Agency")
    adv = _created(
        database_url, keys_file, "advertisers", "create", "--name", "Acme", "--bc-id", bc["bc_id"]
    )
    creator = _created(database_url, keys_file, "creators", "create", "--handle", "lea")
    person = _created(
        database_url, keys_file, "users", "create", "--email", "ops@example.org",
        "--bc-id", bc["bc_id"], "--password", "a long enough password",
    )  # fmt: skip
    advertisers = _run(database_url, keys_file, "advertisers", "list")
    assert adv["advertiser_id"] in advertisers
    assert bc["bc_id"] in advertisers  # the owner's id, whole too
    assert bc["bc_id"] in _run(database_url, keys_file, "business-centers", "list")
    creators = json.loads(_run(database_url, keys_file, "creators", "list", "--json"))
    assert [(c["creator_id"], c["handle"]) for c in creators] == [(creator["creator_id"], "lea")]
    users = _run(database_url, keys_file, "users", "list")
    assert person["user_id"] in users
    assert bc["bc_id"] in users
    [listed] = json.loads(_run(database_url, keys_file, "users", "list", "--json"))
    assert listed["memberships"] == [f"business_center {bc['bc_id']} admin"]
    for listing in (advertisers, users):
        assert "…" not in listing
        assert max(len(line) for line in listing.splitlines()) <= 80


def _audited(database_url: str, token_id: str) -> list[AuditEntry]:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            return list(session.scalars(select(AuditEntry).where(AuditEntry.entity_id == token_id)))
    finally:
        engine.dispose()


def _refused(database_url: str, secret: str) -> bool:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            resolve_token(session, secret, datetime.now(UTC))
            return False
    except SparkadsError as error:
        return error.code != "access_token_missing"
    finally:
        engine.dispose()


def test_a_leaked_feed_token_is_revoked_after_a_confirmation(
    database_url: str, keys_file: str
) -> None:
    made = _created(database_url, keys_file, "feeds", "create", "--name", "mobile app")
    listed = json.loads(_run(database_url, keys_file, "feeds", "list", "--json"))
    assert [(t["subject_id"], t["name"]) for t in listed] == [(made["feed_id"], "mobile app")]
    assert "access_token" not in listed[0]
    assert made["access_token"] not in json.dumps(listed)
    token_id = listed[0]["token_id"]
    assert token_id in _run(database_url, keys_file, "feeds", "list")  # whole at 80 columns
    kept = _invoke(database_url, keys_file, "feeds", "revoke", token_id, given="n\n")
    assert kept.exit_code == 1  # answered no: nothing revoked
    assert "mobile app" in kept.output
    assert not _refused(database_url, made["access_token"])
    _run(database_url, keys_file, "feeds", "revoke", token_id, given="y\n")
    assert _refused(database_url, made["access_token"])
    assert json.loads(_run(database_url, keys_file, "feeds", "list", "--json")) == []
    revoked = json.loads(_run(database_url, keys_file, "feeds", "list", "--revoked", "--json"))
    assert revoked[0]["revoked_at"] is not None
    [entry] = [e for e in _audited(database_url, token_id) if e.action == "update"]
    assert entry.surface == "cli"
    assert entry.after is not None
    assert entry.after["revoked_at"] is not None


def test_revoke_takes_only_a_live_token_of_its_kind(database_url: str, keys_file: str) -> None:
    _created(database_url, keys_file, "operators", "create", "--name", "moderation")
    [operator] = json.loads(_run(database_url, keys_file, "operators", "list", "--json"))
    wrong_kind = _invoke(database_url, keys_file, "feeds", "revoke", operator["token_id"], "--yes")
    assert wrong_kind.exit_code == 2
    assert "Invalid value for TOKEN_ID" in wrong_kind.output
    _run(database_url, keys_file, "operators", "revoke", operator["token_id"], "--yes")
    again = _invoke(database_url, keys_file, "tokens", "revoke", operator["token_id"], "--yes")
    assert again.exit_code == 2
    said = " ".join(again.output.split())  # rich wraps the message at 80 columns
    assert f"no live API token has the id {operator['token_id']}" in said
    assert json.loads(_run(database_url, keys_file, "operators", "list", "--json")) == []


def test_tokens_list_every_account_and_filters_by_scope(database_url: str, keys_file: str) -> None:
    adv = _created(database_url, keys_file, "advertisers", "create", "--name", "Acme")
    feed = _created(database_url, keys_file, "feeds", "create")
    every = json.loads(_run(database_url, keys_file, "tokens", "list", "--json"))
    assert sorted(t["subject_id"] for t in every) == sorted([adv["advertiser_id"], feed["feed_id"]])
    only = json.loads(
        _run(database_url, keys_file, "tokens", "list", "--scope", "advertiser", "--json")
    )
    assert [t["subject_id"] for t in only] == [adv["advertiser_id"]]
    shown = _run(database_url, keys_file, "tokens", "list")
    for token in every:
        assert token["token_id"] in shown
        assert token["subject_id"] in shown
    assert "…" not in shown


def _sign_in(database_url: str, email: str, password: str) -> str | None:
    """A web session's secret for the person, or None when sign-in is refused."""
    engine = create_engine(database_url)
    try:
        units = UnitOfWorkFactory(engine)
        return sign_in.with_password(
            units, SystemClock(), email=email, password=password, refused=lambda: None
        )
    except SparkadsError as error:
        if error.code != "password_sign_in_failed":
            raise
        return None
    finally:
        engine.dispose()


def _session_alive(database_url: str, secret: str) -> bool:
    engine = create_engine(database_url)
    try:
        return sign_in.signed_in(UnitOfWorkFactory(engine), datetime.now(UTC), secret) is not None
    finally:
        engine.dispose()


def test_a_disabled_person_cannot_sign_in_until_enabled(database_url: str, keys_file: str) -> None:
    bc = _created(database_url, keys_file, "business-centers", "create", "--name", "Agency")
    password = "a long enough password"
    _created(
        database_url, keys_file, "users", "create", "--email", "ops@example.org",
        "--bc-id", bc["bc_id"], "--password", password,
    )  # fmt: skip
    session = _sign_in(database_url, "ops@example.org", password)
    assert session is not None
    assert _session_alive(database_url, session)
    kept = _invoke(
        database_url, keys_file, "users", "disable", "--email", "ops@example.org", given="n\n"
    )
    assert kept.exit_code == 1
    assert _session_alive(database_url, session)
    _run(database_url, keys_file, "users", "disable", "--email", "OPS@example.org", "--yes")
    assert not _session_alive(database_url, session)
    assert _sign_in(database_url, "ops@example.org", password) is None
    [listed] = json.loads(_run(database_url, keys_file, "users", "list", "--json"))
    assert listed["disabled_at"] is not None
    assert "(disabled " in _run(database_url, keys_file, "users", "list")
    _run(database_url, keys_file, "users", "enable", "--email", "ops@example.org")
    assert _sign_in(database_url, "ops@example.org", password) is not None
    unknown = _invoke(
        database_url, keys_file, "users", "disable", "--email", "no@example.org", "--yes"
    )
    assert unknown.exit_code == 2
    assert "Invalid value for --email" in unknown.output


@pytest.mark.parametrize(
    ("billing", "bid", "said"),
    [("CPC", "5000", "at most 100 for CPC"), ("XYZ", "1", "one of CPM, CPC, CPV, OCPM")],
)
def test_a_forecast_refuses_a_bid_the_api_and_the_wizard_refuse(
    database_url: str, keys_file: str, billing: str, bid: str, said: str
) -> None:
    adv = _created(database_url, keys_file, "advertisers", "create", "--name", "Acme")
    done = _invoke(
        database_url, keys_file, "forecast", "--advertiser-id", adv["advertiser_id"],
        "--targeting", '{"location_ids": ["3017382"]}', "--budget", "50", "--bid", bid,
        "--billing-event", billing,
    )  # fmt: skip
    assert done.exit_code == 2, done.output
    assert "invalid_parameter" in done.output
    assert said in " ".join(done.output.split())
