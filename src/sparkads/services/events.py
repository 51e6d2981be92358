"""Recording a feed's events: what `POST /api/v1/events`, the web feed preview and the simulator
all run. The sequence exists once: verify and record in one unit of work (events.service.ingest,
through the event sink), commit, give the budget back if the commit fails, and only then count
the ad statistics in memory and answer (an acknowledged event is durable: docs/scaling.md).
An advertiser's conversion (`POST /api/v1/conversions`) runs the same sequence around its
attribution and the pixel that received it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sparkads.accounts.service import Principal, authorize_advertiser
from sparkads.assets import pixels
from sparkads.assets.feed_pixels import FeedPixels
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.delivery.counters import Counters
from sparkads.delivery.model import Snapshot
from sparkads.events import attribution
from sparkads.events.budgets import BudgetBook
from sparkads.events.service import EventResult, IncomingEvent, PixelConversion, ingest

__all__ = [
    "Conversion",
    "Converted",
    "EventResult",
    "IncomingEvent",
    "PixelConversion",
    "record_conversion",
    "record_events",
]


def record_events(
    units: Callable[[], UnitOfWork],
    counters: Counters,
    snapshot: Callable[[], Snapshot | None],
    keys: Mapping[str, bytes] | bytes,
    now: datetime,
    events: Sequence[IncomingEvent],
    feed_id: str | None = None,
) -> list[EventResult]:
    """One batch, committed before it returns; results per event, in the batch's order. A
    conversion naming a pixel is refused alone if the pixel is not the ad's ad account's or does
    not track the event; once recorded, the pixel receives it in the same unit of work."""
    with units() as unit:
        named = FeedPixels(unit.session)
        outcome = ingest(
            unit.session,
            counters,
            BudgetBook(unit.session, snapshot),
            keys,
            now,
            events,
            feed_id=feed_id,
            screen=named.screen,
        )
        try:
            named.receive(outcome.results, now)
            unit.commit()
        except Exception:
            outcome.refund(counters)
            raise
    outcome.apply_stats(counters)
    return outcome.results


@dataclass(frozen=True)
class Conversion:
    """What an advertiser reports: when (default: now), the click or viewer it may come from, and
    optionally the pixel (id or code) that received it with its standard event."""

    advertiser_id: str
    at: datetime | None
    click_id: str | None
    viewer_id: str | None
    pixel: str | None
    event: str | None


@dataclass(frozen=True)
class Converted:
    result: EventResult
    attributed_by: str | None  # the attribution rule that credited it, None when not attributed
    ad_id: str | None
    decision_id: str | None


def record_conversion(
    units: Callable[[], UnitOfWork],
    counters: Counters,
    snapshot: Callable[[], Snapshot | None],
    now: datetime,
    principal: Principal,
    conversion: Conversion,
) -> Converted:
    """Attribute, bill and let the pixel receive it in one unit of work, committed before it
    returns (the budget given back if the commit fails), then count the statistics."""
    with units() as unit:
        advertiser = authorize_advertiser(unit.session, principal, conversion.advertiser_id)
        at = conversion.at or now
        pixel = pixels.receiver(
            unit.session, advertiser, pixel=conversion.pixel, event_type=conversion.event
        )
        outcome, rule, source = attribution.record_conversion(
            unit.session,
            counters,
            BudgetBook(unit.session, snapshot),
            now,
            advertiser_id=advertiser.advertiser_id,
            at=at,
            click_id=conversion.click_id,
            viewer_id=conversion.viewer_id,
        )
        ad_id, decision_id = (source.ad_id, source.decision_id) if source else (None, None)
        try:
            if pixel is not None:
                pixels.receive(
                    unit.session,
                    pixel,
                    event_type=str(conversion.event),
                    at=at,
                    ad_id=ad_id,
                    decision_id=decision_id,
                )
            unit.commit()
        except Exception:
            outcome.refund(counters)
            raise
    outcome.apply_stats(counters)
    return Converted(outcome.results[0], rule, ad_id, decision_id)
