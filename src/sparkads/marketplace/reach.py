"""An ad group's audience size estimate: how many distinct viewers seen in the traffic of the
last 30 days its targeting accepts, within its included audiences and outside its excluded ones
(`traffic.store.estimate`: exact over the stored profiles; 1 to 99 is never shown)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sparkads.audiences.models import Audience
from sparkads.audiences.service import member_ids
from sparkads.delivery.compile import geography
from sparkads.delivery.targeting import Geography
from sparkads.traffic.store import AudienceEstimate, estimate

_members: dict[tuple[str, int], frozenset[str]] = {}
MAX_CACHED_AUDIENCES = 256


@cache
def _geo() -> Geography:
    return geography()


def members(session: Session, audience_ids: list[str], now: datetime) -> list[frozenset[str]]:
    """Members (viewer keys) of each of these unexpired audiences, cached by revision."""
    rows = session.execute(
        select(Audience.audience_id, Audience.revision).where(
            Audience.audience_id.in_(audience_ids),
            or_(Audience.expires_at.is_(None), Audience.expires_at > now),
        )
    )
    found = []
    for audience_id, revision in rows:
        key = (audience_id, revision)
        keys = _members.get(key)
        if keys is None:
            keys = frozenset(member_ids(session, audience_id))
            if len(_members) >= MAX_CACHED_AUDIENCES:
                _members.clear()
            _members[key] = keys
        found.append(keys)
    return found


def audience_estimate(
    session: Session, targeting: Mapping[str, Any], now: datetime
) -> AudienceEstimate:
    included = list(targeting.get("audience_ids") or [])
    excluded = list(targeting.get("excluded_audience_ids") or [])
    return estimate(
        session,
        lambda columns: columns.matching(targeting, _geo()),
        now,
        (members(session, included, now) or [frozenset()]) if included else None,
        (members(session, excluded, now) or None) if excluded else None,
    )


def audience_size_estimate(
    session: Session | None, targeting: Mapping[str, Any], now: datetime
) -> int | None:
    """Viewers this targeting reaches, or None without a session, without traffic, or when
    between 1 and 99 (too few to show)."""
    if session is None:
        return None
    return audience_estimate(session, targeting, now).size
