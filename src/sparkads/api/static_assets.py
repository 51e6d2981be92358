"""Files served from the package (the web app's CSS, JavaScript and icon; Swagger UI's assets for
/docs): fingerprinted once, answered with an ETag and a cache lifetime, 304 when the browser
already has them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response


@dataclass(frozen=True)
class Asset:
    content: bytes
    media_type: str
    etag: str


def fingerprinted(content: bytes, media_type: str) -> Asset:
    return Asset(content, media_type, hashlib.sha256(content).hexdigest()[:16])


def served(request: Request, found: Asset | None, *, max_age: int) -> Response:
    if found is None:
        return Response("Not found", status_code=404, media_type="text/plain")
    headers = {"ETag": f'"{found.etag}"', "Cache-Control": f"public, max-age={max_age}"}
    if request.headers.get("if-none-match") == f'"{found.etag}"':
        return Response(status_code=304, headers=headers)
    return Response(found.content, media_type=found.media_type, headers=headers)
