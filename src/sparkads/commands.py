"""From a checked request body to a domain command.

The surfaces' bodies are pydantic models (limits, a body's shape); the domains take frozen
dataclasses (`posts/commands.py`, `marketplace/commands.py`, `audiences/commands.py`). Where a
body says a command's field under the same name, `command_of` copies it: lists become tuples
(commands are immutable), a nested body that maps itself (its `command()`) is mapped. What the
body says otherwise (a fee in EUR that the command keeps in micros, a URL as text) is given by
the caller."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

C = TypeVar("C", bound="DataclassInstance")


@runtime_checkable
class Mapped(Protocol):
    """A nested body that maps itself to its command."""

    def command(self) -> object: ...


def command_of(body: BaseModel, command: type[C], **given: object) -> C:
    """`command` with the body's fields of the same names, and `given` over them."""
    names = {f.name for f in dataclasses.fields(command) if f.init} - given.keys()
    shared = {n: _value(getattr(body, n)) for n in names if n in type(body).model_fields}
    return command(**shared, **given)


def _value(value: object) -> object:
    if isinstance(value, list):
        return tuple(_value(v) for v in value)
    if isinstance(value, Mapped):
        return value.command()
    if isinstance(value, BaseModel):
        raise TypeError(f"{type(value).__name__} has no command(): give its field")
    return value
