"""The app's own CSS, JavaScript and icon, served from the package (nothing from a CDN)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from fastapi import Request
from fastapi.responses import Response

from sparkads.api.static_assets import Asset, fingerprinted, served
from sparkads.web.routing import web_router

router = web_router()
TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".svg": "image/svg+xml"}  # fmt: skip


@cache
def _asset(name: str) -> Asset | None:
    if "/" in name or name.startswith(".") or not name.endswith(tuple(TYPES)):
        return None
    path = files("sparkads.web") / "static" / name
    if not path.is_file():
        return None
    return fingerprinted(path.read_bytes(), TYPES["." + name.rsplit(".", 1)[-1]])


@router.get("/static/{name}")
def asset(name: str, request: Request) -> Response:
    return served(request, _asset(name), max_age=300)
