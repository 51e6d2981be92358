"""Decision tokens bound to their feed, keys outside the database, rotation (issue 16)."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from factories import Account, ask, create_ad, send_events, spark_world
from sparkads import keys
from sparkads.accounts import service
from sparkads.accounts.models import TokenScope
from sparkads.api.app import create_app
from sparkads.clock import TestClock
from sparkads.config import Settings
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.delivery import tokens


def _feed(uow: UnitOfWork, clock: TestClock, feed_id: str) -> Account:
    token = service.issue_token(uow.session, clock, scope=TokenScope.FEED, subject_id=feed_id)
    uow.commit()
    return Account(feed_id, token)


def test_a_token_from_feed_a_is_rejected_on_feed_b(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    assert create_ad(client, world)["code"] == 0
    feed_a, feed_b = _feed(uow, clock, "feed-a"), _feed(uow, clock, "feed-b")
    [decision] = ask(client, feed_a)
    on_b = send_events(client, feed_b, (decision["token"], "click"))
    assert on_b["accepted"] == 0
    assert on_b["results"][0]["reason"] == "token_wrong_feed"
    on_a = send_events(client, feed_a, (decision["token"], "click"))
    assert on_a["accepted"] == 1  # nothing was recorded for B: A's click still counts once


def test_key_file_is_made_once_with_mode_0600_outside_the_database(tmp_path: Path) -> None:
    path = tmp_path / "var" / "keys.json"
    first = keys.load(keys_file=path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = keys.load(keys_file=path)
    assert again == first
    assert len(first.decision_tokens.current_key) == 32
    assert first.decision_tokens.current_key != first.sealing.current_key


def test_a_key_file_others_can_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    keys.load(keys_file=path)
    os.chmod(path, 0o644)
    with pytest.raises(keys.KeyFileError, match="chmod 600"):
        keys.load(keys_file=path)


def test_keys_from_the_environment_win_and_bad_ones_are_explained(tmp_path: Path) -> None:
    given = json.dumps({p: {"current": "kenv", "keys": {"kenv": "ab" * 32}} for p in keys.PURPOSES})
    ring = keys.load(given, tmp_path / "unused.json")
    assert ring.decision_tokens.current == "kenv"
    assert not (tmp_path / "unused.json").exists()
    with pytest.raises(keys.KeyFileError, match="SPARKADS_KEYS"):
        keys.load('{"decision_tokens": {}}', tmp_path / "unused.json")


def test_rotation_keeps_outstanding_tokens_valid(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    before = keys.load(keys_file=path).decision_tokens
    claims = tokens.Claims("x", "v", "a", "g", "c", "adv", "i", "CPM", "REACH", 5, 40.0, 100.0)
    old_token = tokens.sign(claims, before.current_key, before.current)
    new_id = keys.rotate(path, "decision_tokens")
    after = keys.load(keys_file=path).decision_tokens
    assert after.current == new_id != before.current
    assert tokens.verify(old_token, after.keys, 50.0).decision_id == "x"
    keys.rotate(path, "decision_tokens", drop_older=True)
    dropped = keys.load(keys_file=path).decision_tokens
    with pytest.raises(tokens.TokenError, match="token_tampered"):
        tokens.verify(old_token, dropped.keys, 50.0)


def _as_key(value: str) -> bytes:
    try:
        return bytes.fromhex(value)
    except ValueError:
        return value.encode()


def test_a_database_copy_without_the_key_file_cannot_forge_a_token(
    settings: Settings, uow: UnitOfWork, clock: TestClock, tmp_path: Path, database_url: str
) -> None:
    """Whatever the database holds (the legacy server_secrets included), a token signed with it
    is refused by the server, which signs and verifies with the key file only."""
    with TestClient(create_app(settings, clock)) as client:
        world = spark_world(client, uow, clock)
        assert create_ad(client, world)["code"] == 0
        app_feed = _feed(uow, clock, "feed1")
        [decision] = ask(client, app_feed)
        kid, body, _ = decision["token"].split(".")
        payload = json.loads(tokens._unb64(body))
        # An attacker with a copy of the database tries every secret it holds.
        rows = uow.session.execute(text("SELECT value FROM server_secrets")).all()
        # (hex secrets, and sealed ones as they stand: their key is in the key file)
        candidates = [_as_key(value) for (value,) in rows] + [b""]
        forged = [
            tokens.sign_payload({**payload, "d": f"forged{n}", "p": 10**9}, secret, kid)
            for n, secret in enumerate(candidates)
        ]
        answer = send_events(client, app_feed, *((token, "click") for token in forged))
        assert answer["accepted"] == 0
        assert {r["reason"] for r in answer["results"]} == {"token_tampered"}
    # The same database served with other decision-token keys: yesterday's real tokens are
    # refused too. (The sealing keys must follow the database: they open its viewer-key secret.)
    other = settings.with_(keys_file=str(tmp_path / "elsewhere" / "keys.json"))
    shutil.rmtree(tmp_path / "elsewhere", ignore_errors=True)
    keys.load(keys_file=other.keys_file)  # a new key file
    mine, theirs = (json.loads(Path(f).read_text()) for f in (settings.keys_file, other.keys_file))
    theirs["sealing"] = mine["sealing"]
    Path(other.keys_file).write_text(json.dumps(theirs))
    assert theirs["decision_tokens"] != mine["decision_tokens"]
    with TestClient(create_app(other, clock)) as stranger:
        answer = send_events(stranger, app_feed, (decision["token"], "click"))
    assert answer["results"][0]["reason"] == "token_tampered"


def test_sealed_codes_use_the_key_file_and_survive_a_rotation(
    uow: UnitOfWork, clock: TestClock, tmp_path: Path
) -> None:
    from sparkads.marketplace import sealing

    path = tmp_path / "keys.json"
    before = keys.load(keys_file=path).sealing
    sealed = sealing.seal(uow.session, clock, "#CODE", context="collab-1", keys=before)
    assert sealed.startswith(before.current + ":")
    keys.rotate(path, "sealing")
    after = keys.load(keys_file=path).sealing
    assert sealing.unseal(uow.session, clock, sealed, context="collab-1", keys=after) == "#CODE"
    assert sealing.unseal(uow.session, clock, sealed, context="collab-2", keys=after) is None
    # the database alone (its legacy key) cannot open it
    assert sealing.unseal(uow.session, clock, sealed, context="collab-1") is None
    # codes sealed before the key file existed still open
    legacy = sealing.seal(uow.session, clock, "#OLD", context="collab-3")
    assert sealing.unseal(uow.session, clock, legacy, context="collab-3", keys=after) == "#OLD"
