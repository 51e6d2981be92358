"""Security headers on every answer and CSV cells that cannot run as formulas (issue 16)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from factories import PARIS_VIEWER, ask, create_ad, feed, send_events, spark_world
from factories.web import sign_in
from sparkads.api.app import create_app
from sparkads.clock import TestClock
from sparkads.config import Settings
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.reporting.csv_export import csv_text, neutralise

TEMPLATES = Path(__file__).parents[2] / "src" / "sparkads" / "web" / "templates"
FORMULA = '=HYPERLINK("https://evil.example","x")'


def _assert_secured(response, path: str) -> None:  # type: ignore[no-untyped-def]
    headers = response.headers
    csp = headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp, path
    assert "script-src 'self'" in csp, path
    assert "unsafe-inline" not in csp, path
    assert headers.get("x-content-type-options") == "nosniff", path
    assert headers.get("referrer-policy") == "same-origin", path
    assert headers.get("x-frame-options") == "DENY", path


def test_headers_on_every_kind_of_answer(client: TestClient) -> None:
    for method, path in (
        ("GET", "/signin"),
        ("GET", "/"),
        ("GET", "/static/app.css"),
        ("GET", "/api/v1/sandbox/clock"),
        ("GET", "/api/v1/me"),  # 401
        ("GET", "/no/such/page"),  # 404
        ("GET", "/open_api/v1.3/advertiser/info/"),
        ("POST", "/api/v1/events"),  # 401 or 413
    ):
        response = client.request(method, path, follow_redirects=False)
        _assert_secured(response, path)
    big = client.post("/api/v1/events", content=b"x" * (5 * 1024 * 1024))
    assert big.status_code == 413
    _assert_secured(big, "413")


def test_signed_in_pages_carry_the_headers(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock)
    sign_in(client, world.brand.token)
    for path in ("/ads", "/ads/campaigns", "/ads/reports", "/ads/library", "/feed"):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_secured(response, path)
    assert "strict-transport-security" not in client.get("/ads").headers  # plain HTTP


def test_hsts_only_over_tls(settings: Settings, clock: TestClock) -> None:
    with TestClient(create_app(settings, clock), base_url="https://testserver") as tls:
        response = tls.get("/signin")
    assert response.headers["strict-transport-security"].startswith("max-age=")


def test_api_docs_are_served_offline_under_the_pages_script_policy(client: TestClient) -> None:
    page = client.get("/docs")
    csp = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self';" in csp  # no CDN, no inline script
    assert "https:" not in csp.split("img-src")[0]
    assert "http" not in page.text.replace('href="/', "").split("<body>")[0].lower()
    scripts = re.findall(r'<script src="([^"]+)"', page.text)
    assert scripts == ["/docs/assets/swagger-ui-bundle.js", "/static/docs-init.js"]
    for asset in [*scripts, "/docs/assets/swagger-ui.css"]:
        answer = client.get(asset)
        assert answer.status_code == 200, asset
        assert len(answer.content) > 100, asset
    assert "SwaggerUIBundle" in client.get("/docs/assets/swagger-ui-bundle.js").text
    assert client.get("/docs/assets/..%2Fpackage.json").status_code == 404
    assert client.get("/redoc").status_code == 404


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_templates_have_no_inline_script_or_style(template: Path) -> None:
    text = template.read_text()
    assert "style=" not in text
    assert "<style" not in text
    assert not re.search(r"<script(?![^>]*\bsrc=)", text), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler"


def test_formula_cells_are_neutralised_numbers_are_not() -> None:
    for dangerous in ("=1+1", "+1", "-cmd", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(dangerous) == "'" + dangerous
    assert neutralise(-12.5) == -12.5
    assert neutralise("Brand FR") == "Brand FR"
    text = csv_text(["name", "spend"], [{"name": FORMULA, "spend": -3}])
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row == {"name": "'" + FORMULA, "spend": "-3"}


def test_report_exports_do_not_run_a_campaign_name_as_a_formula(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock, campaign_fields={"campaign_name": FORMULA})
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    [decision] = ask(client, app_feed, PARIS_VIEWER)
    send_events(client, app_feed, (decision["token"], "impression"))
    sign_in(client, world.brand.token)
    web = client.get("/ads/reports.csv", params={"level": "campaign", "by": "total"})
    [row] = list(csv.DictReader(io.StringIO(web.text)))
    assert row["name"] == "'" + FORMULA
    day = clock.now().date().isoformat()
    api = client.get(
        "/api/v1/reports",
        headers=world.brand.bearer,
        params={
            "advertiser_id": world.brand.id,
            "level": "campaign",
            "start_date": day,
            "end_date": day,
            "dimensions": "campaign_id",
            "metrics": "campaign_name,impressions",
            "format": "csv",
        },
    )
    assert api.status_code == 200, api.text
    [row] = list(csv.DictReader(io.StringIO(api.text)))
    assert row["campaign_name"] == "'" + FORMULA
    assert all(not value.startswith("=") for value in row.values())


def test_native_api_declares_its_error_statuses(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    native = [
        (path, method, operation)
        for path, operations in paths.items()
        if path.startswith("/api/v1/")
        for method, operation in operations.items()
    ]
    assert native
    for path, method, operation in native:
        declared = set(operation["responses"])
        assert {"400", "401", "403", "404", "413", "429"} <= declared, (method, path)
        schema = operation["responses"]["401"]["content"]["application/json"]["schema"]
        assert schema["$ref"].endswith("/ErrorBody"), (method, path)
