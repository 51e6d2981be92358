"""Where serve keeps the traffic checkpoints: next to a SQLite file, in the var directory for a
database server (one directory per database), nowhere for an in-memory database or when off."""

from __future__ import annotations

from pathlib import Path

from sparkads.config import Settings


def test_the_checkpoints_live_next_to_a_sqlite_file() -> None:
    settings = Settings(database_url="sqlite:////srv/sparkads/ads.db")
    assert settings.traffic_checkpoints() == Path("/srv/sparkads/ads.db-traffic")
    assert Settings(database_url="sqlite://").traffic_checkpoints() is None
    assert Settings(database_url="sqlite:///:memory:").traffic_checkpoints() is None


def test_a_database_server_gets_a_directory_of_its_own_in_the_var_directory() -> None:
    one = Settings(database_url="postgresql://ads:secret@db/ads", keys_file="/srv/var/keys.json")
    other = Settings(database_url="postgresql://ads@db/other", keys_file="/srv/var/keys.json")
    assert one.traffic_checkpoints() != other.traffic_checkpoints()
    assert (
        one.traffic_checkpoints()
        == one.with_(database_url="postgresql://ads:changed@db/ads").traffic_checkpoints()
    )  # the password is not part of where
    assert str(one.traffic_checkpoints()).startswith("/srv/var/traffic-checkpoint-")
    assert "secret" not in str(one.traffic_checkpoints())


def test_the_setting_names_the_directory_or_turns_them_off() -> None:
    env = {"SPARKADS_TRAFFIC_CHECKPOINT_DIR": "/cache/traffic"}
    assert Settings.from_env(env).traffic_checkpoints() == Path("/cache/traffic")
    assert Settings.from_env(Settings.from_env(env).as_env()).traffic_checkpoint_dir == (
        "/cache/traffic"
    )
    off = {"SPARKADS_TRAFFIC_CHECKPOINT_DIR": "off"}
    assert Settings.from_env(off).traffic_checkpoints() is None
