"""English and French, one Babel catalogue for every surface.

The texts of the web pages and of every error (message, cause, solution) are msgids in English,
the source language; their French is in `sparkads/translations/fr/LC_MESSAGES/messages.po`,
compiled in memory when first used (a clean clone needs no build step). `N_` marks a text for
extraction where it is declared; it is translated where it is shown. The language of a request
is chosen from its Accept-Language header (the web also reads a cookie, `web/i18n.py`).

Extract: `pybabel extract -F src/sparkads/translations/babel.cfg -k N_ -k Np_:1,2 -k gettext:2
-o messages.pot src/sparkads`; `tests/unit/test_translations_catalogue.py` fails on a text with no
French, a fuzzy one, or a French text whose placeholders differ from the English.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import TypeGuard

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

DOMAIN = "messages"
LANGUAGES = ("en", "fr")


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    """Marks a message for extraction; it is translated where it is shown."""
    return message


def Np_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - as N_, for a plural pair
    """Marks a text with a singular and a plural form for extraction (a `LocalText.counted`)."""
    return singular, plural


def catalogue_path(lang: str) -> str:
    """Where a language's .po file is, relative to the `sparkads` package."""
    return f"translations/{lang}/LC_MESSAGES/{DOMAIN}.po"


@cache
def translations(lang: str) -> NullTranslations:
    """The compiled catalogue for a language; English is the source language."""
    if lang not in LANGUAGES[1:]:
        return NullTranslations()
    with (files("sparkads") / catalogue_path(lang)).open("rb") as source:
        catalog = read_po(source, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def fill(template: str, params: Mapping[str, object]) -> str:
    """`template` with its `{name}` parameters; the template as it is when a parameter is missing
    (a text restored from an older draft or cookie must still show, never fail the page)."""
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


def translate(lang: str, message: str) -> str:
    """A msgid in the language (itself in English, or when the catalogue has no translation)."""
    return translations(lang).gettext(message)


def translate_about(lang: str, message: str, about: object) -> str:
    """A msgid in the language, as it reads about a thing of this kind (`about`, an English noun
    such as "campaign", the entry's `msgctxt`): French agrees with the noun ("la campagne
    existante", "le groupe d'annonces existant"), so the catalogue may say the sentence once per
    kind; without such an entry, the general translation."""
    if isinstance(about, str) and about:
        said = str(translations(lang).pgettext(about, message))
        if said != message:
            return said
    return translate(lang, message)


@dataclass(frozen=True)
class LocalText:
    """A value shown inside another text (an error's parameter) that is itself a catalogue text:
    an English msgid, with `str.format` parameters of its own, shown in the reader's language.
    Errors take it instead of a value passed twice (`name` and `name_fr`)."""

    msgid: str
    params: Mapping[str, object] = field(default_factory=dict)
    plural: str | None = None  # the plural msgid: the form is chosen by `count`, per language
    count: int = 1

    @classmethod
    def counted(cls, forms: tuple[str, str], count: int, **params: object) -> LocalText:
        """A text in the singular or plural form its language gives `count` (French says
        "1 jour", English "1 day"; 0 is singular in French only); `forms` come from `Np_`."""
        return cls(forms[0], params, plural=forms[1], count=count)

    def render(self, lang: str) -> str:
        """In `lang`, its parameters too: a LocalText in that language, an amount or a count with
        the language's decimal sign and grouping (`1,000.5`, `1 000,5`); the rest as it is."""
        params = {key: _shown(key, value, lang) for key, value in self.params.items()}
        if self.plural is None:
            return fill(translate(lang, self.msgid), params)
        return fill(translations(lang).ngettext(self.msgid, self.plural, self.count), params)

    def __str__(self) -> str:
        return self.render("en")


def is_figure(value: object, key: str) -> TypeGuard[float | Decimal | int]:
    """An amount or a count (not a flag, not an identifier such as an item id)."""
    if isinstance(value, float | Decimal):
        return True
    identifier = key == "id" or key.endswith(("_id", "_ids", "code"))
    return isinstance(value, int) and not isinstance(value, bool) and not identifier


def _shown(key: str, value: object, lang: str) -> object:
    if isinstance(value, LocalText):
        return value.render(lang)
    if is_figure(value, key):
        return format_decimal(value, locale=lang)
    return value


_TEXT, _TEXT_PARAMS, _PLURAL, _COUNT = "$text", "$params", "$plural", "$count"


def portable_params(params: Mapping[str, object], *, limit: int = 300) -> dict[str, object]:
    """An error's parameters as JSON holds them, to be shown later (after a redirect, on a
    draft's step) in the reader's language then: a LocalText stays one (its msgid and its own
    parameters), amounts and counts stay numbers, anything else becomes its text, cut to `limit`
    characters (a long typed value must not make a cookie or a row of any size)."""

    def one(value: object) -> object:
        if isinstance(value, LocalText):
            saved: dict[str, object] = {_TEXT: value.msgid}
            saved[_TEXT_PARAMS] = portable_params(value.params, limit=limit)
            if value.plural is not None:
                saved |= {_PLURAL: value.plural, _COUNT: value.count}
            return saved
        if value is None or isinstance(value, bool | int | float):
            return value
        if isinstance(value, Decimal):
            return float(value)
        text = str(value)
        return text if len(text) <= limit else text[: limit - 1] + "…"

    return {str(key): one(value) for key, value in params.items()}


def restored_params(saved: Mapping[str, object]) -> dict[str, object]:
    """`portable_params` read back: its LocalTexts are LocalTexts again."""

    def one(value: object) -> object:
        if isinstance(value, Mapping) and isinstance(value.get(_TEXT), str):
            inner = value.get(_TEXT_PARAMS)
            plural, count = value.get(_PLURAL), value.get(_COUNT)
            return LocalText(
                value[_TEXT],
                restored_params(inner) if isinstance(inner, Mapping) else {},
                plural=plural if isinstance(plural, str) else None,
                count=count if isinstance(count, int) else 1,
            )
        return value

    return {str(key): one(value) for key, value in saved.items()}


def negotiate_language(accept_language: str | None) -> str:
    """Pick 'fr' or 'en' from an Accept-Language header, honouring q-values; English by default."""
    best, best_q = "en", -1.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGUAGES:
            continue
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if q > best_q:
            best, best_q = primary, q
    return best


class LocalValueError(ValueError):
    """A validator's refusal whose reason is a catalogue text (`text`): pydantic passes it on as a
    `value_error`, and `validation.detail` shows it in the reader's language."""

    def __init__(self, text: LocalText) -> None:
        super().__init__(str(text))
        self.text = text
