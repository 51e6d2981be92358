"""Errors: one class, codes declared by domain, texts in the one Babel catalogue.

Every error a user can meet has a stable symbolic code, a family (which fixes the HTTP status on
native surfaces), the TikTok v1.3 numeric code, and a message, cause and solution. Each is
declared once with `declare(...)`, next to its domain: `sparkads/<package>/errors.py` (or
`<name>_errors.py`) for the domain's codes, this module for the generic ones that every layer
raises. The texts are English msgids marked with `N_`; their French is in the catalogue the web
uses too (`sparkads.i18n`), so both go through gettext. Domains raise
`SparkadsError("code", **params)`; each surface (open API, native API, CLI, web) turns it into
a response in exactly one place.

Texts take `str.format` parameters (`{name}`, python-brace-format in the catalogue); French says
the same `{name}` as English. A value that depends on the language is an `i18n.LocalText` (a
msgid of the catalogue, shown in the reader's language); older call sites still pass it twice,
`name` and `name_fr`, and French shows the second.

To add an error: `declare` it in its domain's errors module (the module imports only this one
and `sparkads.i18n`; the registry finds it on first use), add the French of its three texts to
`sparkads/translations/fr/LC_MESSAGES/messages.po` (`tests/unit/test_translations_catalogue.py`
lists what is missing), and raise it by its code.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

import sparkads
from sparkads.i18n import (
    LANGUAGES,
    N_,
    LocalText,
    fill,
    negotiate_language,
    translate,
    translate_about,
)

__all__ = [
    "CATALOGUE",
    "HTTP_STATUS",
    "LANGUAGES",
    "R15_CODES",
    "CatalogueText",
    "ErrorSpec",
    "Family",
    "SparkadsError",
    "Text",
    "declare",
    "negotiate_language",
]


class Family(StrEnum):
    INVALID = "invalid"
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    RATE_LIMITED = "rate_limited"
    TOO_LARGE = "too_large"
    INTERNAL = "internal"
    WARNING = "warning"  # not raised: returned beside a successful answer


HTTP_STATUS = {
    Family.INVALID: 400,
    Family.UNAUTHENTICATED: 401,
    Family.FORBIDDEN: 403,
    Family.NOT_FOUND: 404,
    Family.CONFLICT: 409,
    Family.RATE_LIMITED: 429,
    Family.TOO_LARGE: 413,
    Family.INTERNAL: 500,
    Family.WARNING: 200,
}


@dataclass(frozen=True)
class Text:
    """An English and a French text kept side by side, for texts not yet in the catalogue
    (reporting's recommendations)."""

    en: str
    fr: str

    def render(self, lang: str, params: Mapping[str, object]) -> str:
        return fill(self.fr if lang == "fr" else self.en, params)


OBJECT_KIND = "object_type"  # the parameter naming what a text is about ("campaign", "ad group")


@dataclass(frozen=True)
class CatalogueText:
    """A text of the catalogue: its English msgid, shown in a language with its parameters."""

    en: str

    @property
    def fr(self) -> str:
        return translate("fr", self.en)

    def render(self, lang: str, params: Mapping[str, object]) -> str:
        params = {k: v.render(lang) if isinstance(v, LocalText) else v for k, v in params.items()}
        if lang == "en":
            return fill(self.en, params)
        suffix = f"_{lang}"
        local = {key.removesuffix(suffix): v for key, v in params.items() if key.endswith(suffix)}
        # the sentence as it reads about this kind of object, when the catalogue says it so
        template = translate_about(lang, self.en, params.get(OBJECT_KIND))
        return fill(template, {**params, **local})


@dataclass(frozen=True)
class ErrorSpec:
    code: str
    family: Family
    tiktok_code: int
    message: CatalogueText
    cause: CatalogueText
    solution: CatalogueText

    @property
    def http_status(self) -> int:
        return HTTP_STATUS[self.family]


def _declaring_modules() -> Iterator[str]:
    """`sparkads.<package>.errors` and `sparkads.<package>.<name>_errors`, wherever they exist."""
    for package in pkgutil.iter_modules(sparkads.__path__):
        if package.ispkg:
            places = [os.path.join(root, package.name) for root in sparkads.__path__]
            for module in pkgutil.iter_modules(places):
                if module.name == "errors" or module.name.endswith("_errors"):
                    yield f"sparkads.{package.name}.{module.name}"


class _Catalogue(Mapping[str, ErrorSpec]):
    """Every declared error by code. The domains' errors modules are imported on first use (they
    import nothing but `sparkads.errors` and `sparkads.i18n`, so this costs little and never
    goes round in a circle)."""

    def __init__(self) -> None:
        self._specs: dict[str, ErrorSpec] = {}
        self._complete = False
        self._lock = threading.RLock()

    def add(self, spec: ErrorSpec) -> None:
        if self._specs.get(spec.code, spec) != spec:
            raise ValueError(f"error code {spec.code!r} is declared twice")
        self._specs[spec.code] = spec

    def _all(self) -> dict[str, ErrorSpec]:
        if not self._complete:
            with self._lock:
                if not self._complete:
                    for name in sorted(_declaring_modules()):
                        importlib.import_module(name)
                    self._complete = True
        return self._specs

    def __getitem__(self, code: str) -> ErrorSpec:
        spec = self._specs.get(code)
        return spec if spec is not None else self._all()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


CATALOGUE = _Catalogue()


def declare(
    code: str, family: Family, tiktok_code: int, message: str, cause: str, solution: str
) -> ErrorSpec:
    """Declare an error: the three texts are English msgids, marked `N_(...)` for extraction."""
    spec = ErrorSpec(
        code,
        family,
        tiktok_code,
        CatalogueText(message),
        CatalogueText(cause),
        CatalogueText(solution),
    )
    CATALOGUE.add(spec)
    return spec


class SparkadsError(Exception):
    """A domain error: a catalogue code plus the parameters its texts mention."""

    def __init__(self, code: str, **params: object) -> None:
        if code not in CATALOGUE:
            raise KeyError(f"unknown error code {code!r}: declare it next to its domain")
        self.code = code
        self.params = params
        super().__init__(f"{code}: {self.spec.message.render('en', params)}")

    @property
    def spec(self) -> ErrorSpec:
        return CATALOGUE[self.code]

    def render(self, lang: str = "en") -> dict[str, str]:
        """Message, cause and solution; `because="<code>"` gives the cause and solution of another
        entry (one code, several causes: `video_unavailable` for a post taken down)."""
        spec = self.spec
        why = CATALOGUE.get(str(self.params.get("because", "")), spec)
        return {
            "code": self.code,
            "message": spec.message.render(lang, self.params),
            "cause": why.cause.render(lang, self.params),
            "solution": why.solution.render(lang, self.params),
        }


R15_CODES = (
    "video_unavailable",
    "auth_code_expired",
    "not_public_video",
    "carousel_duet_not_supported",
    "auth_code_format_error",
)

# --- generic errors: transport, platform and parameters, raised by every layer ------------------
declare(
    "invalid_parameter",
    Family.INVALID,
    40002,
    N_("Invalid value for {field}: {detail}"),
    N_("The request does not match what this endpoint accepts."),
    N_("Fix {field} and send the request again; /docs lists every parameter."),
)

declare(
    "field_not_supported",
    Family.INVALID,
    40002,
    N_("{field} is not supported by sparkads."),
    N_("{field} is a TikTok field outside the Spark Ads subset sparkads implements."),
    N_("Remove {field} from the request; see /docs for the supported fields."),
)

declare(
    "too_many_ids",
    Family.INVALID,
    40011,
    N_("Too many ids in {field}: at most {limit}."),
    N_("Lists of ids are capped per request."),
    N_("Split the request."),
)

declare(
    "internal_error",
    Family.INTERNAL,
    50000,
    N_("Internal error; nothing was saved."),
    N_("An unexpected failure happened on the server (request {request_id})."),
    N_("Retry; if it persists, report the request id."),
)

declare(
    "route_not_found",
    Family.NOT_FOUND,
    40400,
    N_("No endpoint at {method} {path}."),
    N_("The path or method is not part of this API."),
    N_("Check the path against /docs (TikTok paths end with a slash)."),
)

declare(
    "page_not_found",
    Family.NOT_FOUND,
    40400,
    N_("There is no page at {path}."),
    N_("The address is mistyped, or the page was moved or removed."),
    N_("Go back, or start again from the home page."),
)

declare(
    "body_too_large",
    Family.TOO_LARGE,
    40002,
    N_("The request body is larger than {limit} bytes."),
    N_("{route} accepts at most {limit} bytes; the body was refused before it was read."),
    N_("Send smaller batches or a smaller file."),
)

declare(
    "too_many_attempts",
    Family.RATE_LIMITED,
    40100,
    N_("Too many {action} attempts; try again in {retry_after} seconds."),
    N_(
        "At most {limit} {action} attempts are allowed per {window} seconds, per account and per address."
    ),
    N_("Wait, then try again."),
)

declare(
    "metrics_forbidden",
    Family.FORBIDDEN,
    40001,
    N_("The metrics are not readable from here."),
    N_(
        "With a metrics token set (SPARKADS_METRICS_TOKEN), /metrics needs it; with none, it answers only clients on loopback."
    ),
    N_(
        "Send the metrics token as 'Authorization: Bearer <token>' (SPARKADS_METRICS_TOKEN), or scrape from the server itself."
    ),
)

declare(
    "sandbox_only",
    Family.NOT_FOUND,
    40008,
    N_("This endpoint exists only in the sandbox."),
    N_("The server was not started with --sandbox."),
    N_("Start the server with `sparkads serve --sandbox` to move the test clock."),
)

declare(
    "workers_need_redis",
    Family.INVALID,
    40002,
    N_("{workers} workers need shared counters and a shared clock."),
    N_(
        "Each worker keeps budgets and frequency caps in its own memory unless Redis holds them (and a sandbox clock cannot be shared): N workers would let a budget be spent N times. {detail}"
    ),
    N_("Give --redis-url (or SPARKADS_REDIS_URL), without --sandbox, or serve with --workers 1."),
)
