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
def _names() -> frozenset[str]:
    """The files there are to serve: a name is looked up among these, never on the file system
    (an unknown name, however long or odd, is a 404 and is not remembered)."""
    folder = files("sparkads.web") / "static"
    return frozenset(
        path.name
        for path in folder.iterdir()
        if path.is_file() and not path.name.startswith(".") and path.name.endswith(tuple(TYPES))
    )


@cache
def _known(name: str) -> Asset:
    path = files("sparkads.web") / "static" / name
    return fingerprinted(path.read_bytes(), TYPES["." + name.rsplit(".", 1)[-1]])


def _asset(name: str) -> Asset | None:
    return _known(name) if name in _names() else None


@router.api_route("/static/{name}", methods=["GET", "HEAD"])
def asset(name: str, request: Request) -> Response:
    return served(request, _asset(name), max_age=300)
