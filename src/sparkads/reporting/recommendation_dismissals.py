"""Dismissed recommendations, per advertiser: a dismissed card stays dismissed while its evidence
holds; it comes back when it changes materially, that is when what the card says or proposes
changes (another date, length band, suggested post or budget: `signature`) or when the spend it
affects over the last 7 days grows by half and by at least one unit of the currency
(COMES_BACK_GROWTH, COMES_BACK_MIN)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.money import to_micros
from sparkads.reporting.models import RecommendationDismissal
from sparkads.reporting.recommendation_texts import Recommendation

COMES_BACK_GROWTH = 1.5
COMES_BACK_MIN = 1_000_000  # micros: one unit of the currency


def dismissal_id(object_id: str, kind: str) -> str:
    return f"{object_id}:{kind}"


def signature(item: Recommendation) -> str:
    """What the card says and proposes, as a digest: its English sentence (with its date, band,
    days…) and its action (post, budget)."""
    said = json.dumps([item.message, item.action], sort_keys=True, default=str)
    return hashlib.sha256(said.encode()).hexdigest()


def _spend(item: Recommendation) -> int:
    return to_micros(item.spend_affected)


def still_dismissed(item: Recommendation, row: RecommendationDismissal) -> bool:
    grown = _spend(item) - row.spend_affected
    material = grown >= COMES_BACK_MIN and _spend(item) > COMES_BACK_GROWTH * row.spend_affected
    return row.signature == signature(item) and not material


def mark_dismissed(session: Session, advertiser_id: str, items: list[Recommendation]) -> None:
    """Set each card's `dismissed` flag, and put the dismissed ones after the others (each part in
    its order)."""
    rows = {
        row.dismissal_id: row
        for row in session.scalars(
            select(RecommendationDismissal).where(
                RecommendationDismissal.advertiser_id == advertiser_id
            )
        )
    }
    for item in items:
        row = rows.get(dismissal_id(item.object_id, item.kind))
        item.dismissed = row is not None and still_dismissed(item, row)
    items.sort(key=lambda item: item.dismissed)


def dismiss(session: Session, advertiser_id: str, item: Recommendation, now: datetime) -> None:
    """Dismiss this card as it reads now (dismissing it again after it came back renews it)."""
    key = dismissal_id(item.object_id, item.kind)
    row = session.get(RecommendationDismissal, key) or RecommendationDismissal(dismissal_id=key)
    row.advertiser_id, row.level, row.object_id, row.kind = (
        advertiser_id, item.level, item.object_id, item.kind,
    )  # fmt: skip
    row.signature, row.spend_affected, row.dismissed_at = signature(item), _spend(item), now
    session.add(row)


def undo(session: Session, advertiser_id: str, object_id: str, kind: str) -> bool:
    """Show a dismissed card again; False when it was not dismissed."""
    row = session.get(RecommendationDismissal, dismissal_id(object_id, kind))
    if row is None or row.advertiser_id != advertiser_id:
        return False
    session.delete(row)
    return True
