"""Errors of db. Storage: values the database columns cannot hold.

Declared with `sparkads.errors.declare`; their French is in the catalogue (`sparkads.i18n`).
"""

from __future__ import annotations

from sparkads.errors import Family, declare
from sparkads.i18n import N_

declare(
    "value_too_long",
    Family.INVALID,
    40002,
    N_("{field} is too long: at most {limit} characters."),
    N_("The value has {length} characters; this field stores at most {limit}."),
    N_("Shorten {field} to {limit} characters or fewer and send the request again."),
)

declare(
    "value_out_of_range",
    Family.INVALID,
    40002,
    N_("{field} is out of range: it must lie between {minimum} and {maximum}."),
    N_("The number {value} is beyond what this field stores."),
    N_("Send a value between {minimum} and {maximum}."),
)

declare(
    "value_not_storable",
    Family.INVALID,
    40002,
    N_("{field} contains a character that cannot be stored."),
    N_("Text cannot contain the NUL character (U+0000)."),
    N_("Remove the NUL characters from {field} and send the request again."),
)
