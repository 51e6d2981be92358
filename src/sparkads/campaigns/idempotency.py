"""request_id on create calls: the first call wins, replays answer 40050 and create nothing."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sparkads.campaigns.models import IdempotencyKey
from sparkads.clock import Clock
from sparkads.errors import SparkadsError


def check_unused(
    session: Session, *, advertiser_id: str, endpoint: str, request_id: str | None, object_type: str
) -> None:
    if request_id is None:
        return
    seen = session.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.advertiser_id == advertiser_id,
            IdempotencyKey.endpoint == endpoint,
            IdempotencyKey.request_id == request_id,
        )
    )
    if seen is not None:
        raise SparkadsError(
            "duplicated_request",
            request_id=request_id,
            object_type=object_type,
            object_id=seen.object_id,
        )


def remember(
    session: Session,
    clock: Clock,
    *,
    advertiser_id: str,
    endpoint: str,
    request_id: str | None,
    object_type: str,
    object_id: str,
) -> None:
    if request_id is None:
        return
    session.add(
        IdempotencyKey(
            advertiser_id=advertiser_id,
            endpoint=endpoint,
            request_id=request_id,
            object_id=object_id,
            created_at=clock.now(),
        )
    )
    try:
        session.flush()
    except IntegrityError:  # a concurrent replay committed first
        raise SparkadsError(
            "duplicated_request",
            request_id=request_id,
            object_type=object_type,
            object_id="(concurrent request)",
        ) from None
