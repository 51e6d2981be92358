"""Pure rules on posts: can this post be sponsored (R12, R15), and how TikTok names its status."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sparkads.attributes import from_attributes
from sparkads.i18n import N_, LocalText
from sparkads.posts.models import Post, PostFormat, PostStatus, Visibility

SPARK_DURATION_BEST_PRACTICE = (9.0, 15.0)  # R16: seconds
# how an error says a post's visibility ("…; this one is private."), in the reader's language
VISIBILITY = {
    "PUBLIC": N_("public"),
    "FRIENDS": N_("visible to friends only"),
    "PRIVATE": N_("private"),
}


@dataclass(frozen=True)
class PostFacts:
    status: str
    format: str
    visibility: str
    ads_only: bool
    status_reason: str = ""


def facts(post: Post) -> PostFacts:
    return from_attributes(PostFacts, post)


def unavailable_params(post: PostFacts) -> dict[str, str]:
    """`video_unavailable` for this post: a takedown gives its non-compliance cause (EN/FR)."""
    if post.status == PostStatus.TAKEN_DOWN:
        return {"because": "post_non_compliant", "reason": post.status_reason or "content policy"}
    return {}


def spark_blocker(post: PostFacts) -> tuple[str, Mapping[str, object]] | None:
    """The first reason this post cannot be a Spark ad, as (error code, params), or None.

    Order matters: a deleted post is unavailable whatever its format; format errors come before
    visibility because making a story public would not help."""
    if post.status != PostStatus.ACTIVE:
        return "video_unavailable", unavailable_params(post)
    if post.format == PostFormat.CAROUSEL_DUET:
        return "carousel_duet_not_supported", {}
    if post.format == PostFormat.STORY:
        return "story_not_supported", {}
    if post.visibility != Visibility.PUBLIC and not post.ads_only:
        return "not_public_video", {"visibility": LocalText(VISIBILITY[post.visibility])}
    return None


def tiktok_item_status(post: PostFacts, prefixed: bool = False) -> str:
    """TikTok's item status: tt_video/* uses bare names, identity/video/* the ITEM_STATUS_ family."""
    if post.status == PostStatus.DELETED:
        bare = "USER_DELETE"
    elif post.status == PostStatus.TAKEN_DOWN:
        bare = "AUDIT_DELETE"
    elif post.visibility == Visibility.PRIVATE:
        bare = "ONLY_AUTHOR_SEE"
    elif post.visibility == Visibility.FRIENDS:
        bare = "ONLY_FRIEND_SEE"
    else:
        bare = "HESITATE_RECOMMEND"
    return f"ITEM_STATUS_{bare}" if prefixed else bare


def outside_best_duration(duration: float | None) -> bool:
    low, high = SPARK_DURATION_BEST_PRACTICE
    return duration is not None and not low <= duration <= high
