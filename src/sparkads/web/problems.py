"""How a web page leaves the normal path: a redirect to another page, a problem of the web app
itself (explained like catalogue errors), and any error's message, cause and solution in the
page's language; `safe_next` keeps redirects on this site."""

from __future__ import annotations

from collections.abc import Mapping

from sparkads.errors import CatalogueText, SparkadsError
from sparkads.i18n import LocalText
from sparkads.web.i18n import N_, gettext, localized_params


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


# A form's words for the API's generic errors, whose cause and solution speak of requests and of
# /docs: the code and message stay the catalogue's.
ON_A_FORM = {
    "invalid_parameter": (
        CatalogueText(N_("This form holds a value the page cannot take.")),
        CatalogueText(N_("Correct {field} and send the form again.")),
    ),
}


def explain(error: SparkadsError | PageError, lang: str) -> dict[str, str]:
    """Message, cause and solution in the page's language, whatever kind of error it is (moments
    and decimals written the reader's way)."""
    if not isinstance(error, SparkadsError):
        return error.render(lang)
    localized = SparkadsError(error.code, **localized_params(error.params, lang))
    explained = localized.render(lang)
    if error.code in ON_A_FORM and "because" not in error.params:
        cause, solution = ON_A_FORM[error.code]
        explained["cause"] = cause.render(lang, localized.params)
        explained["solution"] = solution.render(lang, localized.params)
        for part in ("cause", "solution"):  # a form's own words for this field, if it has some
            if isinstance(own := error.params.get(f"form_{part}"), LocalText):
                explained[part] = own.render(lang)
    return explained


def labelled(error: SparkadsError, labels: Mapping[str, str]) -> SparkadsError:
    """`error` naming its field by the label its page shows beside it (`labels`: the label's msgid
    by the field's code), in the reader's language, rather than by the code the APIs use (a
    message's `{field}`); other errors as they are."""
    field = error.params.get("field")
    if not isinstance(field, str) or field not in labels:
        return error
    return SparkadsError(error.code, **{**error.params, "field": LocalText(labels[field])})


def invalid_field(error: SparkadsError | None) -> str:
    """The form field a refusal is about (to mark it), or "" when it names none."""
    if error is None:
        return ""
    field = error.params.get("form_field", error.params.get("field"))
    return field if isinstance(field, str) else ""


def safe_next(url: str | None, default: str = "/") -> str:
    """Only paths on this site: never another host (open redirects)."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return default
    return url
