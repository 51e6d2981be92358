"""Errors of reporting. Reports.

Declared with `sparkads.errors.declare`; their French is in the catalogue (`sparkads.i18n`).
"""

from __future__ import annotations

from sparkads.errors import Family, declare
from sparkads.i18n import N_

declare(
    "metric_not_computed",
    Family.INVALID,
    40002,
    N_("metrics: {metric} is not computed by sparkads."),
    N_(
        "sparkads computes every report number from the events the feed sends; none of them gives {metric}, and a made-up value would mislead."
    ),
    N_(
        "Remove {metric} from metrics; docs/kpis.md (Metrics not computed) says why and what to ask for instead."
    ),
)
