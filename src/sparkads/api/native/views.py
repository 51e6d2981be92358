"""Domain rows as native API models."""

from __future__ import annotations

from datetime import datetime

from sparkads.api.native.schemas import AccessRequestRead, AuthorizationRead, PostRead
from sparkads.attributes import from_attributes
from sparkads.authorizations.code_states import code_state
from sparkads.authorizations.models import SparkCode
from sparkads.authorizations.qr import accept_link
from sparkads.clock import as_utc
from sparkads.posts.models import Post
from sparkads.services.authorizations import AccessView


def post_read(post: Post) -> PostRead:
    music = (
        {"title": post.music_title, "cleared_for_commercial_use": post.music_cleared}
        if post.music_title
        else None
    )
    return from_attributes(
        PostRead,
        post,
        music=music,
        status_reason=post.status_reason if post.status == "TAKEN_DOWN" else "",
        caption_locked=post.caption_locked_at is not None,
        organic={
            "views": post.organic_views,
            "likes": post.organic_likes,
            "comments": post.organic_comments,
            "shares": post.organic_shares,
        },
        paid={
            "views": post.paid_views,
            "likes": post.paid_likes,
            "comments": post.paid_comments,
            "shares": post.paid_shares,
            "profile_visits": post.paid_profile_visits,
        },
        published_at=as_utc(post.published_at),
        updated_at=as_utc(post.updated_at),
    )


def authorization_read(row: SparkCode, now: datetime) -> AuthorizationRead:
    return from_attributes(
        AuthorizationRead,
        row,
        starts_at=as_utc(row.starts_at),
        ends_at=as_utc(row.ends_at),
        revoked_at=as_utc(row.revoked_at) if row.revoked_at else None,
        status=code_state(row, now).value,
    )


def access_read(view: AccessView, base: str) -> AccessRequestRead:
    request, bc, advertiser, creator = (
        view.request,
        view.business_center,
        view.advertiser,
        view.creator,
    )
    api = f"{base}/api/v1/access-requests/{request.request_id}"
    return AccessRequestRead(
        request_id=request.request_id,
        kind=request.kind,
        status=request.status,
        business_center={"bc_id": bc.bc_id, "name": bc.name} if bc else None,
        advertiser=(
            {"advertiser_id": advertiser.advertiser_id, "name": advertiser.name}
            if advertiser
            else None
        ),
        creator_handle=creator.handle if creator else None,
        message=request.message,
        link=accept_link(base, request.request_id),
        qr_png_url=f"{api}/qr.png",
        qr_svg_url=f"{api}/qr.svg",
        identity_id=request.identity_id,
        created_at=as_utc(request.created_at),
        decided_at=as_utc(request.decided_at) if request.decided_at else None,
        ended_at=as_utc(request.ended_at) if request.ended_at else None,
    )
