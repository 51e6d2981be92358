"""request_id on create calls: the first call wins, replays answer 40050 and create nothing."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sparkads.campaigns.models import IdempotencyKey
from sparkads.clock import Clock
from sparkads.errors import SparkadsError


@dataclass(frozen=True)
class CreateRequest:
    """One create call (`endpoint`, e.g. "campaign/create") of an ad account and its request_id
    (None: no protection). `check_unused` before creating, `remember` the object once created."""

    advertiser_id: str
    endpoint: str
    request_id: str | None
    object_type: str  # as errors name it: "campaign", "ad group"

    def check_unused(self, session: Session) -> None:
        if self.request_id is None:
            return
        seen = session.scalar(
            select(IdempotencyKey).where(
                IdempotencyKey.advertiser_id == self.advertiser_id,
                IdempotencyKey.endpoint == self.endpoint,
                IdempotencyKey.request_id == self.request_id,
            )
        )
        if seen is not None:
            raise self._duplicated(seen.object_id)

    def remember(self, session: Session, clock: Clock, object_id: str) -> None:
        if self.request_id is None:
            return
        session.add(
            IdempotencyKey(
                advertiser_id=self.advertiser_id,
                endpoint=self.endpoint,
                request_id=self.request_id,
                object_id=object_id,
                created_at=clock.now(),
            )
        )
        try:
            session.flush()
        except IntegrityError:  # a concurrent replay committed first
            raise self._duplicated("(concurrent request)") from None

    def _duplicated(self, object_id: str) -> SparkadsError:
        return SparkadsError(
            "duplicated_request",
            request_id=self.request_id,
            object_type=self.object_type,
            object_id=object_id,
        )
