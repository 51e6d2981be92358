"""Airbyte's TikTok Marketing source (airbyte-source-tiktok-marketing 4.7.0, installed by
./scripts/test in .venv-airbyte: its pins differ from ours) against a real sparkads server with
traffic: `check`, `discover`, and `read` of every stream it offers (44), with include_deleted
false and true. Only its base URL changes: the installed package is copied at test time with the
manifest's `url_base` replaced, nothing else. Report figures read through Airbyte equal
sparkads' own reports (GET /api/v1/reports), and pixel statistics sparkads' pixel/event/stats.

The world is built through the APIs as a user would: a Spark post with its original sound, a
video upload, a CTA portfolio, a pixel tracking COMPLETE_PAYMENT that receives a conversion;
discover must offer exactly the streams read here, so a new stream in a later source version
shows up as a failure."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from factories import PARIS_VIEWER
from factories.media import mp4

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
AIRBYTE_PYTHON = ROOT / ".venv-airbyte" / "bin" / "python"
FRANCE = "3017382"
PARIS = ZoneInfo("Europe/Paris")
STREAM_COUNT = 44  # streams of 4.7.0, all read here
SOUND = "Airbyte sync beat"
# A viewer's plays: impressions, quartiles, clicks, conversions (goal CLICK: a click is a result)
PLAYS = (
    ("impression", "view_2s", "play_25", "play_50", "click", "conversion"),
    ("impression", "play_25"),
    ("impression", "view_2s", "play_25", "play_50", "play_75", "play_100", "view_6s", "like"),
)


@dataclass(frozen=True)
class Traffic:
    advertiser_id: str
    token: str
    deleted_campaign_id: str
    day: date
    video_id: str
    item_id: str
    pixel_id: str
    portfolio_id: str


def _installed_package() -> Path:
    found = sorted((ROOT / ".venv-airbyte" / "lib").glob("python3*/site-packages"))
    assert found, "run ./scripts/test (ensure_airbyte_venv) to install Airbyte's source"
    package = found[0] / "source_tiktok_marketing"
    assert (package / "manifest.yaml").is_file(), package
    return package


@pytest.fixture(scope="module")
def source(server, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the installed package whose manifest points at the sparkads server."""
    assert AIRBYTE_PYTHON.is_file(), "run ./scripts/test to create .venv-airbyte"
    where = tmp_path_factory.mktemp("airbyte") / "source_tiktok_marketing"
    shutil.copytree(_installed_package(), where)
    manifest = where / "manifest.yaml"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    url_lines = [i for i, line in enumerate(lines) if line.strip().startswith("url_base:")]
    assert len(url_lines) == 1, "the manifest has one url_base"
    indent = lines[url_lines[0]].split("url_base:")[0]
    lines[url_lines[0]] = f'{indent}url_base: "{server.base_url}/open_api/v1.3/"'
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return where.parent


def _airbyte(source: Path, workdir: Path, *args: str) -> list[dict[str, Any]]:
    done = subprocess.run(
        [
            str(AIRBYTE_PYTHON),
            "-c",
            "from source_tiktok_marketing.run import run; run()",
            *args,
        ],
        capture_output=True,
        text=True,
        cwd=workdir,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(source), "HOME": str(workdir)},
        timeout=600,
        check=False,
    )
    messages = []
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            messages.append(json.loads(line))
    assert messages, f"no Airbyte message (exit {done.returncode}):\n{done.stderr[-3000:]}"
    return messages


def _sandbox_day(http: httpx.Client) -> date:
    now = http.get("/api/v1/sandbox/clock").json()["now"]
    return datetime.fromisoformat(now.replace("Z", "+00:00")).astimezone(PARIS).date()


@pytest.fixture(scope="module")
def traffic(
    http: httpx.Client,
    cli: Callable[..., dict[str, Any]],
    make_creator: Callable[[], Any],
    make_advertiser: Callable[..., Any],
) -> Traffic:
    """A live Spark ad with plays, clicks and conversions from viewers on iOS and Android in two
    regions; an engagement audience; and a second campaign, deleted, that also had traffic."""
    creator, brand = make_creator(), make_advertiser()
    post = creator.publish(
        caption="Airbyte sync test #coffee",
        music={"title": SOUND, "cleared_for_commercial_use": True},
    )
    code = creator.enable_authorization(post["item_id"], duration_days=30)["auth_code"]
    assert brand.apply_code(code)["code"] == 0
    identity_id = brand.video_info(code)["data"]["user_info"]["identity_id"]
    feed = cli("feeds", "create", "--name", f"airbyte-{uuid.uuid4().hex[:8]}")
    feed_headers = {"Authorization": f"Bearer {feed['access_token']}"}

    def spark_ad(name: str) -> tuple[str, str]:
        campaign = brand.post(
            "/campaign/create/",
            campaign_name=name,
            objective_type="TRAFFIC",
            budget_mode="BUDGET_MODE_DAY",
            budget=500,
        )
        assert campaign["code"] == 0, campaign
        campaign_id = campaign["data"]["campaign_id"]
        group = brand.post(
            "/adgroup/create/",
            campaign_id=campaign_id,
            adgroup_name=f"{name} group",
            promotion_type="WEBSITE",
            placement_type="PLACEMENT_TYPE_NORMAL",
            placements=["PLACEMENT_TIKTOK"],
            location_ids=[FRANCE],
            budget_mode="BUDGET_MODE_DAY",
            budget=500,
            schedule_type="SCHEDULE_FROM_NOW",
            schedule_start_time="2026-01-01 00:00:00",
            optimization_goal="CLICK",
            billing_event="CPC",
            bid_type="BID_TYPE_CUSTOM",
            bid_price=9,
            pacing="PACING_MODE_FAST",
        )
        assert group["code"] == 0, group
        ad = brand.post(
            "/ad/create/",
            adgroup_id=group["data"]["adgroup_id"],
            creatives=[
                {
                    "ad_name": f"{name} ad",
                    "identity_type": "AUTH_CODE",
                    "identity_id": identity_id,
                    "tiktok_item_id": post["item_id"],
                    "ad_format": "SINGLE_VIDEO",
                    "call_to_action": "SHOP_NOW",
                    "landing_page_url": "https://brand.example.com/airbyte",
                }
            ],
        )
        assert ad["code"] == 0, ad
        return campaign_id, ad["data"]["ad_ids"][0]

    served: Counter[str] = Counter()
    clickers: list[str] = []

    def serve(ad_id: str) -> None:
        """Six decisions for this ad (the snapshot picks a new ad up within ~0.1 s)."""
        for i in range(400):
            if served[ad_id] >= 6:
                return
            viewer = {
                **PARIS_VIEWER,
                "viewer_id": f"airbyte-{uuid.uuid4().hex[:12]}",
                "region": "IDF" if i % 2 else "ARA",
                "device": {"os": "ANDROID" if i % 3 else "IOS"},
            }
            answer = http.post(
                "/api/v1/feed/decisions", headers=feed_headers, json={"viewer": viewer, "slots": 10}
            )
            assert answer.status_code == 200, answer.text
            for decision in answer.json()["decisions"]:
                if decision["ad_id"] == ad_id:
                    kinds = PLAYS[served[ad_id] % len(PLAYS)]
                    served[ad_id] += 1
                    if "click" in kinds:
                        clickers.append(viewer["viewer_id"])
                    events = [{"token": decision["token"], "type": kind} for kind in kinds]
                    sent = http.post(
                        "/api/v1/events", headers=feed_headers, json={"events": events}
                    )
                    assert sent.status_code == 200, sent.text
                    break
            else:
                time.sleep(0.02)
        raise AssertionError(f"too few decisions for ad {ad_id}: {served}")

    deleted_campaign, deleted_ad = spark_ad("Airbyte deleted")
    serve(deleted_ad)
    gone = brand.post(
        "/campaign/status/update/", campaign_ids=[deleted_campaign], operation_status="DELETE"
    )
    assert gone["code"] == 0, gone
    _, live_ad = spark_ad("Airbyte live")
    serve(live_ad)
    audience = brand.post(
        "/dmp/custom_audience/rule/create/",
        custom_audience_name="Airbyte engaged",
        audience_type="ENGAGEMENT",
        rule_spec={
            "include_rule_set": {
                "operator": "OR",
                "rules": [
                    {
                        "retention_days": 7,
                        "filter_set": {
                            "operator": "OR",
                            "filters": [{"field": "EVENT", "operator": "EQ", "value": "PLAY 6S"}],
                        },
                    }
                ],
            }
        },
    )
    assert audience["code"] == 0, audience
    uploaded = http.post(
        "/open_api/v1.3/file/video/ad/upload/",
        headers={"Access-Token": brand.token},
        data={"advertiser_id": brand.advertiser_id},
        files={"video_file": ("launch.mp4", mp4(12.0), "video/mp4")},
    ).json()
    assert uploaded["code"] == 0, uploaded
    portfolio = brand.post(
        "/creative/portfolio/create/",
        creative_portfolio_type="CTA",
        portfolio_content=[{"asset_content": "SHOP_NOW", "asset_ids": ["0"]}],
    )
    assert portfolio["code"] == 0, portfolio
    pixel = brand.post("/pixel/create/", pixel_name="Airbyte shop")
    assert pixel["code"] == 0, pixel
    pixel_id = pixel["data"]["pixel_id"]
    tracked = brand.post(
        "/pixel/event/create/",
        pixel_id=pixel_id,
        pixel_events=[{"event_type": "COMPLETE_PAYMENT"}],
    )
    assert tracked["code"] == 0, tracked
    paid = http.post(
        "/api/v1/conversions",
        headers={"Authorization": f"Bearer {brand.token}"},
        json={
            "advertiser_id": brand.advertiser_id,
            "viewer_id": clickers[-1],
            "pixel_code": pixel["data"]["pixel_code"],
            "event": "COMPLETE_PAYMENT",
        },
    )
    assert paid.status_code == 200, paid.text
    assert paid.json()["ad_id"] == live_ad
    return Traffic(
        brand.advertiser_id,
        brand.token,
        deleted_campaign,
        _sandbox_day(http),
        uploaded["data"]["video_id"],
        post["item_id"],
        pixel_id,
        portfolio["data"]["creative_portfolio_id"],
    )


def _config(workdir: Path, traffic: Traffic, include_deleted: bool) -> Path:
    config = {
        "credentials": {
            "auth_type": "oauth2.0",
            "app_id": "1000",
            "secret": "sparkads-test-secret",
            "access_token": traffic.token,
        },
        "start_date": (traffic.day - timedelta(days=1)).isoformat(),
        "end_date": (traffic.day + timedelta(days=1)).isoformat(),
        "include_deleted": include_deleted,
        "attribution_window": 0,
    }
    path = workdir / f"config-{include_deleted}.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("airbyte-run")


def _errors(messages: list[dict[str, Any]]) -> list[str]:
    found = []
    for m in messages:
        if m.get("type") == "TRACE" and m["trace"].get("type") == "ERROR":
            found.append(m["trace"]["error"].get("message", ""))
        if m.get("type") == "LOG" and m["log"].get("level") in ("ERROR", "FATAL"):
            found.append(m["log"].get("message", ""))
    return found


def test_check_and_discover(source: Path, workdir: Path, traffic: Traffic) -> None:
    config = _config(workdir, traffic, include_deleted=False)
    checked = _airbyte(source, workdir, "check", "--config", str(config))
    status = [m["connectionStatus"] for m in checked if m["type"] == "CONNECTION_STATUS"]
    assert status == [{"status": "SUCCEEDED"}], (status, _errors(checked))
    found = _airbyte(source, workdir, "discover", "--config", str(config))
    catalog = next(m["catalog"] for m in found if m["type"] == "CATALOG")
    names = {s["name"] for s in catalog["streams"]}
    assert len(names) == STREAM_COUNT, sorted(names)


@dataclass
class Read:
    records: dict[str, list[dict[str, Any]]]
    errors: list[str]


@pytest.fixture(scope="module", params=[False, True], ids=["live", "include_deleted"])
def read(request: pytest.FixtureRequest, source: Path, workdir: Path, traffic: Traffic) -> Read:
    include_deleted: bool = request.param
    config = _config(workdir, traffic, include_deleted)
    found = _airbyte(source, workdir, "discover", "--config", str(config))
    catalog = next(m["catalog"] for m in found if m["type"] == "CATALOG")
    configured = {
        "streams": [
            {"stream": s, "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}
            for s in catalog["streams"]
        ]
    }
    catalog_path = workdir / f"catalog-{include_deleted}.json"
    catalog_path.write_text(json.dumps(configured), encoding="utf-8")
    messages = _airbyte(
        source, workdir, "read", "--config", str(config), "--catalog", str(catalog_path)
    )
    records: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in messages:
        if m["type"] == "RECORD":
            records[m["record"]["stream"]].append(m["record"]["data"])
    return Read(
        {s["stream"]["name"]: records.get(s["stream"]["name"], []) for s in configured["streams"]},
        _errors(messages),
    )


def test_every_stream_yields_records_without_error(read: Read) -> None:
    assert not read.errors, "\n\n".join(read.errors)
    assert len(read.records) == STREAM_COUNT
    empty = sorted(name for name, rows in read.records.items() if not rows)
    assert empty == []


def test_asset_streams_read_what_the_ad_account_made(read: Read, traffic: Traffic) -> None:
    images = {i["image_id"] for i in read.records["creative_assets_images"]}
    assert images == {f"sparkads-cover/{traffic.item_id}"}
    (sound,) = read.records["creative_assets_music"]
    assert (sound["name"], sound["duration"]) == (SOUND, 12.0)
    portfolios = read.records["creative_assets_portfolios"]
    assert [(p["creative_portfolio_id"], p["creative_portfolio_type"]) for p in portfolios] == [
        (traffic.portfolio_id, "CTA")
    ]
    (pixel,) = read.records["pixels"]
    assert pixel["pixel_id"] == traffic.pixel_id
    assert [e["event_type"] for e in pixel["events"]] == ["COMPLETE_PAYMENT"]
    goals = {
        (o["objective_type"], g["optimization_goal"]): g["optimization_events"]
        for record in read.records["pixel_instant_page_events"]
        for o in record["instant_page_events"]["objective_types"]
        for g in o["optimization_goals"]
    }
    assert goals[("WEB_CONVERSIONS", "CONVERT")] == ["COMPLETE_PAYMENT"]
    assert goals[("TRAFFIC", "CLICK")] == ["click"]


def _pixel_stats(http: httpx.Client, traffic: Traffic, start: date, end: date) -> Any:
    answer = http.get(
        "/open_api/v1.3/pixel/event/stats/",
        headers={"Access-Token": traffic.token},
        params={
            "advertiser_id": traffic.advertiser_id,
            "pixel_ids": json.dumps([traffic.pixel_id]),
            "date_range": json.dumps({"start_date": str(start), "end_date": str(end)}),
        },
    ).json()
    assert answer["code"] == 0, answer
    return answer["data"]["list"]


def test_pixel_statistics_equal_sparkads_and_count_the_conversion(
    read: Read, http: httpx.Client, traffic: Traffic
) -> None:
    """Airbyte asks for the days between the machine's today and 29 days later (its start_date
    is `day_delta(29)`, not the sandbox clock, which other tests move): the same window read
    from sparkads gives the same figures; the sandbox day's statistics count the conversion the
    pixel received, attributed to the live ad."""
    today = datetime.now(UTC).date()
    assert read.records["pixel_events_statistics"] == _pixel_stats(
        http, traffic, today + timedelta(days=29), today
    )
    (ours,) = _pixel_stats(http, traffic, traffic.day, traffic.day)
    assert [
        (s["pixel_event_type"], s["total_count"], s["attributed_count"]) for s in ours["statistics"]
    ] == [("COMPLETE_PAYMENT", 1, 1)]


def test_the_video_stream_reads_the_uploaded_video(read: Read, traffic: Traffic) -> None:
    videos = read.records["creative_assets_videos"]
    assert [(v["video_id"], v["duration"], v["format"]) for v in videos] == [
        (traffic.video_id, 12.0, "mp4")
    ]


def test_deleted_objects_follow_include_deleted(
    read: Read, traffic: Traffic, request: pytest.FixtureRequest
) -> None:
    campaigns = {row["campaign_id"] for row in read.records["campaigns"]}
    include_deleted = "include_deleted" in request.node.callspec.id
    assert (int(traffic.deleted_campaign_id) in campaigns) is include_deleted
    ad_groups = read.records["ad_groups"]
    assert len(ad_groups) == (2 if include_deleted else 1)


def _sparkads_report(
    http: httpx.Client, traffic: Traffic, level: str, by: str, metrics: str, audience: str = ""
) -> list[dict[str, Any]]:
    params = {
        "advertiser_id": traffic.advertiser_id,
        "start_date": (traffic.day - timedelta(days=1)).isoformat(),
        "end_date": (traffic.day + timedelta(days=1)).isoformat(),
        "level": level,
        "by": by,
        "metrics": metrics,
    }
    if audience:
        params["audience"] = audience
    response = http.get(
        "/api/v1/reports", params=params, headers={"Authorization": f"Bearer {traffic.token}"}
    )
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()["rows"]
    return rows


def _number(value: Any) -> float:
    return float(value or 0)


def test_report_figures_equal_sparkads_reports(
    read: Read, http: httpx.Client, traffic: Traffic
) -> None:
    metrics = ("spend", "impressions", "clicks", "video_views_p25", "video_views_p75", "result")
    ours = _sparkads_report(http, traffic, "ad", "day", ",".join(metrics))
    theirs = read.records["ads_reports_daily"]
    assert len(ours) == len(theirs) == 2
    expected = {
        (str(r["ad_id"]), r["stat_time_day"][:10]): [_number(r[m]) for m in metrics] for r in ours
    }
    got = {
        (str(r["ad_id"]), str(r["stat_time_day"])[:10]): [_number(r["metrics"][m]) for m in metrics]
        for r in theirs
    }
    assert got == expected
    assert all(values[3] > 0 for values in got.values()), "quartile views are real"
    (lifetime,) = read.records["advertisers_reports_lifetime"]
    (total,) = _sparkads_report(http, traffic, "advertiser", "total", "spend,impressions,reach")
    assert [lifetime["metrics"][m] for m in ("spend", "impressions", "reach")] == [
        total[m] for m in ("spend", "impressions", "reach")
    ]
    by_platform = read.records["ads_audience_reports_by_platform_daily"]
    platform_rows = _sparkads_report(http, traffic, "ad", "day", "impressions", "platform")
    assert sorted((r["platform"], _number(r["metrics"]["impressions"])) for r in by_platform) == (
        sorted((r["platform"], _number(r["impressions"])) for r in platform_rows)
    )
    assert {r["platform"] for r in by_platform} == {"ANDROID", "IOS"}
