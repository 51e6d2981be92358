""" "Better post available": a library post truly better than the running one, compared like with
like, named by its caption with the engagement figures behind the comparison."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from sparkads.campaigns.models import Ad
from sparkads.i18n import N_
from sparkads.posts.models import Post
from sparkads.reporting.recommendation_texts import (
    Recommendation,
    count,
    in_words,
    percent,
    quoted,
    said,
)

BETTER_POST_FACTOR = 1.5
BETTER_POST_MIN_VIEWS = 1_000  # organic views of each post, below which no "better post" card


def better_post(running: dict[str, Any], library: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The library post truly better than the running one, if any: compared like with like (a post
    of the same sector: a fitness post is no replacement in a beauty campaign), its organic score
    at least BETTER_POST_FACTOR times the running post's, and, when both have run as ads, a click
    rate at least as good."""
    found = [
        p
        for p in library
        if p["item_id"] != running["item_id"]
        and p.get("sector") == running.get("sector")
        and p["organic"] >= BETTER_POST_FACTOR * max(running["organic"], 1e-9)
        and (p["ctr"] is None or running["ctr"] is None or p["ctr"] >= running["ctr"])
    ]
    return max(found, key=lambda p: p["organic"]) if found else None


def better_post_item(
    session: Session, ad: Ad, post: Post, running: dict[str, Any], better: dict[str, Any]
) -> Recommendation | None:
    """ "Better post available", with both posts named by their captions and the organic
    engagement counted over each one's views; none below BETTER_POST_MIN_VIEWS views apiece."""
    other = session.get_one(Post, better["item_id"])
    if min(post.organic_views, other.organic_views) < BETTER_POST_MIN_VIEWS:
        return None

    def basis(lang: str) -> str:
        return in_words(
            lang,
            N_("{better}: {better_rate} likes, comments and shares over {better_views} organic "
               "views, vs {running_rate} over {running_views} for the running {running}."),
            better=quoted(other.caption, lang), better_rate=percent(better["organic"], lang),
            better_views=count(other.organic_views, lang), running=quoted(post.caption, lang),
            running_rate=percent(running["organic"], lang),
            running_views=count(post.organic_views, lang),
        )  # fmt: skip

    evidence = {
        "running_post": post.caption, "running_engagement": round(running["organic"], 5),
        "running_views": post.organic_views, "better_post": other.caption,
        "better_engagement": round(better["organic"], 5), "better_views": other.organic_views,
        "running_item_id": post.item_id, "better_item_id": other.item_id,
    }  # fmt: skip
    action: dict[str, object] = {
        "type": "replace_post",
        "ad_id": ad.ad_id,
        "item_id": other.item_id,
    }
    return Recommendation("ad", ad.ad_id, ad.ad_name, "better_post_available",
                          *said("better_post_available"), evidence, action,
                          basis("en"), basis("fr"))  # fmt: skip
