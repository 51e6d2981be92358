"""Reading the creative library (R10): the posts a code put in an ad account's library, searched
and paged, and the posts behind each identity. Read-only queries: every surface may call them; the
writes (apply a code, unbind) are in `authorizations.library`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser, Creator
from sparkads.authorizations.code_states import check_usable
from sparkads.authorizations.identities import require_active
from sparkads.authorizations.models import Identity, IdentityType, LibraryItem, SparkCode
from sparkads.authorizations.spark_codes import post_of, resolve_code
from sparkads.clock import Clock, as_utc
from sparkads.errors import SparkadsError
from sparkads.posts.models import Post, PostStatus

MAX_OFFSET = 1_000_000_000
LATEST_CURSOR = 4_102_444_800_000_000  # 2100-01-01 in unix microseconds


@dataclass(frozen=True)
class SparkPost:
    """A post as the library shows it: the post, its creator, and how this advertiser reaches it."""

    post: Post
    creator: Creator
    identity: Identity | None
    spark_code: SparkCode | None
    library_item: LibraryItem | None


def spark_post(session: Session, item: LibraryItem) -> SparkPost:
    post = session.get_one(Post, item.item_id)
    return SparkPost(
        post=post,
        creator=session.get_one(Creator, post.creator_id),
        identity=session.get_one(Identity, item.identity_id),
        spark_code=session.get_one(SparkCode, item.authorization_id),
        library_item=item,
    )


def bound_items(advertiser: Advertiser) -> Select[LibraryItem]:
    return select(LibraryItem).where(
        LibraryItem.advertiser_id == advertiser.advertiser_id, LibraryItem.unbound_at.is_(None)
    )


def info_by_code(
    session: Session, clock: Clock, *, advertiser: Advertiser, auth_code: str
) -> SparkPost:
    """tt_video/info: the library entry put there by this code (its state may have changed)."""
    spark_code = resolve_code(session, auth_code)
    item = session.scalar(
        bound_items(advertiser).where(LibraryItem.authorization_id == spark_code.authorization_id)
    )
    if item is None:
        check_usable(spark_code, post_of(session, spark_code), clock.now())
        raise SparkadsError("auth_code_not_applied")
    return spark_post(session, item)


def _keyword_filter(keyword: str) -> list[ColumnElement[bool]]:
    keyword = keyword.strip()
    if len(keyword) >= 19 and keyword.isdigit():
        return [Post.item_id == keyword]
    return [func.lower(Post.caption).contains(word) for word in keyword.lower().split()]


def list_library(
    session: Session,
    *,
    advertiser: Advertiser,
    item_types: Sequence[str],
    keyword: str | None,
    offset: int,
    limit: int,
) -> tuple[list[SparkPost], int]:
    """tt_video/list: posts in the library, newest binding first, filtered by type and keyword."""
    query = (
        bound_items(advertiser)
        .join(Post, Post.item_id == LibraryItem.item_id)
        .where(Post.item_type.in_(list(item_types)))
    )
    if keyword:
        query = query.where(*_keyword_filter(keyword))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(LibraryItem.bound_at.desc(), LibraryItem.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return [spark_post(session, item) for item in rows], total


def identity_posts(
    session: Session,
    *,
    advertiser: Advertiser,
    identity: Identity,
    item_type: str,
    keyword: str | None,
    exclude_adsonly: bool,
    cursor: str | None,
    count: int,
) -> tuple[list[SparkPost], str, bool]:
    """identity/video/get: posts behind an identity, newest first, with TikTok's cursor: an offset
    for AUTH_CODE, the last post's publication time (unix microseconds) for account identities."""
    require_active(identity)
    if identity.identity_type == IdentityType.AUTH_CODE:
        query = (
            bound_items(advertiser)
            .join(Post, Post.item_id == LibraryItem.item_id)
            .where(LibraryItem.identity_id == identity.identity_id, Post.item_type == item_type)
        )
        if keyword:
            query = query.where(*_keyword_filter(keyword))
        offset = min(int(cursor), MAX_OFFSET) if cursor and cursor.isdigit() else 0
        rows = session.scalars(
            query.order_by(LibraryItem.bound_at.desc(), LibraryItem.id.desc())
            .offset(offset)
            .limit(count + 1)
        ).all()
        page = [spark_post(session, item) for item in rows[:count]]
        return page, str(offset + len(page)), len(rows) > count
    posts = select(Post).where(
        Post.creator_id == identity.creator_id,
        Post.status == PostStatus.ACTIVE.value,
        Post.item_type == item_type,
    )
    if exclude_adsonly:
        posts = posts.where(Post.ads_only.is_(False))
    if cursor and cursor.isdigit():
        before, after_item = _post_cursor(cursor)
        posts = posts.where(
            or_(
                Post.published_at < before,
                and_(Post.published_at == before, Post.item_id < after_item),
            )
            if after_item
            else Post.published_at < before
        )
    found = session.scalars(
        posts.order_by(Post.published_at.desc(), Post.item_id.desc()).limit(count + 1)
    ).all()
    creator = session.get_one(Creator, identity.creator_id)
    page = [
        SparkPost(post=p, creator=creator, identity=identity, spark_code=None, library_item=None)
        for p in found[:count]
    ]
    next_cursor = _next_post_cursor(page[-1].post) if page else "0"
    return page, next_cursor, len(found) > count


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CURSOR_TIME_DIGITS = 16


def _next_post_cursor(post: Post) -> str:
    """Digits only, as TikTok's cursors: the last post's publication time (unix microseconds,
    16 digits) then its item id, so posts published in the same microsecond are not skipped."""
    micros = (as_utc(post.published_at) - EPOCH) // timedelta(microseconds=1)
    return f"{micros:0{CURSOR_TIME_DIGITS}d}{post.item_id}"


def _post_cursor(cursor: str) -> tuple[datetime, str | None]:
    """(publication time, item id) of a cursor; a bare time (older cursors) has no item id."""
    if len(cursor) <= CURSOR_TIME_DIGITS:
        return EPOCH + timedelta(microseconds=min(int(cursor), LATEST_CURSOR)), None
    micros = min(int(cursor[:CURSOR_TIME_DIGITS]), LATEST_CURSOR)
    return EPOCH + timedelta(microseconds=micros), cursor[CURSOR_TIME_DIGITS:]


def identity_post(
    session: Session, *, advertiser: Advertiser, identity: Identity, item_id: str
) -> SparkPost:
    """identity/video/info: one post, if it is reachable through this identity."""
    require_active(identity)
    if identity.identity_type == IdentityType.AUTH_CODE:
        item = session.scalar(
            bound_items(advertiser).where(
                LibraryItem.item_id == str(item_id), LibraryItem.identity_id == identity.identity_id
            )
        )
        if item is None:
            raise SparkadsError("post_not_found", item_id=item_id)
        return spark_post(session, item)
    post = session.get(Post, str(item_id))
    if post is None or post.creator_id != identity.creator_id:
        raise SparkadsError("post_not_found", item_id=item_id)
    return SparkPost(
        post=post,
        creator=session.get_one(Creator, post.creator_id),
        identity=identity,
        spark_code=None,
        library_item=None,
    )
