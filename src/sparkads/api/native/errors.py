from __future__ import annotations

from fastapi.responses import JSONResponse
from pydantic import BaseModel

from sparkads.errors import SparkadsError


class ErrorDetail(BaseModel):
    code: str
    message: str
    cause: str
    solution: str


class ErrorBody(BaseModel):
    """Every error of the native API: a stable code, and what happened, why and what to do."""

    error: ErrorDetail


_WHEN = {
    400: "Invalid parameters or a rule of the domain (the code says which).",
    401: "No token, or a token that is unknown, revoked or expired.",
    403: "The token's account, scope or role may not do this.",
    404: "No such object for this account, or a sandbox-only endpoint outside the sandbox.",
    409: "The object is not in a state that allows this.",
    413: "The request body is over the route's size limit.",
    429: "Too many attempts or failures; see Retry-After.",
}
# Declared on every native route (api/native/router.py), so clients and fuzzers know them.
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorBody, "description": text} for status, text in _WHEN.items()
}


def error_response(error: SparkadsError, lang: str) -> JSONResponse:
    headers = {}
    if error.code in ("too_many_failed_attempts", "too_many_attempts"):
        headers["Retry-After"] = str(error.params.get("retry_after", 60))
    if error.spec.family.value == "unauthenticated":
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(
        {"error": error.render(lang)}, status_code=error.spec.http_status, headers=headers
    )
