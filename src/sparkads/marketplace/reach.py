"""An ad group's audience size estimate: how many viewers of the sandbox population its targeting
accepts, within its included audiences and outside its excluded ones.

Cheap enough to render on every adgroup/get row: the population is generated once per process,
a targeting's match is cached by its JSON, and an audience's members by (audience, revision)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from functools import cache, lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sparkads.audiences.models import Audience
from sparkads.audiences.service import member_ids
from sparkads.delivery.compile import geography
from sparkads.delivery.targeting import Geography
from sparkads.marketplace import viewers

_members: dict[tuple[str, int], NDArray[np.bool_]] = {}
MAX_CACHED_AUDIENCES = 256


@cache
def _geo() -> Geography:
    return geography()


@lru_cache(maxsize=128)
def _matching(targeting_json: str) -> NDArray[np.bool_]:
    return viewers.population().matching(json.loads(targeting_json), _geo())


def _in_any(session: Session, audience_ids: list[str], now: datetime) -> NDArray[np.bool_]:
    """Population viewers in at least one of these (unexpired) audiences."""
    people = viewers.population()
    mask = np.zeros(people.size, np.bool_)
    rows = session.execute(
        select(Audience.audience_id, Audience.revision).where(
            Audience.audience_id.in_(audience_ids),
            or_(Audience.expires_at.is_(None), Audience.expires_at > now),
        )
    )
    for audience_id, revision in rows:
        key = (audience_id, revision)
        members = _members.get(key)
        if members is None:
            members = np.zeros(people.size, np.bool_)
            members[viewers.population_indices(member_ids(session, key[0]))] = True
            if len(_members) >= MAX_CACHED_AUDIENCES:
                _members.clear()
            _members[key] = members
        mask |= members
    return mask


def audience_size_estimate(
    session: Session | None, targeting: Mapping[str, Any], now: datetime
) -> int | None:
    """Viewers of the sandbox population this targeting reaches (None without a session)."""
    if session is None:
        return None
    mask = _matching(json.dumps(dict(targeting), sort_keys=True))
    included = list(targeting.get("audience_ids") or [])
    excluded = list(targeting.get("excluded_audience_ids") or [])
    if included:
        mask = mask & _in_any(session, included, now)
    if excluded:
        mask = mask & ~_in_any(session, excluded, now)
    return int(mask.sum())
