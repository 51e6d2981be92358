"""The one place the APIs turn a SparkadsError into a response: the TikTok v1.3 envelope under
`/open_api/` (`open_api/envelope.py`), the native `{"error": ...}` body elsewhere
(`native/errors.py`), in the language the request asks for. The app's exception handlers
(`app.py`) and the body-size refusal (`body_limits.py`) both answer through it; the web app's pages
have their own (`web/routing.py`)."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from sparkads.api.native import errors as native_errors
from sparkads.api.open_api import envelope
from sparkads.errors import SparkadsError
from sparkads.i18n import negotiate_language


def error_response(error: SparkadsError, path: str, accept_language: str | None) -> JSONResponse:
    lang = negotiate_language(accept_language)
    if path.startswith("/open_api/"):
        return envelope.error_response(error, lang)
    return native_errors.error_response(error, lang)
