"""Errors of posts. Posts: which posts can be sponsored, and posts that are gone.

Declared with `sparkads.errors.declare`; their French is in the catalogue (`sparkads.i18n`).
"""

from __future__ import annotations

from sparkads.errors import Family, declare
from sparkads.i18n import N_

declare(
    "video_unavailable",
    Family.INVALID,
    40002,
    N_("The post is no longer available."),
    N_("The creator deleted the post, or it was taken down for breaking the content policy."),
    N_("Ask the creator for a code on another post that is still online."),
)

declare(
    "not_public_video",
    Family.INVALID,
    40002,
    N_("The post is not public."),
    N_(
        "Only public posts, or posts published for ads only, can be sponsored; this one is {visibility}."
    ),
    N_("Ask the creator to make the post public, then apply the code again."),
)

declare(
    "carousel_duet_not_supported",
    Family.INVALID,
    40002,
    N_("Carousel duets cannot be used as Spark ads."),
    N_("The post is a duet made with a photo carousel, a format Spark ads do not support."),
    N_("Choose a video post, a regular carousel or a video duet instead."),
)

declare(
    "story_not_supported",
    Family.INVALID,
    40002,
    N_("Stories cannot be used as Spark ads."),
    N_("The post is a story, a format Spark ads do not support."),
    N_("Ask the creator for a code on an in-feed post."),
)

declare(
    "caption_locked",
    Family.CONFLICT,
    40002,
    N_("The caption can no longer be edited."),
    N_(
        "The post was authorized for ads on {locked_at}; its caption is locked so sponsored and organic views show the same post."
    ),
    N_("Publish a new post with the new caption and authorize that one."),
)

declare(
    "post_not_found",
    Family.NOT_FOUND,
    40007,
    N_("Post {item_id} does not exist."),
    N_("No post with this id is visible to you."),
    N_("Check the item_id, or list the posts available to you."),
)

declare(
    "post_deleted",
    Family.CONFLICT,
    40002,
    N_("Post {item_id} was deleted."),
    N_("Deleted or taken down posts cannot be changed."),
    N_("Publish a new post instead."),
)

declare(
    "post_non_compliant",
    Family.CONFLICT,
    40002,
    N_("The post was taken down as non-compliant."),
    N_("A platform operator took it down for breaking the content policy: {reason}."),
    N_("Use another post; the creator can appeal the takedown in Creator Studio."),
)
