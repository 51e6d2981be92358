"""The v1.3 envelope `{code, message, request_id, data}`, always HTTP 200 for API outcomes.

Errors put the symbolic code first in `message` and `{reason, cause, solution}` in `data.error`,
so TikTok clients see the numeric code they know and people see what to do."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from fastapi.responses import JSONResponse

from sparkads.errors import SparkadsError


def new_request_id() -> str:
    """Like TikTok's log ids: a UTC timestamp then random hex, unique per HTTP call."""
    return datetime.now(UTC).strftime("%Y%m%d%H%M%S") + secrets.token_hex(8).upper()


def ok(data: dict[str, object] | None = None) -> JSONResponse:
    return JSONResponse(
        {
            "code": 0,
            "message": "OK",
            "request_id": new_request_id(),
            "data": data if data is not None else {},
        }
    )


def partial(data: dict[str, object]) -> JSONResponse:
    """Batch calls with allow_partial_success: some items failed, the others went through."""
    return JSONResponse(
        {"code": 20001, "message": "Partial success", "request_id": new_request_id(), "data": data}
    )


def error_response(error: SparkadsError, lang: str) -> JSONResponse:
    rendered = error.render(lang)
    body = {
        "code": error.spec.tiktok_code,
        "message": f"{error.code}: {rendered['message']}",
        "request_id": new_request_id(),
        "data": {
            "error": {
                "reason": error.code,
                "cause": rendered["cause"],
                "solution": rendered["solution"],
            }
        },
    }
    status = 404 if error.code == "route_not_found" else 200
    return JSONResponse(body, status_code=status)
