"""Pixels (pixel/create, pixel/list, pixel/event/create, pixel/event/stats): an ad account's
conversion source. A pixel tracks TikTok standard events; the advertiser's conversion calls
(POST /api/v1/conversions with `pixel_code` and `event`) are received by it, attributed to an ad
or not, and pixel/event/stats counts what was received, per day of the ad account's timezone."""

from __future__ import annotations

import re
import secrets
import string
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.assets.models import Pixel, PixelEvent, PixelReceipt
from sparkads.clock import Clock
from sparkads.db.base import added
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.ids import new_id

# TikTok's standard pixel events (custom_event_type)
STANDARD_EVENTS = (
    "ADD_PAYMENT_INFO",
    "ADD_TO_CART",
    "ADD_TO_WISHLIST",
    "CLICK_BUTTON",
    "COMPLETE_PAYMENT",
    "COMPLETE_REGISTRATION",
    "CONTACT",
    "DOWNLOAD",
    "INITIATE_CHECKOUT",
    "PLACE_AN_ORDER",
    "SEARCH",
    "SUBMIT_FORM",
    "SUBSCRIBE",
    "VIEW_CONTENT",
)
PIXEL_CATEGORIES = ("ONLINE_STORE", "LEAD_GENERATION", "WEBSITE")
# TikTok's ONCE (one conversion per click) is not offered: a sparkads pixel counts every
# conversion call it receives (a repeated call the ad was already credited with excepted)
STATISTIC_TYPES = ("EVERY_TIME",)
MAX_STATS_DAYS = 366
_DECIMAL = re.compile(r"[0-9]{1,15}(\.[0-9]{1,6})?")
_CODE_ALPHABET = string.ascii_uppercase + string.digits


@dataclass(frozen=True)
class EventSpec:
    event_type: str
    name: str = ""
    statistic_type: str = "EVERY_TIME"
    currency_value: str = ""


@dataclass(frozen=True)
class EventCount:
    event_type: str
    total: int
    attributed: int


def _choice(field: str, value: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise SparkadsError(
            "invalid_parameter",
            field=field,
            detail=LocalText(
                N_("one of {choices}, not {value}"),
                {"choices": ", ".join(allowed), "value": repr(value)},
            ),
        )
    return value


def _statistic_type(value: str) -> str:
    if value not in STATISTIC_TYPES:
        raise SparkadsError(
            "invalid_parameter",
            field="pixel_events.statistic_type",
            detail=LocalText(
                N_("EVERY_TIME (every conversion the pixel receives counts), not {value}"),
                {"value": repr(value)},
            ),
        )
    return value


def _currency_value(value: str) -> str:
    """The event's value: empty, or a decimal number of at least 0 (`12.50`), kept as written."""
    if value and _DECIMAL.fullmatch(value) is None:
        raise SparkadsError(
            "invalid_parameter",
            field="pixel_events.currency_value",
            detail=LocalText(
                N_("a number of at least 0 (such as 12.50), not {value}"), {"value": repr(value)}
            ),
        )
    return value


def create_pixel(
    session: Session,
    clock: Clock,
    advertiser: Advertiser,
    *,
    name: str,
    category: str = "ONLINE_STORE",
    partner_name: str = "",
) -> Pixel:
    pixel = Pixel(
        pixel_id=new_id(),
        advertiser_id=advertiser.advertiser_id,
        pixel_code="C" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(19)),
        name=name,
        category=_choice("pixel_category", category, PIXEL_CATEGORIES),
        partner_name=partner_name,
        created_at=clock.now(),
    )
    return added(session, pixel)


def find_pixel(session: Session, advertiser: Advertiser, pixel: str) -> Pixel:
    """An ad account's pixel by id or code."""
    found = session.scalars(
        select(Pixel).where(
            Pixel.advertiser_id == advertiser.advertiser_id,
            or_(Pixel.pixel_id == pixel, Pixel.pixel_code == pixel),
        )
    ).first()
    if found is None:
        raise SparkadsError("pixel_not_found", pixel=pixel)
    return found


def list_pixels(
    session: Session, advertiser: Advertiser, *, pixel_ids: Sequence[str] | None = None
) -> Sequence[Pixel]:
    query = select(Pixel).where(Pixel.advertiser_id == advertiser.advertiser_id)
    if pixel_ids is not None:
        query = query.where(or_(Pixel.pixel_id.in_(pixel_ids), Pixel.pixel_code.in_(pixel_ids)))
    return session.scalars(query.order_by(Pixel.created_at.desc(), Pixel.pixel_id)).all()


def events_of(session: Session, pixel_ids: Sequence[str]) -> dict[str, list[PixelEvent]]:
    found: dict[str, list[PixelEvent]] = {pixel_id: [] for pixel_id in pixel_ids}
    rows = session.scalars(
        select(PixelEvent)
        .where(PixelEvent.pixel_id.in_(list(pixel_ids)))
        .order_by(PixelEvent.created_at, PixelEvent.event_type)
    )
    for event in rows:
        found[event.pixel_id].append(event)
    return found


def add_events(
    session: Session, clock: Clock, pixel: Pixel, specs: Sequence[EventSpec]
) -> list[PixelEvent]:
    tracked = {e.event_type for e in events_of(session, [pixel.pixel_id])[pixel.pixel_id]}
    added = []
    for spec in specs:
        event_type = _choice("pixel_events.event_type", spec.event_type, STANDARD_EVENTS)
        if event_type in tracked:
            raise SparkadsError("pixel_event_exists", pixel=pixel.pixel_id, event=event_type)
        tracked.add(event_type)
        event = PixelEvent(
            event_id=new_id(),
            pixel_id=pixel.pixel_id,
            event_type=event_type,
            name=spec.name or event_type.replace("_", " ").title(),
            statistic_type=_statistic_type(spec.statistic_type),
            currency_value=_currency_value(spec.currency_value),
            created_at=clock.now(),
        )
        session.add(event)
        added.append(event)
    session.flush()
    return added


def receiver(
    session: Session, advertiser: Advertiser, *, pixel: str | None, event_type: str | None
) -> Pixel | None:
    """The pixel a conversion call names, checked before anything is recorded: it must be the ad
    account's and track the event. None when the call names no pixel."""
    if not pixel and not event_type:
        return None
    if not pixel or not event_type:
        missing, given = ("pixel_code", "event") if not pixel else ("event", "pixel_code")
        raise SparkadsError(
            "invalid_parameter",
            field=missing,
            detail=LocalText(N_("required with {other}"), {"other": given}),
        )
    found = find_pixel(session, advertiser, pixel)
    tracked = [e.event_type for e in events_of(session, [found.pixel_id])[found.pixel_id]]
    if event_type not in tracked:
        raise SparkadsError(
            "pixel_event_not_tracked",
            pixel=pixel,
            event=event_type,
            tracked=", ".join(tracked) or "-",
        )
    return found


def receive(
    session: Session,
    pixel: Pixel,
    *,
    event_type: str,
    at: datetime,
    ad_id: str | None,
    decision_id: str | None,
) -> PixelReceipt | None:
    """The pixel receives its event, attributed to `ad_id` when the conversion is credited to one
    of the ad's decisions. A conversion of a decision the pixel already received for this event
    (a retried call, or one the feed reported first) is not received again: None."""
    if decision_id is not None:
        known = session.scalar(
            select(PixelReceipt.id).where(
                PixelReceipt.pixel_id == pixel.pixel_id,
                PixelReceipt.event_type == event_type,
                PixelReceipt.decision_id == decision_id,
            )
        )
        if known is not None:
            return None
    receipt = PixelReceipt(
        pixel_id=pixel.pixel_id,
        event_type=event_type,
        received_at=at,
        ad_id=ad_id,
        decision_id=decision_id,
    )
    return added(session, receipt)


def day_bounds(advertiser: Advertiser, start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in the ad account's timezone, as UTC instants. A range given
    backwards is read between its two dates, as TikTok answers it (Airbyte's source asks for
    `start_date` 29 days after `end_date`)."""
    start, end = min(start, end), max(start, end)
    if (end - start).days >= MAX_STATS_DAYS:
        raise SparkadsError(
            "invalid_parameter",
            field="date_range",
            detail=LocalText(N_("at most {most} days"), {"most": MAX_STATS_DAYS}),
        )
    zone = ZoneInfo(advertiser.timezone)
    first = datetime.combine(start, time(), zone).astimezone(UTC)
    last = datetime.combine(end + timedelta(days=1), time(), zone).astimezone(UTC)
    return first, last


def event_counts(
    session: Session, pixels: Sequence[Pixel], since: datetime, until: datetime
) -> dict[str, list[EventCount]]:
    """Per pixel, each tracked event's received and attributed counts in [since, until)."""
    ids = [p.pixel_id for p in pixels]
    totals: Counter[tuple[str, str]] = Counter()
    attributed: Counter[tuple[str, str]] = Counter()
    rows = session.execute(
        select(
            PixelReceipt.pixel_id,
            PixelReceipt.event_type,
            PixelReceipt.ad_id.is_not(None),
            func.count(),
        )
        .where(
            PixelReceipt.pixel_id.in_(ids),
            PixelReceipt.received_at >= since,
            PixelReceipt.received_at < until,
        )
        .group_by(PixelReceipt.pixel_id, PixelReceipt.event_type, PixelReceipt.ad_id.is_not(None))
    ).all()
    for pixel_id, event_type, has_ad, count in rows:
        totals[pixel_id, event_type] += count
        if has_ad:
            attributed[pixel_id, event_type] += count
    tracked = events_of(session, ids)
    return {
        pixel_id: [
            EventCount(
                e.event_type, totals[pixel_id, e.event_type], attributed[pixel_id, e.event_type]
            )
            for e in events
        ]
        for pixel_id, events in tracked.items()
    }
