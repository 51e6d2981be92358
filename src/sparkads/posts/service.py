"""Post services: publish, edit (caption lock, R7), delete, take down, and the R8 visibility switch.
Functions take a session and a clock and never commit."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sparkads.accounts.service import get_creator
from sparkads.attributes import from_attributes
from sparkads.clock import Clock, format_rfc3339
from sparkads.errors import SparkadsError
from sparkads.ids import new_id
from sparkads.posts.commands import NewPost, PostChange
from sparkads.posts.models import Post, PostHistory, PostStatus, Visibility
from sparkads.posts.rules import facts as facts  # re-exported: campaigns.ads reads it here
from sparkads.posts.rules import unavailable_params


def unavailable(post: Post) -> SparkadsError:
    """Why a post that is not ACTIVE cannot be used: deleted, or taken down as non-compliant."""
    return SparkadsError("video_unavailable", **unavailable_params(facts(post)))


def record(session: Session, clock: Clock, post: Post, kind: str, **detail: object) -> None:
    session.add(PostHistory(item_id=post.item_id, at=clock.now(), kind=kind, detail=detail))


def publish_post(session: Session, clock: Clock, *, creator_id: str, data: NewPost) -> Post:
    get_creator(session, creator_id)
    if data.original_item_id is not None:
        get_post(session, data.original_item_id)
    now = clock.now()
    post = from_attributes(
        Post,
        data,  # its caption, duration, size in pixels and bytes, ads-only flag and original
        item_id=new_id(),
        creator_id=creator_id,
        item_type=data.item_type.value,
        format=data.format.value,
        visibility=data.visibility.value,
        music_title=data.music.title if data.music else None,
        music_cleared=bool(data.music and data.music.cleared_for_commercial_use),
        anchors=[a.stored() for a in data.anchors],
        images=[i.stored() for i in data.images],
        organic_views=data.organic.views,
        organic_likes=data.organic.likes,
        organic_comments=data.organic.comments,
        organic_shares=data.organic.shares,
        published_at=now,
        updated_at=now,
    )
    session.add(post)
    session.flush()
    record(session, clock, post, "published", visibility=post.visibility, ads_only=post.ads_only)
    return post


def find_post(session: Session, item_id: str) -> Post | None:
    return session.get(Post, str(item_id))


def get_post(session: Session, item_id: str) -> Post:
    post = find_post(session, item_id)
    if post is None:
        raise SparkadsError("post_not_found", item_id=item_id)
    return post


def get_own_post(session: Session, *, creator_id: str, item_id: str) -> Post:
    """A creator's own post; someone else's answers not found, so ids cannot be probed."""
    post = find_post(session, item_id)
    if post is None or post.creator_id != creator_id:
        raise SparkadsError("post_not_found", item_id=item_id)
    return post


def list_posts(
    session: Session,
    *,
    creator_id: str,
    include_deleted: bool = False,
    offset: int = 0,
    limit: int = 50,
) -> tuple[Sequence[Post], int]:
    query = select(Post).where(Post.creator_id == creator_id)
    if not include_deleted:
        query = query.where(Post.status == PostStatus.ACTIVE.value)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(Post.published_at.desc(), Post.item_id).offset(offset).limit(limit)
    ).all()
    return rows, total


def _require_editable(post: Post) -> None:
    if post.status != PostStatus.ACTIVE:
        raise SparkadsError("post_deleted", item_id=post.item_id)


def edit_post(
    session: Session, clock: Clock, *, creator_id: str, item_id: str, update: PostChange
) -> Post:
    post = get_own_post(session, creator_id=creator_id, item_id=item_id)
    _require_editable(post)
    if update.caption is not None and update.caption != post.caption:
        if post.caption_locked_at is not None:
            raise SparkadsError("caption_locked", locked_at=format_rfc3339(post.caption_locked_at))
        record(session, clock, post, "caption_edited", before=post.caption, after=update.caption)
        post.caption = update.caption
    if update.visibility is not None and update.visibility.value != post.visibility:
        _set_visibility(session, clock, post, update.visibility, by="creator")
    if update.anchors is not None:
        post.anchors = [a.stored() for a in update.anchors]
    post.updated_at = clock.now()
    session.flush()
    return post


def _set_visibility(
    session: Session, clock: Clock, post: Post, visibility: Visibility, **why: str
) -> None:
    """A post's new visibility, kept in its history with who or what changed it."""
    record(
        session,
        clock,
        post,
        "visibility_changed",
        before=post.visibility,
        after=visibility.value,
        **why,
    )
    post.visibility = visibility.value


def delete_post(session: Session, clock: Clock, *, creator_id: str, item_id: str) -> Post:
    post = get_own_post(session, creator_id=creator_id, item_id=item_id)
    _require_editable(post)
    post.status = PostStatus.DELETED.value
    post.updated_at = clock.now()
    record(session, clock, post, "deleted", by="creator")
    session.flush()
    return post


def take_down_post(session: Session, clock: Clock, *, item_id: str, reason: str) -> Post:
    """An operator removes a post for breaking policy; every authorization on it stops working."""
    post = get_post(session, item_id)
    _require_editable(post)
    post.status = PostStatus.TAKEN_DOWN.value
    post.status_reason = reason[:300]
    post.updated_at = clock.now()
    record(session, clock, post, "taken_down", reason=post.status_reason)
    session.flush()
    return post


def lock_caption(session: Session, clock: Clock, post: Post, *, because: str) -> None:
    """R7: once a post is authorized for ads, its caption is frozen."""
    if post.caption_locked_at is None:
        post.caption_locked_at = clock.now()
        record(session, clock, post, "caption_locked", because=because)


def make_public_for_promotion(session: Session, clock: Clock, post: Post, *, ad_ref: str) -> bool:
    """R8: an own private post that gets promoted becomes public, unless it is ads-only.

    Returns whether the visibility changed; the change is kept in the post's history."""
    if post.ads_only or post.visibility == Visibility.PUBLIC:
        return False
    _set_visibility(session, clock, post, Visibility.PUBLIC, by="promotion", ad=ad_ref)
    post.updated_at = clock.now()
    session.flush()
    return True


def history(session: Session, item_id: str) -> Sequence[PostHistory]:
    return session.scalars(
        select(PostHistory).where(PostHistory.item_id == item_id).order_by(PostHistory.id)
    ).all()
