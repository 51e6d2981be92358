"""Every method of the official TikTok Business API SDK (tiktok-business-api-sdk-official) whose
route sparkads serves, called through the SDK against a real server, answers code 0 for valid
input. The routes are read from the SDK's own sources and from the server's OpenAPI document, so
a route added on either side without a call here fails the test."""

from __future__ import annotations

import hashlib
import inspect
import json
import re
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import business_api_client as sdk_module
import httpx
import pytest

from factories import PARIS_VIEWER
from factories.media import mp4
from factories.server import hermetic_env

pytestmark = pytest.mark.e2e

FRANCE = "3017382"
PREFIX = "/open_api/v1.3"


def sdk_routes() -> dict[str, str]:
    """Route → SDK method name, from the SDK's api modules."""
    routes: dict[str, str] = {}
    for path in sorted(Path(inspect.getfile(sdk_module)).parent.joinpath("api").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        for found in re.finditer(
            r"def (\w+)_with_http_info\(self.*?'(/open_api/v1\.3/[^']+)'", source, re.S
        ):
            routes[found.group(2)] = found.group(1)
    return routes


class Calls:
    """The SDK's API classes on one client; remembers which routes answered code 0."""

    def __init__(self, client: sdk_module.ApiClient) -> None:
        self.client = client
        self.apis = [
            cls(client)
            for name, cls in vars(sdk_module).items()
            if name.endswith("Api") and inspect.isclass(cls) and name != "ApiClient"
        ]
        self.routes = {method: route for route, method in sdk_routes().items()}
        self.ok: set[str] = set()

    def __call__(self, method: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        api = next(a for a in self.apis if hasattr(a, method))
        answer: dict[str, Any] = getattr(api, method)(*args, **kwargs)
        code = json.loads(self.client.last_response.data)["code"]
        assert code == 0, (method, answer)
        self.ok.add(self.routes[method])
        return answer


@pytest.fixture
def calls(server) -> Iterator[Calls]:
    configuration = sdk_module.Configuration()
    configuration.host = server.base_url
    client = sdk_module.ApiClient(configuration)
    yield Calls(client)
    client.pool.close()
    client.pool.join()


def _hashes(count: int) -> bytes:
    # viewers sent through the feed by the test (never a synthetic population of the server's),
    # hashed as customer files are
    lines = (hashlib.sha256(f"sim-7-{i}".encode()).hexdigest() for i in range(count))
    return "\n".join(lines).encode()


def authorize_app(server: Any, operator_token: str, bc_id: str) -> tuple[str, str, str]:
    """A developer app (operator API), a person of the Business Center (the CLI) who approves
    the app on the authorization page: (app_id, secret, auth_code) as the app receives them."""
    with httpx.Client(base_url=server.base_url, timeout=15) as web:
        made = web.post(
            "/api/v1/operator/apps",
            json={"name": "SDK app", "redirect_uris": ["http://127.0.0.1:9/callback"]},
            headers={"Authorization": f"Bearer {operator_token}"},
        )
        assert made.status_code == 201, made.text
        app_id, secret = made.json()["app_id"], made.json()["secret"]
        email, password = f"sdk-{uuid.uuid4().hex[:8]}@agency.example", "correct horse battery"
        done = subprocess.run(
            [sys.executable, "-m", "sparkads", "users", "create", "--email", email,
             "--bc-id", bc_id, "--database-url", server.database_url],
            capture_output=True, text=True, timeout=60, check=False,
            env={**hermetic_env(), "SPARKADS_NEW_PASSWORD": password},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        csrf = _csrf(web.get("/signin").text)
        signed = web.post(
            "/signin/password", data={"email": email, "password": password, "csrf_token": csrf}
        )
        assert signed.status_code in (200, 303), signed.text
        page = web.get("/portal/auth", params={"app_id": app_id, "state": "sdk"})
        assert page.status_code == 200, page.text
        chosen = re.findall(r'name="advertiser_id" value="(\d+)"', page.text)
        form = {"csrf_token": _csrf(page.text), "app_id": app_id, "state": "sdk"}
        form |= {"redirect_uri": "http://127.0.0.1:9/callback", "decision": "approve"}
        approved = web.post("/portal/auth", data={**form, "advertiser_id": chosen})
        assert approved.status_code == 303, approved.text
        query = dict(httpx.URL(approved.headers["location"]).params)
        assert query["state"] == "sdk"
        return app_id, secret, query["auth_code"]


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_every_sdk_method_on_a_served_route_answers_code_0(
    calls: Calls,
    http: httpx.Client,
    server: Any,
    operator_token: str,
    cli: Callable[..., dict[str, Any]],
    make_creator: Callable[[], Any],
    make_advertiser: Callable[..., Any],
    make_business_center: Callable[[], Any],
    tmp_path: Path,
) -> None:
    bc = make_business_center()
    bc_token = bc.token
    creator, brand = make_creator(), make_advertiser(bc.bc_id)
    token, adv = brand.token, brand.advertiser_id
    post = creator.publish(caption="every SDK route #coffee")
    code = creator.enable_authorization(post["item_id"], duration_days=30)["auth_code"]
    assert brand.apply_code(code)["code"] == 0

    # accounts
    calls("advertiser_info", [adv], token)
    listed = calls("oauth2_advertiser_get", "1000", "secret", token)
    assert [a["advertiser_id"] for a in listed["data"]["list"]] == [adv]
    # a developer app authorized on the web page trades its auth_code through the SDK
    app_id, secret, auth_code = authorize_app(server, operator_token, bc.bc_id)
    calls(
        "oauth2_access_token",
        body=sdk_module.Oauth2AccessTokenBody(app_id=app_id, secret=secret, auth_code=auth_code),
    )
    granted = json.loads(calls.client.last_response.data)["data"]
    assert granted["advertiser_ids"] == [adv]
    app_token = granted["access_token"]
    mine = calls("oauth2_advertiser_get", app_id, secret, app_token)
    assert [a["advertiser_id"] for a in mine["data"]["list"]] == [adv]
    calls("campaign_get", adv, app_token)
    # identities and targeting tools
    identities = calls("identity_get", adv, token, identity_type="AUTH_CODE")
    identity_id = identities["data"]["identity_list"][0]["identity_id"]
    calls(
        "identity_video_info",
        access_token=token,
        advertiser_id=adv,
        identity_type="AUTH_CODE",
        identity_id=identity_id,
        item_id=post["item_id"],
    )
    calls(
        "identity_create",
        token,
        body=sdk_module.IdentityCreateBody(
            advertiser_id=adv, display_name="Every route voice", image_uri="voice-avatar"
        ),
    )
    calls("tool_region", adv, ["PLACEMENT_TIKTOK"], "TRAFFIC", token)
    calls("tool_language", adv, token)
    calls("tool_interest_category", adv, token)
    # a video upload
    video = tmp_path / "clip.mp4"
    video.write_bytes(mp4(12.0))
    calls(
        "ad_video_upload",
        token,
        advertiser_id=adv,
        video_file=str(video),
        video_signature=hashlib.md5(video.read_bytes()).hexdigest(),
    )
    videos = calls("ad_video_search", adv, token)
    assert [v["signature"] for v in videos["data"]["list"]] == [
        hashlib.md5(video.read_bytes()).hexdigest()
    ]
    # creative assets and pixels
    portfolio = calls(
        "creative_portfolio_create",
        token,
        body=sdk_module.PortfolioCreateBody(
            advertiser_id=adv,
            creative_portfolio_type="CTA",
            portfolio_content=[
                sdk_module.CreativeportfoliocreatePortfolioContent(
                    asset_content="SHOP_NOW", asset_ids=["0"]
                )
            ],
        ),
    )["data"]["creative_portfolio_id"]
    listed_portfolios = calls("creative_portfolio_list", adv, token)["data"]
    assert [p["creative_portfolio_id"] for p in listed_portfolios["creative_portfolios"]] == [
        portfolio
    ]
    calls("creative_portfolio_get", adv, portfolio, token)
    pixel = calls(
        "pixel_create",
        token,
        body=sdk_module.PixelCreateBody(advertiser_id=adv, pixel_name="Every route pixel"),
    )["data"]
    calls(
        "pixel_event_create",
        token,
        body=sdk_module.EventCreateBody(
            advertiser_id=adv,
            pixel_id=pixel["pixel_id"],
            pixel_events=[sdk_module.PixeleventcreatePixelEvents(event_type="COMPLETE_PAYMENT")],
        ),
    )
    pixels = calls("pixel_list", adv, token)["data"]["pixels"]
    assert [e["event_type"] for p in pixels for e in p["events"]] == ["COMPLETE_PAYMENT"]
    stats = calls(
        "pixel_event_stats",
        adv,
        [pixel["pixel_id"]],
        sdk_module.DateRange(start_date="2026-01-01", end_date="2026-01-31"),
        token,
    )
    assert stats["data"]["list"][0]["statistics"][0]["total_count"] == 0
    # campaign, ad group, ad: create, get, update, status
    campaign = calls(
        "campaign_create",
        token,
        body=sdk_module.CampaignCreateBody(
            advertiser_id=adv,
            campaign_name="Every route",
            objective_type="TRAFFIC",
            budget_mode="BUDGET_MODE_DAY",
            budget=100,
        ),
    )
    campaign_id = campaign["data"]["campaign_id"]
    calls("campaign_get", adv, token)
    calls(
        "campaign_update",
        token,
        body=sdk_module.CampaignUpdateBody(
            advertiser_id=adv, campaign_id=campaign_id, campaign_name="Every route, renamed"
        ),
    )
    group = calls(
        "adgroup_create",
        token,
        body=sdk_module.AdgroupCreateBody(
            advertiser_id=adv,
            campaign_id=campaign_id,
            adgroup_name="Every route group",
            promotion_type="WEBSITE",
            placement_type="PLACEMENT_TYPE_NORMAL",
            placements=["PLACEMENT_TIKTOK"],
            location_ids=[FRANCE],
            budget_mode="BUDGET_MODE_DAY",
            budget=100,
            schedule_type="SCHEDULE_FROM_NOW",
            schedule_start_time="2026-01-01 00:00:00",
            optimization_goal="CLICK",
            billing_event="CPC",
            bid_type="BID_TYPE_CUSTOM",
            # above what other tests' ad groups on this shared server bid for France, so the
            # viewers below see this ad (no click is sent: nothing is spent)
            bid_price=50,
            pacing="PACING_MODE_SMOOTH",
        ),
    )
    adgroup_id = group["data"]["adgroup_id"]
    calls("adgroup_get", adv, token)
    calls(
        "adgroup_update",
        token,
        body=sdk_module.AdgroupUpdateBody(
            advertiser_id=adv, adgroup_id=adgroup_id, adgroup_name="Every route group, renamed"
        ),
    )
    creative = {
        "ad_name": "Every route ad",
        "identity_type": "AUTH_CODE",
        "identity_id": identity_id,
        "tiktok_item_id": post["item_id"],
        "ad_format": "SINGLE_VIDEO",
        "call_to_action": "SHOP_NOW",
        "landing_page_url": "https://brand.example.com/every-route",
    }
    ad = calls(
        "ad_create",
        token,
        body=sdk_module.AdCreateBody(
            advertiser_id=adv,
            adgroup_id=adgroup_id,
            creatives=[sdk_module.AdcreateCreatives(**creative)],
        ),
    )
    ad_id = ad["data"]["ad_ids"][0]
    calls("ad_get", adv, token)
    calls(
        "ad_update",
        token,
        body=sdk_module.AdUpdateBody(
            advertiser_id=adv,
            adgroup_id=adgroup_id,
            creatives=[{**creative, "ad_id": ad_id, "ad_name": "Every route ad, renamed"}],
        ),
    )
    # a few decisions and events, then the report
    feed = cli("feeds", "create", "--name", f"every-route-{uuid.uuid4().hex[:8]}")
    headers = {"Authorization": f"Bearer {feed['access_token']}"}
    # the customers of the audience below are viewers the feed has seen (`_hashes`)
    shown = 0
    for n in range(300):
        viewer = {**PARIS_VIEWER, "viewer_id": f"sim-7-{n}", "age": 18 + n % 40}
        decided = http.post("/api/v1/feed/decisions", headers=headers, json={"viewer": viewer})
        for decision in decided.json()["decisions"]:
            events = [{"token": decision["token"], "type": t} for t in ("impression", "play_25")]
            http.post("/api/v1/events", headers=headers, json={"events": events})
            shown += decision["ad_id"] == ad_id
    assert shown, "the viewers never saw this test's ad: the report below would be empty"
    calls(
        "report_integrated_get",
        "BASIC",
        token,
        advertiser_id=adv,
        data_level="AUCTION_AD",
        dimensions=["ad_id"],
        metrics=["spend", "impressions", "video_views_p25", "app_install"],
        query_lifetime=True,
    )
    calls(
        "report_task_create",
        token,
        body=sdk_module.ReportTaskCreateBody(
            advertiser_id=adv,
            report_type="BASIC",
            data_level="AUCTION_AD",
            dimensions=["ad_id"],
            metrics=["spend", "impressions", "video_views_p25"],
            query_lifetime=True,
            file_name="every-route",
        ),
    )
    task_id = json.loads(calls.client.last_response.data)["data"]["task_id"]
    calls("report_task_check", task_id, adv, token)
    checked = json.loads(calls.client.last_response.data)["data"]
    assert checked["status"] == "SUCCESS"
    assert checked["total_number"] == 1
    downloaded = http.get(checked["download_url"], headers={"Access-Token": token})
    assert downloaded.text.splitlines()[0] == "ad_id,spend,impressions,video_views_p25"
    for status_method, body_class, ids in (
        ("ad_status_update", sdk_module.AdStatusUpdateBody, {"ad_ids": [ad_id]}),
        ("adgroup_status_update", sdk_module.AdgroupStatusUpdateBody, {"adgroup_ids": [adgroup_id]}),
        ("campaign_status_update", sdk_module.CampaignStatusUpdateBody, {"campaign_ids": [campaign_id]}),
    ):  # fmt: skip
        calls(
            status_method,
            token,
            body=body_class(advertiser_id=adv, operation_status="DISABLE", **ids),
        )
    # audiences
    hashes = tmp_path / "customers.txt"
    hashes.write_bytes(_hashes(300))
    upload = calls(
        "dmp_custom_audience_file_upload",
        token,
        advertiser_id=adv,
        calculate_type="EMAIL_SHA256",
        file=str(hashes),
        file_signature=hashlib.md5(hashes.read_bytes()).hexdigest(),
    )
    created = calls(
        "dmp_custom_audience_create",
        token,
        body=sdk_module.CustomAudienceCreateBody(
            advertiser_id=adv,
            custom_audience_name="Customers",
            file_paths=[upload["data"]["file_path"]],
            calculate_type="EMAIL_SHA256",
        ),
    )
    audience_id = created["data"]["custom_audience_id"]
    calls("dmp_custom_audience_list", adv, token)
    calls("dmp_custom_audience_get", adv, [audience_id], token)
    calls(
        "dmp_custom_audience_update",
        token,
        body=sdk_module.CustomAudienceUpdateBody(
            advertiser_id=adv, custom_audience_id=audience_id, custom_audience_name="Best customers"
        ),
    )
    calls(
        "dmp_custom_audience_lookalike_create",
        token,
        body=sdk_module.LookalikeCreateBody(
            advertiser_id=adv,
            custom_audience_name="Like my customers",
            lookalike_spec={
                "source_audience_id": audience_id,
                "include_source": False,
                "mobile_os": "ALL",
                "placements": ["TikTok"],
                "location_ids": [FRANCE],
                "audience_size": "NARROW",
            },
        ),
    )
    rule = {"retention_days": 7, "filter_set": {"operator": "OR", "filters": [
        {"field": "EVENT", "operator": "EQ", "value": "PLAY 6S"}]}}  # fmt: skip
    engaged = calls(
        "dmp_custom_audience_rule_create",
        token,
        body=sdk_module.RuleCreateBody(
            advertiser_id=adv,
            custom_audience_name="Engaged",
            audience_type="ENGAGEMENT",
            rule_spec={"include_rule_set": {"operator": "OR", "rules": [rule]}},
        ),
    )
    calls(
        "dmp_custom_audience_delete",
        token,
        body=sdk_module.CustomAudienceDeleteBody(
            advertiser_id=adv, custom_audience_ids=[engaged["data"]["custom_audience_id"]]
        ),
    )
    # Business Center
    calls("bc_get", bc_token, bc_id=bc.bc_id)
    calls("bc_asset_get", bc.bc_id, "ADVERTISER", bc_token)
    calls("bc_asset_admin_get", bc.bc_id, "ADVERTISER", bc_token)
    members = calls("bc_member_get", bc.bc_id, bc_token)["data"]["list"]
    member = members[0]["user_id"]
    calls(
        "bc_asset_assign",
        bc_token,
        body=sdk_module.AssetAssignBody(
            bc_id=bc.bc_id,
            user_id=member,
            asset_type="ADVERTISER",
            asset_id=adv,
            advertiser_role="OPERATOR",
        ),
    )
    shared = calls("bc_asset_member_get", bc.bc_id, "ADVERTISER", adv, bc_token)
    assert [m["advertiser_role"] for m in shared["data"]["list"]] == ["OPERATOR"]
    calls(
        "bc_asset_unassign",
        bc_token,
        body=sdk_module.AssetUnassignBody(
            bc_id=bc.bc_id, user_id=member, asset_type="ADVERTISER", asset_id=adv
        ),
    )

    partner = make_business_center()
    calls(
        "bc_partner_add",
        bc_token,
        body=sdk_module.PartnerAddBody(
            bc_id=bc.bc_id,
            partner_id=partner.bc_id,
            asset_type="ADVERTISER",
            asset_ids=[adv],
            advertiser_role="OPERATOR",
        ),
    )
    calls("campaign_get", adv, partner.token)  # the partner acts on the shared ad account

    served = set(http.get("/openapi.json").json()["paths"])
    expected = {route for route in sdk_routes() if route in served}
    assert calls.ok == expected, sorted(expected - calls.ok)
