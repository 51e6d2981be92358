"""Reading an advertiser's audiences and their members: read-only queries every surface may call
(the writes are in `audiences.service` and `marketplace.audience_builder`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.audiences.models import Audience, AudienceMember
from sparkads.errors import SparkadsError


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


def get_audiences(
    session: Session, *, advertiser_id: str, audience_ids: Sequence[str], field: str
) -> list[Audience]:
    """The audiences in the order asked, or audience_not_found naming the unknown ids."""
    found = find_audiences(session, advertiser_id=advertiser_id, audience_ids=audience_ids)
    missing = [i for i in dict.fromkeys(audience_ids) if i not in found]
    if missing:
        raise SparkadsError("audience_not_found", field=field, ids=", ".join(missing))
    return [found[i] for i in dict.fromkeys(audience_ids)]


def list_audiences(session: Session, *, advertiser_id: str) -> Sequence[Audience]:
    return session.scalars(
        select(Audience)
        .where(Audience.advertiser_id == advertiser_id)
        .order_by(Audience.created_at.desc(), Audience.audience_id)
    ).all()


def dependants(session: Session, audience: Audience) -> Sequence[Audience]:
    """Lookalikes built on this audience (refreshed after it)."""
    return session.scalars(
        select(Audience).where(Audience.source_audience_id == audience.audience_id)
    ).all()


def member_ids(session: Session, audience_id: str) -> list[str]:
    return list(
        session.scalars(
            select(AudienceMember.viewer_id).where(AudienceMember.audience_id == audience_id)
        )
    )
