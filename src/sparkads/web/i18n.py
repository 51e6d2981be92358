"""English and French: Babel catalogues kept as .po files in the package, compiled in memory when
first used (so a clean clone needs no build step), and the page language chosen from a cookie,
else the browser's Accept-Language."""

from __future__ import annotations

import io
from functools import cache
from importlib.resources import files

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from sparkads.errors import LANGUAGES, negotiate_language

DOMAIN = "messages"
LANG_COOKIE = "sa_lang"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    """Marks a message for extraction; it is translated where it is shown."""
    return message


@cache
def translations(lang: str) -> NullTranslations:
    """The compiled catalogue for a language; English is the source language."""
    if lang == "en":
        return NullTranslations()
    po = files("sparkads.web") / "translations" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po.open("rb") as source:
        catalog = read_po(source, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def choose_language(cookie: str | None, accept_language: str | None) -> str:
    if cookie in LANGUAGES:
        return str(cookie)
    return negotiate_language(accept_language)


def gettext(lang: str, message: str, **params: object) -> str:
    text = translations(lang).gettext(message)
    return text % params if params else text
