"""Errors of traffic. Traffic: what sparkads knows about viewers comes from the traffic it received.

Declared with `sparkads.errors.declare`; their French is in the catalogue (`sparkads.i18n`).
"""

from __future__ import annotations

from sparkads.errors import Family, declare
from sparkads.i18n import N_

declare(
    "forecast_no_basis",
    Family.CONFLICT,
    40002,
    N_(
        "Not enough traffic to forecast: {requests} sampled feed requests in the last {days} days (one feed request in {every} is sampled, {rate}%)."
    ),
    N_(
        "Forecasts replay the feed requests this server actually received; at least {minimum} sampled requests are needed, so about {needed} feed requests at this sample rate, and sparkads never fills the gap with invented viewers."
    ),
    N_(
        "Plug your feed in (POST /api/v1/feed/decisions) and try again once it has served traffic, or run the sandbox demo (sparkads demo) to try forecasts on simulated traffic."
    ),
)

declare(
    "viewer_attribute_clipped",
    Family.WARNING,
    0,
    N_("{field} = {value} is not in the catalogue: it was not stored."),
    N_(
        "The traffic log and viewer profiles keep only catalogue values (countries, regions, languages, interest and behaviour categories), at most 8 interests and 4 behaviours."
    ),
    N_(
        "Send catalogue ids (GET /open_api/v1.3/tool/region/, tool/language/, tool/interest_category/); the decision itself was made as usual."
    ),
)
