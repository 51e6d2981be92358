"""From a checked request body to a domain command.

The surfaces' bodies are pydantic models (limits, a body's shape); the domains take frozen
dataclasses (`posts/commands.py`, `marketplace/commands.py`, `audiences/commands.py`). Where a
body says a command's field under the same name, `command_of` copies it (`attributes.
from_attributes`), converted as a command keeps it: lists become tuples (commands are immutable),
a nested body that maps itself (its `command()`) is mapped. What the body says otherwise (a fee in
EUR that the command keeps in micros, a URL as text) is given by the caller."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel

from sparkads.attributes import from_attributes

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

C = TypeVar("C", bound="DataclassInstance")


@runtime_checkable
class Mapped(Protocol):
    """A nested body that maps itself to its command."""

    def command(self) -> object: ...


def command_of(body: BaseModel, command: type[C], **given: object) -> C:
    """`command` with the body's fields of the same names, and `given` over them."""
    return from_attributes(command, body, as_command, **given)


def as_command(value: object) -> object:
    """A body's value as a command keeps it."""
    if isinstance(value, list):
        return tuple(as_command(v) for v in value)
    if isinstance(value, Mapped):
        return value.command()
    if isinstance(value, BaseModel):
        raise TypeError(f"{type(value).__name__} has no command(): give its field")
    return value
