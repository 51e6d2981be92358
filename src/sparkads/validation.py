"""Pydantic's complaints in the reader's language: each error `type` pydantic (or FastAPI's body
parsing) can give for the app's request models has its English template here, byte for byte the
English pydantic writes, marked for the one catalogue, which holds its French; the error's `ctx`
values are its parameters. `validation_error` turns a list of errors into the catalogue's
`invalid_parameter`, naming the field by its wire name; every surface that checks a body with
pydantic (open API, feed and native APIs, web forms, the targeting check) goes through it.

An error whose type is not listed, or whose English this table would not write exactly as
pydantic did (a template that changed in a new pydantic), keeps pydantic's English, logged once
per type: never a 500, never a text that differs from what pydantic said."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from decimal import Decimal

from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText, LocalValueError, Np_

log = logging.getLogger(__name__)

Template = str | tuple[str, str]  # a text, or its singular and plural (`Np_`) chosen by a count

# By pydantic's stable error type. A plural pair is chosen by the count pydantic's own
# `expected_plural` is computed from (the `ctx` key in PLURAL_BY).
TEXTS: dict[str, tuple[Template, ...]] = {
    "missing": (N_("Field required"),),
    "extra_forbidden": (N_("Extra inputs are not permitted"),),
    "string_pattern_mismatch": (N_("String should match pattern '{pattern}'"),),
    "less_than_equal": (N_("Input should be less than or equal to {le}"),),
    "greater_than_equal": (N_("Input should be greater than or equal to {ge}"),),
    "less_than": (N_("Input should be less than {lt}"),),
    "greater_than": (N_("Input should be greater than {gt}"),),
    "multiple_of": (N_("Input should be a multiple of {multiple_of}"),),
    "finite_number": (N_("Input should be a finite number"),),
    "string_too_long": (
        Np_(
            "String should have at most {max_length} character",
            "String should have at most {max_length} characters",
        ),
    ),
    "string_too_short": (
        Np_(
            "String should have at least {min_length} character",
            "String should have at least {min_length} characters",
        ),
    ),
    "too_long": (
        Np_(
            "{field_type} should have at most {max_length} item after validation, not {actual_length}",
            "{field_type} should have at most {max_length} items after validation, not {actual_length}",
        ),
    ),
    "too_short": (
        Np_(
            "{field_type} should have at least {min_length} item after validation, not {actual_length}",
            "{field_type} should have at least {min_length} items after validation, not {actual_length}",
        ),
    ),
    "string_type": (N_("Input should be a valid string"),),
    "string_unicode": (
        N_("Input should be a valid string, unable to parse raw data as a unicode string"),
    ),
    "int_type": (N_("Input should be a valid integer"),),
    "int_parsing": (N_("Input should be a valid integer, unable to parse string as an integer"),),
    "int_parsing_size": (N_("Unable to parse input string as an integer, exceeded maximum size"),),
    "int_from_float": (N_("Input should be a valid integer, got a number with a fractional part"),),
    "float_type": (N_("Input should be a valid number"),),
    "float_parsing": (N_("Input should be a valid number, unable to parse string as a number"),),
    "bool_type": (N_("Input should be a valid boolean"),),
    "bool_parsing": (N_("Input should be a valid boolean, unable to interpret input"),),
    "decimal_type": (N_("Decimal input should be an integer, float, string or Decimal object"),),
    "decimal_parsing": (N_("Input should be a valid decimal"),),
    "decimal_max_digits": (
        Np_(
            "Decimal input should have no more than {max_digits} digit in total",
            "Decimal input should have no more than {max_digits} digits in total",
        ),
    ),
    "decimal_max_places": (
        Np_(
            "Decimal input should have no more than {decimal_places} decimal place",
            "Decimal input should have no more than {decimal_places} decimal places",
        ),
    ),
    "decimal_whole_digits": (
        Np_(
            "Decimal input should have no more than {whole_digits} digit before the decimal point",
            "Decimal input should have no more than {whole_digits} digits before the decimal point",
        ),
    ),
    "enum": (N_("Input should be {expected}"),),
    "literal_error": (N_("Input should be {expected}"),),
    "list_type": (N_("Input should be a valid list"),),
    "dict_type": (N_("Input should be a valid dictionary"),),
    "model_type": (N_("Input should be a valid dictionary or instance of {class_name}"),),
    "dataclass_type": (N_("Input should be a dictionary or an instance of {class_name}"),),
    "json_invalid": (N_("JSON decode error"), N_("Invalid JSON: {error}")),
    "json_type": (N_("JSON input should be string, bytes or bytearray"),),
    "url_type": (N_("URL input should be a string or URL"),),
    "url_parsing": (N_("Input should be a valid URL, {error}"),),
    "url_scheme": (N_("URL scheme should be {expected_schemes}"),),
    "url_too_long": (
        Np_(
            "URL should have at most {max_length} character",
            "URL should have at most {max_length} characters",
        ),
    ),
    "date_type": (N_("Input should be a valid date"),),
    "date_parsing": (N_("Input should be a valid date in the format YYYY-MM-DD, {error}"),),
    "date_from_datetime_parsing": (N_("Input should be a valid date or datetime, {error}"),),
    "date_from_datetime_inexact": (
        N_("Datetimes provided to dates should have zero time - e.g. be exact dates"),
    ),
    "datetime_type": (N_("Input should be a valid datetime"),),
    "datetime_parsing": (N_("Input should be a valid datetime, {error}"),),
    "datetime_from_date_parsing": (N_("Input should be a valid datetime or date, {error}"),),
    "timezone_aware": (N_("Input should have timezone info"),),
}

PLURAL_BY = {
    "string_too_long": "max_length",
    "string_too_short": "min_length",
    "too_long": "max_length",
    "too_short": "min_length",
    "decimal_max_digits": "max_digits",
    "decimal_max_places": "decimal_places",
    "decimal_whole_digits": "whole_digits",
    "url_too_long": "max_length",
}

# What a `ctx` value may be that is itself a text: the kinds of collections pydantic names
# (`too_long`, `too_short`) and the reasons its date, time and URL parsers give (`{error}`).
WORDS = (
    N_("List"),
    N_("Tuple"),
    N_("Set"),
    N_("Dictionary"),
    N_("input is too short"),
    N_("input is too long"),
    N_("invalid character in year"),
    N_("invalid character in month"),
    N_("invalid character in day"),
    N_("invalid character in hour"),
    N_("invalid character in minute"),
    N_("invalid character in second"),
    N_("invalid date separator, expected `-`"),
    N_("invalid datetime separator, expected `T`, `t`, `_` or space"),
    N_("invalid time separator, expected `:`"),
    N_("month value is outside expected range of 1-12"),
    N_("day value is outside expected range"),
    N_("unexpected extra characters at the end of the input"),
    N_("dates after 9999 are not supported as unix timestamps"),
    N_("relative URL without a base"),
    N_("empty host"),
    N_("invalid port number"),
)

_OR = N_("{head} or {last}")  # pydantic's list of allowed values: "'A', 'B' or 'C'"

_logged: set[str] = set()


def validation_error(
    errors: Iterable[Mapping[str, object]], unnamed: str = "request"
) -> SparkadsError:
    """Pydantic's first complaint, as invalid_parameter naming the field (its wire name; `unnamed`
    when the error has none), the complaint in the reader's language."""
    first = next(iter(errors), None) or {"loc": ("body",), "msg": "invalid request"}
    where = first.get("loc", ())
    parts = where if isinstance(where, tuple | list) else ()
    loc = [str(part) for part in parts if part not in ("body", "query", "path")]
    return SparkadsError("invalid_parameter", field=".".join(loc) or unnamed, detail=detail(first))


def detail(error: Mapping[str, object]) -> str | LocalText:
    """One pydantic error's message: a catalogue text that writes pydantic's English exactly,
    or pydantic's English itself (an unknown type, logged once). Our validators' refusals are
    `LocalValueError`s: their own catalogue text (a ValueError of another kind keeps its English,
    without pydantic's "Value error, ")."""
    kind, msg = str(error.get("type", "")), str(error.get("msg", "invalid value"))
    raw = error.get("ctx")
    ctx: Mapping[str, object] = raw if isinstance(raw, Mapping) else {}
    said = ctx.get("error")
    if kind == "value_error" and isinstance(said, LocalValueError):
        return said.text
    for template in TEXTS.get(kind, ()):
        text = _text(kind, template, ctx)
        if text is not None and str(text) == msg:
            return text
    if kind not in _logged:
        _logged.add(kind)
        log.warning("pydantic error type %r has no French here; shown in English: %s", kind, msg)
    return msg.removeprefix("Value error, ")


def _text(kind: str, template: Template, ctx: Mapping[str, object]) -> LocalText | None:
    params = {name: _param(name, value) for name, value in ctx.items()}
    if isinstance(template, str):
        return LocalText(template, params)
    count = ctx.get(PLURAL_BY[kind])
    if not isinstance(count, int):
        return None
    return LocalText.counted(template, count, **params)


def _param(name: str, value: object) -> object:
    """A ctx value as pydantic writes it: a figure as its digits (whole floats without ".0", no
    grouping, in either language: the English is pydantic's byte for byte), words as catalogue
    texts."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    if name == "expected" and isinstance(value, str) and " or " in value:
        head, _, last = value.rpartition(" or ")
        return LocalText(_OR, {"head": head, "last": last})
    if name in ("field_type", "error") and isinstance(value, str):
        return LocalText(value)
    return value
