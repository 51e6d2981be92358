"""Domain objects in the v1.3 wire shapes (reference §3.1, §3.6, §3.8)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sparkads.accounts.models import Creator
from sparkads.authorizations.code_states import code_state
from sparkads.authorizations.models import CustomIdentity, Identity, IdentityType
from sparkads.clock import format_rfc3339
from sparkads.posts.models import Post
from sparkads.posts.rules import facts, tiktok_item_status
from sparkads.services.authorizations import SparkPost


def media_url(base: str, post: Post, name: str) -> str:
    return f"{base}/media/posts/{post.item_id}/{name}"


def avatar_url(base: str, creator: Creator) -> str:
    return f"{base}/media/creators/{creator.creator_id}/avatar.svg"


def video_info(post: Post, base: str) -> dict[str, object] | None:
    if post.item_type != "VIDEO":
        return None
    size = post.size_bytes or int((post.duration or 0) * 250_000)
    return {
        "video_id": f"v10033g50000{post.item_id}",
        "file_name": f"{post.item_id}.mp4",
        "duration": post.duration,
        "width": post.width,
        "height": post.height,
        "size": size,
        "bit_rate": int(size * 8 / post.duration) if post.duration else 0,
        "poster_url": media_url(base, post, "poster.svg"),
        "preview_url": media_url(base, post, "poster.svg"),
        "signature": hashlib.md5(post.item_id.encode(), usedforsecurity=False).hexdigest(),
        "format": "mp4",
    }


def carousel_info(post: Post) -> dict[str, object] | None:
    if post.item_type != "CAROUSEL":
        return None
    return {
        "image_info": [
            {
                "image_url": image["url"],
                "image_width": image["width"],
                "image_height": image["height"],
            }
            for image in post.images
        ],
        "music_info": {"music_url": "", "music_duration": 0, "music_title": post.music_title},
    }


def _anchors(post: Post) -> list[dict[str, object]] | None:
    if not post.anchors:
        return None
    return [
        {
            "id": str(index),
            "anchor_id": str(index),
            "title": anchor.get("title"),
            "status": "CHECK_SUCCESS",
            "url": anchor.get("url"),
            "product_regions": [],
        }
        for index, anchor in enumerate(post.anchors, start=1)
    ]


def _item_fields(post: Post, base: str, prefixed: bool) -> dict[str, object]:
    return {
        "item_id": post.item_id,
        "item_type": post.item_type,
        "text": post.caption,
        "status": tiktok_item_status(facts(post), prefixed=prefixed),
        "stitch_original_item_id": post.original_item_id if post.format == "STITCH" else None,
        "duet_original_item_id": post.original_item_id
        if post.format in ("DUET", "CAROUSEL_DUET")
        else None,
        "is_multi_duet_stitch": False,
        "mentioned_item_ids": [],
        "anchor_list": _anchors(post),
        "carousel_info": carousel_info(post),
        "is_ads_only": post.ads_only,
    }


def auth_info(spark: SparkPost, now: datetime) -> dict[str, object] | None:
    code, item = spark.spark_code, spark.library_item
    if code is None or item is None:
        return None
    return {
        "ad_auth_status": code_state(code, now).value,
        "auth_start_time": format_rfc3339(code.starts_at),
        "auth_end_time": format_rfc3339(code.ends_at),
        "invite_start_time": format_rfc3339(item.bound_at),
        "authorization_days": code.duration_days,
    }


def spark_post(
    spark: SparkPost, *, base: str, now: datetime, auth_code: str | None = None
) -> dict[str, object]:
    """tt_video/info and tt_video/list: {item_info, auth_info, user_info, video_info}.

    The code itself is never stored, so item_info.auth_code echoes the code given to tt_video/info
    and shows a recognisable hint elsewhere."""
    item_info = _item_fields(spark.post, base, prefixed=False)
    item_info["auth_code"] = auth_code or (spark.spark_code.code_hint if spark.spark_code else None)
    identity = spark.identity
    return {
        "item_info": item_info,
        "auth_info": auth_info(spark, now),
        "user_info": {
            "identity_id": identity.identity_id if identity else None,
            "identity_type": identity.identity_type if identity else None,
            "tiktok_name": spark.creator.display_name,
            "user_name": spark.creator.handle,
            "profile_image": avatar_url(base, spark.creator),
        },
        "video_info": video_info(spark.post, base),
    }


def post_info(spark: SparkPost, *, base: str, now: datetime) -> dict[str, object]:
    """identity/video/get and identity/video/info: item fields flattened, ITEM_STATUS_* names."""
    info = _item_fields(spark.post, base, prefixed=True)
    info["auth_info"] = auth_info(spark, now)
    info["video_info"] = video_info(spark.post, base)
    return info


def custom_identity(identity: CustomIdentity) -> dict[str, object]:
    """A CUSTOMIZED_USER identity: no account behind it, so no posts to pull or push."""
    return {
        "identity_id": identity.identity_id,
        "identity_type": "CUSTOMIZED_USER",
        "identity_authorized_bc_id": None,
        "display_name": identity.display_name,
        "user_name": None,
        "username": None,
        "profile_image": identity.image_uri or None,
        "available_status": "AVAILABLE",
        "can_pull_video": False,
        "can_push_video": False,
        "can_use_live_ads": False,
        "can_manage_message": False,
        "ads_only_mode": False,
        "is_gpppa": False,
    }


def identity(identity: Identity, creator: Creator, *, base: str) -> dict[str, object]:
    ended = identity.ended_at is not None
    account = identity.identity_type != IdentityType.AUTH_CODE.value
    return {
        "identity_id": identity.identity_id,
        "identity_type": identity.identity_type,
        "identity_authorized_bc_id": identity.bc_id,
        "display_name": creator.display_name,
        "user_name": creator.handle,
        "username": creator.handle,
        "profile_image": avatar_url(base, creator),
        "available_status": "NO_VALID_BIND_ACCOUNT" if ended else "AVAILABLE",
        "can_pull_video": not ended,
        "can_push_video": account and not ended,
        "can_use_live_ads": False,
        "can_manage_message": False,
        "ads_only_mode": False,
        "is_gpppa": False,
    }
