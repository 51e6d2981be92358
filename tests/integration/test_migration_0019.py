"""Migration 0019 packs the traffic tables' eleven attribute columns into one `attributes` text
(what the intake writes, `traffic.attributes.packed`), and its downgrade splits them back."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import inspect, text

from sparkads.db.engine import make_engine
from sparkads.db.migrate import alembic_config, upgrade
from sparkads.delivery.model import Behaviour, Viewer
from sparkads.traffic.attributes import attributes, packed, unpacked

NAMES = ("country", "region", "language", "age", "gender", "os", "os_version", "network",
         "device_price", "interests", "behaviours")  # fmt: skip
VIEWERS = (
    Viewer("a", "FR", "IDF", 27, "FEMALE", "fr", "IOS", (17, 2), "WIFI", 900, ("101", "102"),
           (Behaviour("VIDEO_RELATED", "LIKED", "101", 3),
            Behaviour("CREATOR_RELATED", "FOLLOWING", "102", 0))),
    Viewer("b", "DE", None, 0, None, "de", None, (), None, None, (), ()),
    Viewer("c", "", None, None, None, None, "ANDROID", (14,), "4G", 0, ("103",), ()),
)  # fmt: skip
AT = datetime(2026, 12, 6, 10, tzinfo=UTC)


def _columns(url: str, table: str) -> set[str]:
    engine = make_engine(url)
    try:
        return {c["name"] for c in inspect(engine).get_columns(table)}
    finally:
        engine.dispose()


def _rows(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text(sql))]
    finally:
        engine.dispose()


def test_the_attributes_are_packed_and_split_back(empty_database_url: str) -> None:
    url = empty_database_url
    upgrade(url, "0018")
    names = ", ".join(NAMES)
    values = ", ".join(f":{n}" for n in NAMES)
    engine = make_engine(url)
    with engine.begin() as connection:
        for i, viewer in enumerate(VIEWERS):
            stored = dict(zip(NAMES, attributes(viewer), strict=True))
            connection.execute(
                text(
                    "INSERT INTO traffic_requests (occurred_at, viewer_key, placement, slots,"
                    f" eligible, eligible_ids, won, sample_rate, {names}) VALUES (:at, :key,"
                    f" 'PLACEMENT_TIKTOK', 1, 0, '', '', 0.1, {values})"
                ),
                {"at": AT, "key": f"k{i}", **stored},
            )
            connection.execute(
                text(
                    "INSERT INTO viewer_profiles (viewer_key, first_seen, last_seen, requests,"
                    f" {names}) VALUES (:key, :at, :at, 2, {values})"
                ),
                {"at": AT, "key": f"k{i}", **stored},
            )
    engine.dispose()

    upgrade(url, "0019")
    expected = {f"k{i}": packed(viewer) for i, viewer in enumerate(VIEWERS)}
    for table in ("traffic_requests", "viewer_profiles"):
        assert not set(NAMES) & _columns(url, table)
        found = dict(_rows(url, f"SELECT viewer_key, attributes FROM {table}"))
        assert found == expected  # what the intake writes from the same viewers
        assert {k: unpacked(str(v)) for k, v in found.items()} == {
            f"k{i}": attributes(viewer) for i, viewer in enumerate(VIEWERS)
        }

    command.downgrade(alembic_config(url), "0018")
    for table in ("traffic_requests", "viewer_profiles"):
        assert "attributes" not in _columns(url, table)
        rows = _rows(url, f"SELECT viewer_key, {names} FROM {table} ORDER BY viewer_key")
        assert rows == [(f"k{i}", *attributes(v)) for i, v in enumerate(VIEWERS)]
    engine = make_engine(url)
    indexes = {i["name"] for t in ("traffic_requests", "viewer_profiles")
               for i in inspect(engine).get_indexes(t)}  # fmt: skip
    engine.dispose()
    assert {"ix_traffic_requests_occurred_at", "ix_viewer_profiles_last_seen"} <= indexes
    upgrade(url)  # and up again, from the split columns
    assert dict(_rows(url, "SELECT viewer_key, attributes FROM viewer_profiles")) == expected
