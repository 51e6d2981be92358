"""The pixels a feed's conversions name (POST /api/v1/events: `pixel_code` and `event` on a
`conversion`): each must be a pixel of the ad's own ad account that tracks the event, or that
conversion alone is refused; a conversion recorded (not a duplicate) is then received by its pixel,
attributed to the decision's ad, so pixel/event/stats counts it as an advertiser's conversion
call naming the pixel would be counted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sparkads.assets.models import Pixel
from sparkads.assets.pixels import events_of, receive
from sparkads.delivery import tokens
from sparkads.errors import SparkadsError
from sparkads.events.kinds import EventStatus
from sparkads.events.service import EventResult, PixelConversion, Verified


@dataclass
class FeedPixels:
    """A batch's pixels: `screen` before the batch is recorded, `receive` after."""

    session: Session
    pending: list[tuple[int, tokens.Claims, PixelConversion, Pixel]] = field(default_factory=list)

    def screen(self, results: list[EventResult], valid: list[Verified]) -> list[Verified]:
        """The verified events to record: those naming no pixel, and those whose pixel is the
        ad's ad account's and tracks the event (kept to be received); the others refused."""
        names = {e.pixel_code for _, _, e in valid if isinstance(e, PixelConversion)}
        if not names:  # the usual batch: no query
            return valid
        found = self._pixels(names)
        tracked = events_of(self.session, sorted({p.pixel_id for p in found.values()}))
        kept = []
        for item in valid:
            index, claims, event = item
            if not isinstance(event, PixelConversion):
                kept.append(item)
                continue
            pixel = found.get(event.pixel_code)
            types = [e.event_type for e in tracked[pixel.pixel_id]] if pixel else []
            if pixel is None:
                problem = SparkadsError("pixel_not_found", pixel=event.pixel_code)
            elif pixel.advertiser_id != claims.advertiser_id:
                problem = SparkadsError(
                    "pixel_of_another_ad_account",
                    pixel=event.pixel_code,
                    advertiser_id=claims.advertiser_id,
                )
            elif event.pixel_event not in types:
                problem = SparkadsError(
                    "pixel_event_not_tracked",
                    pixel=event.pixel_code,
                    event=event.pixel_event,
                    tracked=", ".join(types) or "-",
                )
            else:
                kept.append(item)
                self.pending.append((index, claims, event, pixel))
                continue
            results[index].refuse(problem)
        return kept

    def _pixels(self, names: set[str]) -> dict[str, Pixel]:
        """The pixels named, by the code or id each was named by."""
        rows = self.session.scalars(
            select(Pixel).where(or_(Pixel.pixel_code.in_(names), Pixel.pixel_id.in_(names)))
        )
        return {name: p for p in rows for name in (p.pixel_code, p.pixel_id) if name in names}

    def receive(self, results: list[EventResult], now: datetime) -> None:
        """Each screened conversion that was recorded (a duplicate was received the first time)
        is received by its pixel, attributed to its decision's ad."""
        for index, claims, event, pixel in self.pending:
            if results[index].status is EventStatus.ACCEPTED:
                receive(
                    self.session,
                    pixel,
                    event_type=event.pixel_event,
                    at=event.occurred_at or now,
                    ad_id=claims.ad_id,
                    decision_id=claims.decision_id,
                )
