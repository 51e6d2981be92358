"""Feed endpoints: decisions (which sponsored post to show), events (what happened next),
conversions (advertiser-reported, attributed), and why an ad group was not served."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request

from sparkads.accounts.models import TokenScope
from sparkads.accounts.service import authorize_advertiser
from sparkads.api.context import AppContext, ContextDep
from sparkads.api.native.deps import AnyPrincipal, FeedPrincipal, RequesterPrincipal
from sparkads.api.native.feed_schemas import (
    ConversionIn,
    ConversionOut,
    DecisionOut,
    DecisionRequest,
    DecisionsOut,
    Diagnosis,
    EventsIn,
    EventsOut,
    ViewerWarning,
)
from sparkads.campaigns.adgroups import get_adgroup
from sparkads.clock import as_utc
from sparkads.delivery.engine import reasons_report
from sparkads.errors import SparkadsError, negotiate_language
from sparkads.events.attribution import record_conversion
from sparkads.events.budgets import BudgetBook
from sparkads.events.service import IncomingEvent, ingest
from sparkads.services.decisions import decide_for_viewer

router = APIRouter(prefix="/api/v1", tags=["Feed: decisions and events"])
MAX_EVENTS = 1_000


@router.post("/feed/decisions")
async def decisions(
    body: DecisionRequest, who: FeedPrincipal, context: ContextDep, request: Request
) -> DecisionsOut:
    """Sponsored posts for one viewer and up to 10 slots, decided in memory (no database)."""
    # A well-formed request from a known feed token is answered by `api/feed_lane.py` before
    # reaching this route; this route answers the others (errors included) and documents it.
    return decide_request(context, body, who.subject_id, request.headers.get("accept-language"))


def decide_request(
    context: AppContext, body: DecisionRequest, feed_id: str, accept_language: str | None
) -> DecisionsOut:
    runtime = context.delivery
    decided = decide_for_viewer(
        runtime.store,
        runtime.counters,
        runtime.config,
        runtime.rng,
        context.traffic,
        context.clock,
        body.viewer.to_domain(),
        body.slots,
        body.placement,
        feed_id,
    )
    return DecisionsOut(
        decisions=[
            DecisionOut(
                decision_id=d.decision_id,
                token=d.token,
                ad_id=d.ad.ad_id,
                adgroup_id=d.group.adgroup_id,
                item_id=d.ad.item_id,
                sponsored=True,
                label="Sponsored",
                creative=d.ad.creative,
            )
            for d in decided.chosen
        ],
        snapshot_version=decided.snapshot_version,
        warnings=[
            ViewerWarning.of(c.field, c.value, negotiate_language(accept_language))
            for c in decided.clipped
        ]
        if decided.clipped
        else [],
    )


@router.post("/events")
def events(body: EventsIn, who: FeedPrincipal, context: ContextDep) -> EventsOut:
    """A batch of events, each tied to a decision token. Answered only once stored: an
    acknowledged event is never lost. Repeats of the same (decision, type) are duplicates."""
    if len(body.events) > MAX_EVENTS:
        raise SparkadsError("too_many_ids", field="events", limit=MAX_EVENTS)
    runtime = context.delivery
    incoming = [
        IncomingEvent(e.token, e.type, as_utc(e.occurred_at) if e.occurred_at else None)
        for e in body.events
    ]
    with context.uow() as uow:
        budgets = BudgetBook(uow.session, runtime.store.peek)
        outcome = ingest(
            uow.session,
            runtime.counters,
            budgets,
            runtime.config.verification_keys,
            context.clock.now(),
            incoming,
            feed_id=who.subject_id,
        )
        try:
            uow.commit()
        except Exception:
            outcome.refund(runtime.counters)
            raise
    outcome.apply_stats(runtime.counters)
    return EventsOut.of(outcome.results)


@router.post("/conversions")
def conversions(body: ConversionIn, who: RequesterPrincipal, context: ContextDep) -> ConversionOut:
    """An advertiser reports a conversion (pixel-like): credited to the last click within 7 days
    (by click_id, or the viewer's), else the viewer's last 6-second view within 1 day."""
    runtime = context.delivery
    now = context.clock.now()
    with context.uow() as uow:
        advertiser = authorize_advertiser(uow.session, who, body.advertiser_id)
        at: datetime = as_utc(body.occurred_at) if body.occurred_at else now
        outcome, rule, source = record_conversion(
            uow.session,
            runtime.counters,
            BudgetBook(uow.session, runtime.store.peek),
            now,
            advertiser_id=advertiser.advertiser_id,
            at=at,
            click_id=body.click_id,
            viewer_id=body.viewer_id,
        )
        try:
            uow.commit()
        except Exception:
            outcome.refund(runtime.counters)
            raise
    outcome.apply_stats(runtime.counters)
    result = outcome.results[0]
    return ConversionOut(
        status=result.status,
        reason=result.reason,
        attributed_by=rule,
        ad_id=source.ad_id if source else None,
        decision_id=source.decision_id if source else None,
        billed=result.billed,
    )


@router.get("/delivery/adgroups/{adgroup_id}/diagnosis")
def diagnosis(adgroup_id: str, who: AnyPrincipal, context: ContextDep) -> Diagnosis:
    """Why an ad group was (not) served: counts per reason since the server started."""
    runtime = context.delivery
    with context.uow() as uow:
        if who.scope is not TokenScope.OPERATOR:
            group = (
                get_adgroup(uow.session, who.subject_id, adgroup_id)
                if (who.scope is TokenScope.ADVERTISER)
                else None
            )
            if group is None:
                raise SparkadsError(
                    "wrong_token_scope", needed="advertiser or operator", given=who.scope.value
                )
            authorize_advertiser(uow.session, who, group.advertiser_id)
    snapshot = runtime.store.snapshot
    return Diagnosis(
        adgroup_id=adgroup_id,
        live=snapshot.group(adgroup_id) is not None,
        excluded_because=runtime.store.excluded.get(adgroup_id),
        reasons=reasons_report(runtime.counters, adgroup_id),
        snapshot_version=snapshot.version,
    )
