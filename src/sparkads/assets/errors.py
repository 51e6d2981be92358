"""Errors of creative assets and pixels: CTA portfolios, pixels and the events they track.

Declared with `sparkads.errors.declare`; their French is in the catalogue (`sparkads.i18n`).
"""

from __future__ import annotations

from sparkads.errors import Family, declare
from sparkads.i18n import N_

declare(
    "portfolio_not_found",
    Family.NOT_FOUND,
    40002,
    N_("Creative portfolio {portfolio_id} does not exist in this ad account."),
    N_("No portfolio with this id was created in this ad account."),
    N_("List the ad account's portfolios with creative/portfolio/list/ and use one of their ids."),
)

declare(
    "portfolio_not_cta",
    Family.INVALID,
    40002,
    N_("Creative portfolio {portfolio_id} is not a dynamic CTA portfolio."),
    N_(
        "An ad's call_to_action_id names a portfolio of type CTA, whose texts it shows as its call to action; this one is of type {portfolio_type}."
    ),
    N_(
        "Create a CTA portfolio with creative/portfolio/create/ (creative_portfolio_type CTA) and give its id, or give a call_to_action instead."
    ),
)

declare(
    "pixel_not_found",
    Family.NOT_FOUND,
    40002,
    N_("Pixel {pixel} does not exist in this ad account."),
    N_("No pixel with this id or code was created in this ad account."),
    N_("List the ad account's pixels with pixel/list/, or create one with pixel/create/."),
)

declare(
    "pixel_of_another_ad_account",
    Family.INVALID,
    40002,
    N_(
        "Pixel {pixel} is not a pixel of ad account {advertiser_id}, whose ad this conversion follows."
    ),
    N_(
        "A conversion reported by a feed counts in a pixel of the ad's own ad account; this pixel belongs to another ad account."
    ),
    N_(
        "Name one of that ad account's pixels (pixel/list/ shows them), or send the conversion without pixel_code and event."
    ),
)

declare(
    "pixel_event_not_tracked",
    Family.INVALID,
    40002,
    N_("Pixel {pixel} does not track the event {event}."),
    N_("A pixel counts only the events added to it; this one tracks: {tracked}."),
    N_("Add the event to the pixel with pixel/event/create/, or name one it tracks."),
)

declare(
    "pixel_event_exists",
    Family.CONFLICT,
    40002,
    N_("Pixel {pixel} already tracks the event {event}."),
    N_("A pixel tracks each event type once, so its statistics count each event once."),
    N_("Keep the existing event (pixel/list/ shows it), or track another event type."),
)
