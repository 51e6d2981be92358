"""A creator's posts, for the native API and Creator Studio: publish, edit, delete, list, read
with history. Each use case opens its unit of work, calls `posts.service` and commits writes; the
rows come back detached but readable (the unit of work's sessions do not expire on commit)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from sparkads.accounts.models import Advertiser
from sparkads.authorizations.models import LibraryItem, SparkCode
from sparkads.authorizations.spark_codes import list_authorizations
from sparkads.clock import Clock
from sparkads.posts import service as posts
from sparkads.posts.commands import NewPost, PostChange
from sparkads.posts.models import Post, PostHistory
from sparkads.services.units import Units


@dataclass(frozen=True)
class PostWithHistory:
    post: Post
    history: Sequence[PostHistory]


def publish(uow: Units, clock: Clock, *, creator_id: str, data: NewPost) -> Post:
    with uow() as unit:
        post = posts.publish_post(unit.session, clock, creator_id=creator_id, data=data)
        unit.commit()
        return post


def edit(uow: Units, clock: Clock, *, creator_id: str, item_id: str, update: PostChange) -> Post:
    """Caption, visibility or anchors; the caption is locked once the post is authorized."""
    with uow() as unit:
        post = posts.edit_post(
            unit.session, clock, creator_id=creator_id, item_id=item_id, update=update
        )
        unit.commit()
        return post


def delete(uow: Units, clock: Clock, *, creator_id: str, item_id: str) -> Post:
    with uow() as unit:
        post = posts.delete_post(unit.session, clock, creator_id=creator_id, item_id=item_id)
        unit.commit()
        return post


def own_posts(
    uow: Units, *, creator_id: str, include_deleted: bool = False, offset: int = 0, limit: int = 50
) -> tuple[Sequence[Post], int]:
    with uow() as unit:
        return posts.list_posts(
            unit.session,
            creator_id=creator_id,
            include_deleted=include_deleted,
            offset=offset,
            limit=limit,
        )


def own_post(uow: Units, *, creator_id: str, item_id: str) -> Post:
    """Someone else's post answers `post_not_found`, so ids cannot be probed."""
    with uow() as unit:
        return posts.get_own_post(unit.session, creator_id=creator_id, item_id=item_id)


def own_post_history(uow: Units, *, creator_id: str, item_id: str) -> PostWithHistory:
    with uow() as unit:
        post = posts.get_own_post(unit.session, creator_id=creator_id, item_id=item_id)
        return PostWithHistory(post, posts.history(unit.session, item_id))


@dataclass(frozen=True)
class CreatorPost:
    """A post as Creator Studio shows it: its history, its codes (newest first) and the ad
    accounts that put it in their creative library (newest binding first, unbound ones too)."""

    post: Post
    history: Sequence[PostHistory]
    codes: Sequence[SparkCode]
    brands: list[tuple[LibraryItem, Advertiser]]


def creator_post(uow: Units, *, creator_id: str, item_id: str) -> CreatorPost:
    with uow() as unit:
        session = unit.session
        post = posts.get_own_post(session, creator_id=creator_id, item_id=item_id)
        brands = session.execute(
            select(LibraryItem, Advertiser)
            .join(Advertiser, Advertiser.advertiser_id == LibraryItem.advertiser_id)
            .where(LibraryItem.item_id == item_id)
            .order_by(LibraryItem.bound_at.desc())
        ).all()
        return CreatorPost(
            post,
            posts.history(session, item_id),
            list_authorizations(session, creator_id=creator_id, item_id=item_id),
            [(item, advertiser) for item, advertiser in brands],
        )


def any_post(uow: Units, item_id: str) -> Post:
    """A post by id, whoever published it (the sandbox's inspection route)."""
    with uow() as unit:
        return posts.get_post(unit.session, item_id)
