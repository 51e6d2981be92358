"""The interactive API documentation at /docs, offline: Swagger UI's assets come from the
swagger-ui-bundle package and are served here (no CDN), its start-up script is a static file of
ours (no inline script), so /docs keeps the pages' script policy."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

from sparkads.api.static_assets import Asset, fingerprinted, served

router = APIRouter(include_in_schema=False)
ASSETS = {
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
}
PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · API documentation</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/static/docs-init.js"></script>
</body>
</html>
"""


@cache
def _asset(name: str) -> Asset | None:
    if name not in ASSETS:
        return None
    return fingerprinted((Path(str(swagger_ui_path)) / name).read_bytes(), ASSETS[name])


@router.get("/docs")
def docs(request: Request) -> HTMLResponse:
    openapi_url = request.app.openapi_url or "/openapi.json"
    return HTMLResponse(PAGE.format(title=request.app.title, openapi_url=openapi_url))


@router.api_route("/docs/assets/{name}", methods=["GET", "HEAD"])
def asset(name: str, request: Request) -> Response:
    return served(request, _asset(name), max_age=3600)
