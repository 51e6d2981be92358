"""Sandbox and operator endpoints: the test clock, policy takedowns, who-am-I."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter

from sparkads.accounts.lookups import get_advertiser, get_business_center, get_creator
from sparkads.accounts.models import TokenScope
from sparkads.api.context import ContextDep
from sparkads.api.native.deps import AnyPrincipal, OperatorPrincipal
from sparkads.api.native.review import reviews_of
from sparkads.api.native.schemas import ClockAdvance, ClockRead, Me, PostRead, TakedownCreate
from sparkads.api.native.views import post_read
from sparkads.attributes import picked
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.services import posts

router = APIRouter(prefix="/api/v1", tags=["Sandbox and operators"])


@router.get("/sandbox/clock")
def read_clock(context: ContextDep) -> ClockRead:
    return ClockRead(now=context.clock.now(), sandbox=context.test_clock is not None)


@router.post("/sandbox/clock/advance")
def advance_clock(body: ClockAdvance, who: OperatorPrincipal, context: ContextDep) -> ClockRead:
    """Move the sandbox clock forward: codes expire, windows close, as if the time had passed.
    Operators only (`sparkads operators create`): the clock expires every code and token."""
    clock = context.test_clock
    if clock is None:
        raise SparkadsError("sandbox_only")
    try:
        clock.advance(
            timedelta(days=body.days, hours=body.hours, minutes=body.minutes, seconds=body.seconds)
        )
    except OverflowError:
        raise SparkadsError(
            "invalid_parameter",
            field="days",
            detail=LocalText(N_("the sandbox clock cannot go past the year 9999")),
        ) from None
    context.rollups.fold_now()  # reports at the new time count everything sent before it
    return ClockRead(now=clock.now(), sandbox=True)


@router.post("/operator/posts/{item_id}/takedown")
def take_down(
    item_id: str, body: TakedownCreate, who: OperatorPrincipal, context: ContextDep
) -> PostRead:
    """Policy enforcement: the post goes offline as non-compliant, every ad on it stops, every
    authorization on it answers video_unavailable with the reason; the creator may appeal."""
    reviews_of(context).take_down(item_id, reason=body.reason)
    return post_read(posts.any_post(context.uow, item_id))


@router.get("/me")
def me(who: AnyPrincipal, context: ContextDep) -> Me:
    with context.uow() as uow:
        account: dict[str, object]
        if who.scope is TokenScope.CREATOR:
            c = get_creator(uow.session, who.subject_id)
            account = picked(c, "creator_id", "handle", "display_name", "followers")
        elif who.scope is TokenScope.ADVERTISER:
            a = get_advertiser(uow.session, who.subject_id)
            account = picked(a, "advertiser_id", "name", "currency", "timezone", "bc_id")
        elif who.scope is TokenScope.BUSINESS_CENTER:
            b = get_business_center(uow.session, who.subject_id)
            account = picked(b, "bc_id", "name")
        else:
            account = {"operator_id": who.subject_id}
        return Me(scope=who.scope.value, account=account)
