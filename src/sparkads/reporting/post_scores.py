"""The ranking of an advertiser's library posts as Spark ads: organic engagement, length (R16)
and the click rate a post earned when it ran."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser, Creator
from sparkads.authorizations.models import LibraryItem
from sparkads.campaigns.models import Ad
from sparkads.posts.models import Post, PostStatus
from sparkads.posts.rules import outside_best_duration
from sparkads.reporting.models import AdDayRollup


def engagement_rate(post: Post) -> float:
    views = max(post.organic_views, 1)
    return (post.organic_likes + post.organic_comments + post.organic_shares) / views


def score_post(post: Post, ctr: float | None = None) -> tuple[float, list[str]]:
    """Expected performance of a post as a Spark ad: organic engagement, length (R16), and the
    click rate it earned when it ran, if it did."""
    rate = engagement_rate(post)
    reasons = [f"organic engagement {rate:.1%}"]
    score = rate
    if post.item_type == "VIDEO" and outside_best_duration(post.duration):
        score *= 0.8
        reasons.append(f"{post.duration:g} s is outside 9–15 s (×0.8)")
    if ctr is not None:
        score *= 1 + 50 * ctr
        reasons.append(f"CTR {ctr:.2%} when it ran")
    return score, reasons


def score_library(session: Session, advertiser: Advertiser) -> list[dict[str, Any]]:
    items = session.scalars(
        select(LibraryItem).where(
            LibraryItem.advertiser_id == advertiser.advertiser_id, LibraryItem.unbound_at.is_(None)
        )
    )
    ctrs = _ctr_by_item(session, advertiser.advertiser_id)
    ranked = []
    for item in items:
        post = session.get(Post, item.item_id)
        if post is None or post.status != PostStatus.ACTIVE:
            continue
        score, reasons = score_post(post, ctrs.get(post.item_id))
        ranked.append(
            {
                "item_id": post.item_id,
                "caption": post.caption,
                "score": round(score, 5),
                "reasons": reasons,
                "organic": score_post(post)[0],
                "ctr": ctrs.get(post.item_id),
                "sector": sector_of(session, post),
            }
        )
    return sorted(ranked, key=lambda row: -row["score"])


def sector_of(session: Session, post: Post) -> str | None:
    creator = session.get(Creator, post.creator_id)
    return creator.sector if creator is not None else None


def _ctr_by_item(session: Session, advertiser_id: str) -> dict[str, float]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for item_id, impressions, clicks in session.execute(
        select(Ad.tiktok_item_id, AdDayRollup.impressions, AdDayRollup.clicks)
        .join(Ad, Ad.ad_id == AdDayRollup.ad_id)
        .where(AdDayRollup.advertiser_id == advertiser_id)
    ):
        totals[item_id][0] += impressions
        totals[item_id][1] += clicks
    return {item: clicks / shown for item, (shown, clicks) in totals.items() if shown >= 100}
