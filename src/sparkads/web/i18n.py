"""The web's side of English and French: the page language chosen from a cookie, else the
browser's Accept-Language; texts translated through the one catalogue of `sparkads.i18n` (shared
with the errors); moments and decimals in texts made for the APIs written the reader's way."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

from sparkads.i18n import LANGUAGES, N_, is_figure, negotiate_language, translations

__all__ = ["LANG_COOKIE", "N_", "choose_language", "gettext", "translations"]

LANG_COOKIE = "sa_lang"


def choose_language(cookie: str | None, accept_language: str | None) -> str:
    if cookie in LANGUAGES:
        return str(cookie)
    return negotiate_language(accept_language)


def gettext(lang: str, message: str, **params: object) -> str:
    text = translations(lang).gettext(message)
    return text % params if params else text


# Moments as the APIs write them (RFC 3339, or TikTok's "YYYY-MM-DD HH:MM:SS", in UTC), and
# decimal seconds ("7.5 s"), inside texts made for the APIs: pages show them the reader's way.
_MOMENT = re.compile(r"\b(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?")
_SECONDS = re.compile(r"\b(\d+)\.(\d+)(?=\s?s\b)")


def moment(value: datetime, lang: str) -> str:
    """A date and time in words and the reader's conventions, in UTC (said so)."""
    return format_datetime(value, "medium", tzinfo=UTC, locale=lang) + " UTC"


def localized_text(text: str, lang: str) -> str:
    """An API text for a page: its timestamps and decimal seconds in the reader's conventions."""

    def one_moment(found: re.Match[str]) -> str:
        zone = found.group(3) or "+00:00"
        parsed = datetime.fromisoformat(
            f"{found.group(1)}T{found.group(2)}{zone.replace('Z', '+00:00')}"
        )
        return moment(parsed, lang)

    text = _MOMENT.sub(one_moment, text)
    if lang == "fr":
        text = _SECONDS.sub(lambda found: f"{found.group(1)},{found.group(2)}", text)
    return text


def localized_params(params: dict[str, object], lang: str) -> dict[str, object]:
    """An error's parameters for a page, through Babel in the reader's locale: moments and days in
    words, amounts and counts with the reader's decimal sign and grouping (not identifiers), and a
    text the web app wrote (a msgid of its catalogue) translated."""
    out: dict[str, object] = {}
    for key, value in params.items():
        if isinstance(value, datetime):
            out[key] = moment(value, lang)
        elif isinstance(value, date):
            out[key] = format_date(value, "long", locale=lang)
        elif isinstance(value, str):
            out[key] = localized_text(gettext(lang, value) if value else value, lang)
        elif is_figure(value, key):
            out[key] = format_decimal(value, locale=lang)
        else:
            out[key] = value
    return out
