"""Jinja2 environments (one per language, each with its gettext installed) and the formatting
filters pages use: money, numbers, percentages, dates and country names in the page's language."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal, format_percent
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from sparkads.clock import as_utc
from sparkads.money import from_micros
from sparkads.web.i18n import localized_text, translations
from sparkads.web.labels import CALLS_TO_ACTION, IDENTITY_TYPES


def _money(lang: str, micros: int | None, currency: str) -> str:
    if micros is None:
        return "—"
    return format_currency(from_micros(int(micros)), currency, locale=lang)


def _amount(lang: str, value: float | Decimal | None, currency: str) -> str:
    if value is None:
        return "—"
    return format_currency(value, currency, locale=lang)


def _field_money(lang: str, micros: int) -> str:
    """An amount for a form's text field: the locale's decimal sign ("50,00" in French), no
    grouping, so that what is shown is what the form reads back (web.forms.form_amount)."""
    return format_decimal(from_micros(int(micros)), format="0.00", locale=lang)


def _number(lang: str, value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=lang)


def _percent(lang: str, value: float | None) -> str:
    if value is None:
        return "—"
    return format_percent(
        value, format="#,##0.00\u202f%" if lang == "fr" else "#,##0.00%", locale=lang
    )


def _when(lang: str, moment: datetime | None, zone: str = "UTC") -> str:
    """A moment, medium, in `zone`, which it names ("UTC", as API texts say it, or the account's
    zone such as "Europe/Paris"): a time alone would not say where it is that time."""
    if moment is None:
        return "—"
    shown = format_datetime(as_utc(moment), "medium", tzinfo=ZoneInfo(zone), locale=lang)
    return f"{shown} {zone}" if zone == "UTC" else f"{shown} ({zone})"


# One style per kind of place, the locale's own (Babel): a day in a table or under a name is
# "medium" ("Dec 6, 2026", "6 déc. 2026"), a day in a sentence may be "long" ("December 6, 2026",
# "6 décembre 2026"), a moment is a medium day and time (`when`), a chart's axis the medium day
# without its year ("Dec 6", "6 déc.": web.dashboard).


def _day(lang: str, moment: datetime | None, zone: str = "UTC") -> str:
    """The day of a moment in a zone, medium: the same words as `isoday("medium")`."""
    if moment is None:
        return "—"
    return _isoday(lang, as_utc(moment).astimezone(ZoneInfo(zone)).date(), "medium")


def _isoday(lang: str, value: date | str, length: str = "long") -> str:
    """A day (a date, or its ISO text as reports and rollups give it) in the reader's words:
    "medium" in tables, "long" (the default) in sentences."""
    day = value if isinstance(value, date) else date.fromisoformat(value)
    return format_date(day, length, locale=lang)


def country_name(lang: str, code: str) -> str:
    """A country's name in the page's language (the code when Babel has none)."""
    from babel import Locale

    return str(Locale(lang).territories.get(code.upper(), code))


@cache
def environment(lang: str) -> Environment:
    env = Environment(
        loader=PackageLoader("sparkads.web", "templates"),
        autoescape=select_autoescape(["html", "svg"]),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        money=lambda micros, currency: _money(lang, micros, currency),
        amount=lambda value, currency: _amount(lang, value, currency),
        number=lambda value, digits=0: _number(lang, value, digits),
        field_money=lambda micros: _field_money(lang, micros),
        percent=lambda value: _percent(lang, value),
        when=lambda moment, zone="UTC": _when(lang, moment, zone),
        day=lambda moment, zone="UTC": _day(lang, moment, zone),
        country=lambda code: country_name(lang, code),
        # a sentence the API or a service wrote: its moments and decimals the reader's way
        localized=lambda text: localized_text(str(text), lang),
        isoday=lambda value, length="long": _isoday(lang, value, length),
    )
    env.globals["lang"] = lang
    env.globals["CTA"] = CALLS_TO_ACTION
    env.globals["IDENTITY_TYPES"] = IDENTITY_TYPES
    return env


def render_template(lang: str, name: str, **values: object) -> str:
    return environment(lang).get_template(name).render(**values)
