"""The app's own CSS, JavaScript and icon, served from the package (nothing from a CDN)."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.resources import files

from fastapi import Request
from fastapi.responses import Response

from sparkads.web.routing import web_router

router = web_router()
TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".svg": "image/svg+xml"}  # fmt: skip


@cache
def _asset(name: str) -> tuple[bytes, str] | None:
    if "/" in name or name.startswith(".") or not name.endswith(tuple(TYPES)):
        return None
    path = files("sparkads.web") / "static" / name
    if not path.is_file():
        return None
    content = path.read_bytes()
    return content, hashlib.sha256(content).hexdigest()[:16]


@router.get("/static/{name}")
def asset(name: str, request: Request) -> Response:
    found = _asset(name)
    if found is None:
        return Response("Not found", status_code=404, media_type="text/plain")
    content, etag = found
    headers = {"ETag": f'"{etag}"', "Cache-Control": "public, max-age=300"}
    if request.headers.get("if-none-match") == f'"{etag}"':
        return Response(status_code=304, headers=headers)
    media_type = TYPES["." + name.rsplit(".", 1)[-1]]
    return Response(content, media_type=media_type, headers=headers)
