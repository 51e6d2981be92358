from __future__ import annotations

from fastapi.responses import JSONResponse

from sparkads.errors import SparkadsError


def error_response(error: SparkadsError, lang: str) -> JSONResponse:
    headers = {}
    if error.code in ("too_many_failed_attempts", "too_many_attempts"):
        headers["Retry-After"] = str(error.params.get("retry_after", 60))
    if error.spec.family.value == "unauthenticated":
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(
        {"error": error.render(lang)}, status_code=error.spec.http_status, headers=headers
    )
