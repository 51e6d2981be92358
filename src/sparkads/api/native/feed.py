"""Feed endpoints: decisions (which sponsored post to show), events (what happened next),
conversions (advertiser-reported, attributed), and why an ad group was not served."""

from __future__ import annotations

import time
from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError

from sparkads.accounts.lookups import authorize_advertiser
from sparkads.accounts.models import TokenScope
from sparkads.accounts.principal import tokens_text
from sparkads.api.context import AppContext, ContextDep
from sparkads.api.feed_lane import decide
from sparkads.api.native.deps import AnyPrincipal, FeedPrincipal, RequesterPrincipal
from sparkads.api.native.feed_schemas import (
    ConversionIn,
    ConversionOut,
    DecisionOut,
    DecisionRequest,
    DecisionsOut,
    Diagnosis,
    EventIn,
    EventsEnvelope,
    EventsIn,
    EventsOut,
    EventWithPixel,
    ViewerWarning,
)
from sparkads.api.validation import validation_error
from sparkads.campaigns.queries import get_adgroup
from sparkads.clock import as_utc
from sparkads.errors import SparkadsError, negotiate_language
from sparkads.events.kinds import EventStatus, EventType
from sparkads.i18n import N_, LocalText
from sparkads.services.decisions import Decided, reasons_report
from sparkads.services.events import (
    Conversion,
    EventResult,
    IncomingEvent,
    PixelConversion,
    record_conversion,
    record_events,
)

router = APIRouter(prefix="/api/v1", tags=["Feed: decisions and events"])
MAX_EVENTS = 1_000


@router.post("/feed/decisions")
async def decisions(
    body: DecisionRequest, who: FeedPrincipal, context: ContextDep, request: Request
) -> DecisionsOut:
    """Sponsored posts for one viewer and up to 10 slots, decided in memory (no database)."""
    # A well-formed request from a known feed token is answered by `api/feed_lane.py` before
    # reaching the app; this route answers the others (errors included) and documents it.
    return decide_request(context, body, who.subject_id, request.headers.get("accept-language"))


def decide_request(
    context: AppContext, body: DecisionRequest, feed_id: str, accept_language: str | None
) -> DecisionsOut:
    decided = decide(context, body.viewer.to_domain(), body.slots, body.placement, feed_id)
    return decisions_out(decided, accept_language)


def decisions_out(decided: Decided, accept_language: str | None) -> DecisionsOut:
    """The route's answer (the lean lane writes the same JSON without models: `answer_json`)."""
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
        warnings=ViewerWarning.all_of(decided, negotiate_language(accept_language)),
    )


async def _body(request: Request) -> bytes:
    """The raw body (its size is already capped by the body-limit middleware)."""
    return await request.body()


def _events_schema() -> dict[str, object]:
    """EventsIn's JSON schema with its event inlined: the route parses its body itself."""
    schema = EventsIn.model_json_schema()
    item = schema.pop("$defs")["EventWithPixel"]
    schema["properties"]["events"]["items"] = item
    schema["properties"]["events"]["maxItems"] = MAX_EVENTS
    return schema


@router.post(
    "/events",
    response_model=EventsOut,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _events_schema()}},
        }
    },
)
def events(
    raw: Annotated[bytes, Depends(_body)],
    who: FeedPrincipal,
    context: ContextDep,
    request: Request,
) -> Response:
    """A batch of up to 1,000 events, each tied to a decision token. Answered only once stored
    (power-safe): an acknowledged event is never lost. Repeats of the same (decision, type) are
    duplicates. A batch over the limit, or a body that is not `{"events": [...]}`, is refused
    whole; a malformed event is rejected alone (`invalid_event`, with what is wrong). A
    `conversion` may name a pixel of the ad's ad account (`pixel_code`, its code or id) and one of
    its events (`event`): pixel/event/stats/ counts it; an unknown pixel (`pixel_not_found`),
    another ad account's (`pixel_of_another_ad_account`) or an event it does not track
    (`pixel_event_not_tracked`) rejects that conversion alone, `detail` in the reader's language."""
    started = time.perf_counter()
    incoming, refused = _parse_events(raw)
    runtime = context.delivery
    results = record_events(
        context.uow,
        runtime.counters,
        runtime.store.peek,
        runtime.config.verification_keys,
        context.clock.now(),
        [e for e in incoming if e is not None],
        feed_id=who.subject_id,
    )
    merged = _merge(results, refused, len(incoming))
    if context.metrics is not None:
        context.metrics.events([r.status for r in merged], time.perf_counter() - started)
    # encoded once with orjson (the shape is EventsOut's, documented above), not re-validated
    lang = negotiate_language(request.headers.get("accept-language"))
    return Response(_encoded(merged, lang), media_type="application/json")


def _encoded(results: list[EventResult], lang: str) -> bytes:
    statuses = [r.status for r in results]
    return orjson.dumps(
        {
            "accepted": statuses.count(EventStatus.ACCEPTED),
            "duplicates": statuses.count(EventStatus.DUPLICATE),
            "rejected": statuses.count(EventStatus.REJECTED),
            "results": [
                {
                    "index": r.index,
                    "status": r.status,
                    "reason": r.reason,
                    "billed": r.billed,
                    "detail": r.detail if r.problem is None else r.problem.render(lang)["message"],
                }
                for r in results
            ],
        }
    )


def _parse_events(raw: bytes) -> tuple[list[IncomingEvent | None], dict[int, EventResult]]:
    """Decode (orjson), check the envelope and the batch size before anything else, then each
    event on its own: a malformed one becomes a rejected result, the others go on."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise SparkadsError(
            "invalid_parameter",
            field="request",
            detail=LocalText(N_("not JSON: {error}"), {"error": str(error)}),
        ) from None
    listed = data.get("events") if isinstance(data, dict) else None
    if isinstance(listed, list) and len(listed) > MAX_EVENTS:
        raise SparkadsError("too_many_events", count=len(listed), limit=MAX_EVENTS)
    try:
        envelope = EventsEnvelope.model_validate(data)
    except ValidationError as error:
        raise validation_error(error.errors()) from None
    incoming: list[IncomingEvent | None] = []
    refused: dict[int, EventResult] = {}
    for index, item in enumerate(envelope.events):
        event = _incoming(item)
        if isinstance(event, str):
            refused[index] = EventResult(index, EventStatus.REJECTED, "invalid_event", detail=event)
            incoming.append(None)
            continue
        incoming.append(event)
    return incoming, refused


def _incoming(item: object) -> IncomingEvent | str:
    """The event, or what is wrong with it (`field: detail`). Read as naming a pixel only when it
    names one, so the usual event costs what it did."""
    try:
        if type(item) is dict and ("pixel_code" in item or "event" in item):
            return _naming_pixel(EventWithPixel.model_validate(item))
        event = EventIn.model_validate(item)
    except ValidationError as error:
        problem = validation_error(error.errors())
        return f"{problem.params.get('field')}: {problem.params.get('detail')}"
    at = as_utc(event.occurred_at) if event.occurred_at else None
    return IncomingEvent(event.token, event.type, at)


def _naming_pixel(event: EventWithPixel) -> IncomingEvent | str:
    """A conversion naming its pixel and the pixel's event (both or neither, on a conversion
    only), or what is wrong."""
    at = as_utc(event.occurred_at) if event.occurred_at else None
    code, name = event.pixel_code, event.event
    if code is None and name is None:
        return IncomingEvent(event.token, event.type, at)
    if code is None or name is None:
        missing, given = ("event", "pixel_code") if name is None else ("pixel_code", "event")
        return f"{missing}: required with {given}"
    if event.type != EventType.CONVERSION:
        return "pixel_code: names the pixel of a conversion only"
    return PixelConversion(event.token, event.type, at, code, name)


def _merge(
    results: list[EventResult], refused: dict[int, EventResult], total: int
) -> list[EventResult]:
    """Results in the batch's order: the refused events in their places, the others renumbered
    from their position among the events that were ingested."""
    if not refused:
        return results
    merged: list[EventResult] = []
    given = iter(results)
    for index in range(total):
        if index in refused:
            merged.append(refused[index])
        else:
            result = next(given)
            result.index = index
            merged.append(result)
    return merged


@router.post("/conversions")
def conversions(body: ConversionIn, who: RequesterPrincipal, context: ContextDep) -> ConversionOut:
    """An advertiser reports a conversion (pixel-like): credited to the last click within 7 days
    (by click_id, or the viewer's), else the viewer's last 6-second view within 1 day. Naming
    a pixel (`pixel_code`, id or code) and one of its events (`event`) counts it in
    pixel/event/stats/, attributed or not."""
    runtime = context.delivery
    done = record_conversion(
        context.uow,
        runtime.counters,
        runtime.store.peek,
        context.clock.now(),
        who,
        Conversion(
            advertiser_id=body.advertiser_id,
            at=as_utc(body.occurred_at) if body.occurred_at else None,
            click_id=body.click_id,
            viewer_id=body.viewer_id,
            pixel=body.pixel_code,
            event=body.event,
        ),
    )
    return ConversionOut(
        status=done.result.status,
        reason=done.result.reason,
        attributed_by=done.attributed_by,
        ad_id=done.ad_id,
        decision_id=done.decision_id,
        billed=done.result.billed,
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
                    "wrong_token_scope",
                    needed=tokens_text(TokenScope.ADVERTISER, TokenScope.OPERATOR),
                    given=tokens_text(who.scope),
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
