"""Issue 13's acceptance, on a real `sparkads serve` started without `--sandbox`: what the server
says about people comes only from the traffic it received. With an empty log, a forecast and an
audience estimate say there is no basis; after N distinct viewers from France ask the feed, the
audience for France is N and Germany's is 0; a viewer attribute outside the catalogue is clipped
with a warning, not stored raw."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from factories.server import cli_json, serving

pytestmark = pytest.mark.e2e

FRANCE, GERMANY = "3017382", "2921044"
VIEWERS = 150  # above the 100-viewer floor under which no audience count is shown


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    workdir = tmp_path_factory.mktemp("real-traffic")
    database = workdir / "real.db"
    # without --sandbox: a deployment that invents nothing
    with serving(workdir, f"sqlite:///{database}", sandbox=False) as (base_url, _log):
        yield base_url, database


_cli = cli_json


def test_everything_said_about_people_comes_from_the_traffic(live: tuple[str, Path]) -> None:
    base_url, database = live
    brand = _cli(database, "advertisers", "create", "--name", "Brand", "--currency", "EUR",
                 "--timezone", "Europe/Paris")  # fmt: skip
    feed = _cli(database, "feeds", "create", "--name", "phone app")
    advertiser = {"Authorization": f"Bearer {brand['access_token']}"}
    feed_auth = {"Authorization": f"Bearer {feed['access_token']}"}
    with httpx.Client(base_url=base_url, timeout=15) as http:

        def audience(location: str) -> dict[str, Any]:
            response = http.post(
                "/api/v1/audience-estimates",
                headers=advertiser,
                json={"advertiser_id": brand["advertiser_id"],
                      "targeting": {"location_ids": [location]}},
            )  # fmt: skip
            assert response.status_code == 200, response.text
            return dict(response.json())

        forecast_body = {"advertiser_id": brand["advertiser_id"], "budget": 50, "bid_price": 1,
                         "targeting": {"location_ids": [FRANCE]}}  # fmt: skip
        refused = http.post("/api/v1/forecasts", headers=advertiser, json=forecast_body)
        assert refused.status_code == 409, refused.text
        error = refused.json()["error"]
        assert error["code"] == "forecast_no_basis"
        assert "0 sampled feed requests" in error["message"]
        french = http.post(
            "/api/v1/forecasts", headers={**advertiser, "Accept-Language": "fr"}, json=forecast_body
        )
        assert "Pas assez de trafic" in french.json()["error"]["message"]
        empty = audience(FRANCE)
        assert (empty["has_basis"], empty["size"], empty["known_viewers"]) == (False, None, 0)

        for n in range(VIEWERS):
            viewer = {"viewer_id": f"person-{n}", "country": "FR", "age": 20 + n % 30}
            answer = http.post("/api/v1/feed/decisions", headers=feed_auth, json={"viewer": viewer})
            assert answer.status_code == 200, answer.text
            assert answer.json()["warnings"] == []
        clipped = http.post(
            "/api/v1/feed/decisions",
            headers=feed_auth,
            json={"viewer": {"viewer_id": "person-x", "country": "ZZ", "interests": ["nope"]}},
        )
        assert clipped.status_code == 200, clipped.text
        warned = {w["field"]: w for w in clipped.json()["warnings"]}
        assert set(warned) == {"viewer.country", "viewer.interests"}
        assert warned["viewer.country"]["code"] == "viewer_attribute_clipped"

        deadline = time.monotonic() + 10  # the intake flushes every second
        seen = audience(FRANCE)
        while seen["size"] != VIEWERS and time.monotonic() < deadline:
            time.sleep(0.2)
            seen = audience(FRANCE)
        assert (seen["has_basis"], seen["size"]) == (True, VIEWERS)
        assert seen["known_viewers"] == VIEWERS + 1  # the one from "ZZ" is known, in no country
        assert audience(GERMANY)["size"] == 0

    # nothing stored names a viewer or keeps a value outside the catalogue
    with sqlite3.connect(database) as db:
        keys = [row[0] for row in db.execute("SELECT viewer_key FROM viewer_profiles")]
        stored = [row[0].split("|") for row in db.execute("SELECT attributes FROM viewer_profiles")]
        countries = {values[0] or None for values in stored}  # packed: country first, "" if none
        interests = {values[9] for values in stored}
    assert len(keys) == VIEWERS + 1
    assert not any(k.startswith("person") for k in keys)
    assert countries == {"FR", None}
    assert interests == {""}


def test_a_restarted_server_starts_from_the_traffic_it_saved(tmp_path: Path) -> None:
    """`serve` saves the traffic it holds as a checkpoint next to the database when it stops; the
    next start reads it, and says about people what the first server said."""
    database = tmp_path / "restarted.db"
    url = f"sqlite:///{database}"
    saved = tmp_path / "restarted.db-traffic"
    with serving(tmp_path, url, sandbox=False) as (base_url, _log):
        brand = _cli(database, "advertisers", "create", "--name", "Brand", "--currency", "EUR",
                     "--timezone", "Europe/Paris")  # fmt: skip
        feed = _cli(database, "feeds", "create", "--name", "phone app")
        advertiser = {"Authorization": f"Bearer {brand['access_token']}"}
        body = {"advertiser_id": brand["advertiser_id"], "targeting": {"location_ids": [FRANCE]}}
        with httpx.Client(base_url=base_url, timeout=15) as http:
            for n in range(VIEWERS):
                viewer = {"viewer_id": f"person-{n}", "country": "FR", "age": 20 + n % 30}
                answer = http.post("/api/v1/feed/decisions", json={"viewer": viewer},
                                   headers={"Authorization": f"Bearer {feed['access_token']}"})  # fmt: skip
                assert answer.status_code == 200, answer.text
            deadline = time.monotonic() + 10  # the intake flushes every second
            first = http.post("/api/v1/audience-estimates", headers=advertiser, json=body).json()
            while first["size"] != VIEWERS and time.monotonic() < deadline:
                time.sleep(0.2)
                first = http.post(
                    "/api/v1/audience-estimates", headers=advertiser, json=body
                ).json()
            assert first["size"] == VIEWERS
    assert sorted(p.name for p in saved.glob("*.npz")) == ["log.npz", "profiles.npz"]
    written = (saved / "profiles.npz").stat().st_mtime_ns
    with serving(tmp_path, url, sandbox=False) as (base_url, log):
        with httpx.Client(base_url=base_url, timeout=15) as http:
            again = http.post("/api/v1/audience-estimates", headers=advertiser, json=body).json()
        assert again == first
        assert "traffic checkpoint" not in log.read_text()  # nothing ignored, nothing unreadable
    assert (saved / "profiles.npz").stat().st_mtime_ns == written  # nothing new to save
