"""Errors of events. Event intake.

Declared with `sparkads.errors.declare`; their French is in the catalogue (`sparkads.i18n`).
"""

from __future__ import annotations

from sparkads.errors import Family, declare
from sparkads.i18n import N_

declare(
    "too_many_events",
    Family.INVALID,
    40011,
    N_("Too many events in one batch: {count}, at most {limit}."),
    N_(
        "A batch is stored in one transaction and answered event by event, so its size is capped; the whole batch was refused and nothing of it was stored."
    ),
    N_("Send the events again in batches of at most {limit}."),
)
