"""How a web page leaves the normal path: a redirect to another page, a problem of the web app
itself (explained like catalogue errors), and any error's message, cause and solution in the
page's language; `safe_next` keeps redirects on this site."""

from __future__ import annotations

from sparkads.errors import SparkadsError
from sparkads.web.i18n import gettext, localized_params


class Redirect(Exception):  # noqa: N818 - control flow, not a failure
    """Leave this page for another one (e.g. the sign-in page when nobody is signed in)."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class PageError(Exception):
    """A problem of the web app itself (not a domain rule), explained like catalogue errors."""

    def __init__(self, message: str, cause: str, solution: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.cause, self.solution, self.status = message, cause, solution, status

    def render(self, lang: str) -> dict[str, str]:
        return {
            "code": "",
            "message": gettext(lang, self.message),
            "cause": gettext(lang, self.cause),
            "solution": gettext(lang, self.solution),
        }


def explain(error: SparkadsError | PageError, lang: str) -> dict[str, str]:
    """Message, cause and solution in the page's language, whatever kind of error it is (moments
    and decimals written the reader's way)."""
    if isinstance(error, SparkadsError):
        return SparkadsError(error.code, **localized_params(error.params, lang)).render(lang)
    return error.render(lang)


def safe_next(url: str | None, default: str = "/") -> str:
    """Only paths on this site: never another host (open redirects)."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return default
    return url
