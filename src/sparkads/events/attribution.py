"""Conversions reported by the advertiser (a pixel-like call), attributed to the last click within
7 days, else the last 6-second view within 1 day, then recorded and billed like any event."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.attributes import from_attributes
from sparkads.clock import as_utc
from sparkads.delivery import tokens
from sparkads.delivery.counters import Counters
from sparkads.events.budgets import BudgetBook
from sparkads.events.kinds import EventStatus
from sparkads.events.models import Event
from sparkads.events.service import EventResult, IncomingEvent, Outcome, record

CLICK_WINDOW = timedelta(days=7)
VIEW_WINDOW = timedelta(days=1)


def _last(
    session: Session,
    advertiser_id: str,
    event_type: str,
    at: datetime,
    window: timedelta,
    viewer_id: str | None = None,
    decision_id: str | None = None,
) -> Event | None:
    query = select(Event).where(
        Event.advertiser_id == advertiser_id,
        Event.event_type == event_type,
        Event.occurred_at <= at,
        Event.occurred_at >= at - window,
    )
    if viewer_id is not None:
        query = query.where(Event.viewer_id == viewer_id)
    if decision_id is not None:
        query = query.where(Event.decision_id == decision_id)
    return session.scalars(query.order_by(Event.occurred_at.desc()).limit(1)).first()


def attribute(
    session: Session,
    *,
    advertiser_id: str,
    at: datetime,
    click_id: str | None,
    viewer_id: str | None,
) -> tuple[Event, str] | None:
    """The event a conversion is credited to, and the rule that chose it."""
    if click_id:
        click = _last(session, advertiser_id, "click", at, CLICK_WINDOW, decision_id=click_id)
        if click is not None:
            return click, "click_id"
    if viewer_id:
        click = _last(session, advertiser_id, "click", at, CLICK_WINDOW, viewer_id=viewer_id)
        if click is not None:
            return click, "last_click_7d"
        view = _last(session, advertiser_id, "view_6s", at, VIEW_WINDOW, viewer_id=viewer_id)
        if view is not None:
            return view, "view_6s_1d"
    return None


def claims_of(event: Event) -> tokens.Claims:
    """The claims of the decision behind an attributed event (what its token said)."""
    return from_attributes(tokens.Claims, event, issued_at=as_utc(event.occurred_at).timestamp())


def record_conversion(
    session: Session,
    counters: Counters,
    budgets: BudgetBook,
    now: datetime,
    *,
    advertiser_id: str,
    at: datetime,
    click_id: str | None,
    viewer_id: str | None,
) -> tuple[Outcome, str | None, Event | None]:
    source = attribute(
        session, advertiser_id=advertiser_id, at=at, click_id=click_id, viewer_id=viewer_id
    )
    if source is None:
        return Outcome([EventResult(0, EventStatus.REJECTED, "not_attributed")]), None, None
    event, rule = source
    outcome = Outcome([EventResult(0, EventStatus.ACCEPTED)])
    item = (0, claims_of(event), IncomingEvent("", "conversion", at))
    return record(session, counters, budgets, now, outcome, [item]), rule, event
