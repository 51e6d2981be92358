"""One record built from another's attributes of the same names (a read model from an ORM row, a
domain record from a checked body or from a row, a row from a domain command, a domain command
from a wire body), so that the fields both declare are not copied one by one: only the fields that
differ are written out, given by value or converted by a table keyed by field name."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import fields, is_dataclass
from functools import cache
from itertools import takewhile
from typing import TypeVar, cast

from pydantic import BaseModel
from sqlalchemy import inspect
from sqlalchemy.orm import Mapper

T = TypeVar("T")
_NONE = object()  # no such attribute
# how a copied value becomes the target's: one function for every field, or a table of them keyed
# by field name (the fields it does not name are copied as they are)
Conversion = Callable[..., object]
Conversions = Mapping[str, Conversion]


@cache
def field_names(record: type) -> tuple[str, ...]:
    """The fields of a dataclass (those its constructor takes), named tuple, pydantic model or
    mapped class (its columns), in their declared order."""
    if issubclass(record, BaseModel):
        return tuple(record.model_fields)
    if is_dataclass(record):
        return tuple(f.name for f in fields(record) if f.init)
    mapper = inspect(record, raiseerr=False)
    if isinstance(mapper, Mapper):
        return tuple(mapper.column_attrs.keys())
    names: tuple[str, ...] | None = getattr(record, "_fields", None)  # a named tuple
    if names is None:
        raise TypeError(f"{record.__name__} declares no fields")
    return names


def from_attributes(
    target: type[T],
    source: object,
    conversions: Conversions | Conversion | None = None,
    /,
    **given: object,
) -> T:
    """A `target` whose fields are `source`'s attributes of the same names, each through its
    conversion if `conversions` has one for it, but those `given` (as they are).

    As pydantic's `from_attributes`: a field `source` has no attribute for keeps its default (or
    is missing, and `target` says so)."""
    values = {}
    for name in field_names(cast(type, target)):
        if name not in given and (value := getattr(source, name, _NONE)) is not _NONE:
            values[name] = value
    if conversions is not None:
        values = _converted(values, conversions)
    return target(**values, **given)


def _converted(
    values: dict[str, object], conversions: Conversions | Conversion
) -> dict[str, object]:
    """`values` through their conversions, in the target's order of fields."""
    if not isinstance(conversions, Mapping):
        return {name: conversions(value) for name, value in values.items()}
    return {name: conversions[name](v) if name in conversions else v for name, v in values.items()}


def leading_fields(target: type, source: type, *, besides: Collection[str] = ()) -> tuple[str, ...]:
    """The fields of `target` that `source` declares too (but `besides`), which must be `target`'s
    first ones: `target(*attrgetter(*names)(obj), rest=...)` then fills them in order, for a path
    too hot for `from_attributes`' dictionary. Raises TypeError if one comes after another field
    (it would be left out, or filled in the wrong place)."""
    theirs = set(field_names(source)) - set(besides)
    shared = [name for name in field_names(target) if name in theirs]
    leading = tuple(takewhile(theirs.__contains__, field_names(target)))
    if len(leading) < len(shared):
        late = ", ".join(shared[len(leading) :])
        raise TypeError(f"{target.__name__}: {late} should come before its other fields")
    return leading


def picked(source: object, *names: str) -> dict[str, object]:
    """These attributes of `source`, by name, in this order (e.g. an account as an answer shows it)."""
    return {name: getattr(source, name) for name in names}
