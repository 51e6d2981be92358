"""Wire body → domain dataclass: the fields of the same names, each converted where a table says
how, and the rest given by the caller (open_api/commands.py, tcm.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import TYPE_CHECKING, TypeVar

from pydantic import BaseModel

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

C = TypeVar("C", bound="DataclassInstance")
Conversions = Mapping[str, Callable[..., object]]


def _same(value: object) -> object:
    return value


def from_wire(
    command: type[C], body: BaseModel, conversions: Conversions | None = None, **given: object
) -> C:
    """`command` from the body's fields of the same names, through `conversions` by name where
    it names them, and the `given` ones as they are."""
    convert = conversions or {}
    values = {
        f.name: convert.get(f.name, _same)(getattr(body, f.name))
        for f in fields(command)
        if f.name not in given
    }
    return command(**values, **given)
