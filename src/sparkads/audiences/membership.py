"""Audience memberships for the delivery snapshot: viewer id → ids of the audiences they are in.

Only audiences that live ad groups include or exclude are loaded, expired ones never. The snapshot
is rebuilt after every write, so the result is cached per (audience, revision): an unchanged set of
audiences costs one small query, and only an audience whose members changed is read again.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sparkads.audiences.models import Audience, AudienceMember

Key = tuple[str, int]  # (audience_id, revision)
Members = dict[str, frozenset[str]]

_lock = threading.Lock()
_members: dict[Key, tuple[str, ...]] = {}
_last: tuple[frozenset[Key], Members] = (frozenset(), {})


def _live_keys(session: Session, audience_ids: set[str], now: datetime) -> frozenset[Key]:
    rows = session.execute(
        select(Audience.audience_id, Audience.revision).where(
            Audience.audience_id.in_(audience_ids),
            or_(Audience.expires_at.is_(None), Audience.expires_at > now),
        )
    )
    return frozenset((audience_id, revision) for audience_id, revision in rows)


def _read(session: Session, audience_id: str) -> tuple[str, ...]:
    return tuple(
        session.scalars(
            select(AudienceMember.viewer_id).where(AudienceMember.audience_id == audience_id)
        )
    )


def memberships(session: Session, audience_ids: Iterable[str], now: datetime) -> Members:
    """Who belongs to which of these audiences, as the engine reads it (`audience_members`)."""
    global _last, _members
    wanted = set(audience_ids)
    if not wanted:
        return {}
    keys = _live_keys(session, wanted, now)
    with _lock:
        if keys == _last[0]:
            return _last[1]
        loaded = {key: _members.get(key) or _read(session, key[0]) for key in keys}
        by_viewer: defaultdict[str, set[str]] = defaultdict(set)
        for (audience_id, _revision), viewers in loaded.items():
            for viewer_id in viewers:
                by_viewer[viewer_id].add(audience_id)
        result = {viewer: frozenset(ids) for viewer, ids in by_viewer.items()}
        _members = loaded  # keep only what live ad groups still use
        _last = (keys, result)
        return result
