from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.audiences.models import Audience
from sparkads.clock import Clock
from sparkads.ids import new_id


def create_audience(
    session: Session, clock: Clock, *, advertiser_id: str, name: str, audience_type: str, size: int
) -> Audience:
    audience = Audience(
        audience_id=new_id(),
        advertiser_id=advertiser_id,
        name=name,
        audience_type=audience_type,
        size=size,
        created_at=clock.now(),
    )
    session.add(audience)
    session.flush()
    return audience


def find_audiences(
    session: Session, *, advertiser_id: str, audience_ids: Iterable[str]
) -> dict[str, Audience]:
    wanted = list(audience_ids)
    if not wanted:
        return {}
    rows = session.scalars(
        select(Audience).where(
            Audience.advertiser_id == advertiser_id, Audience.audience_id.in_(wanted)
        )
    )
    return {row.audience_id: row for row in rows}
