"""The images and sounds of the posts in an ad account's creative library, derived from the posts
(nothing is stored): a video post's cover is its generated poster (sized and signed from the very
bytes /media serves), a photo post's images are the ones the creator published; a post's sound is
the original sound its creator named when publishing (`music.title`), one per creator and title."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser, Creator
from sparkads.authorizations.models import LibraryItem
from sparkads.posts.models import ItemType, Post
from sparkads.posts.posters import POSTER_HEIGHT, POSTER_WIDTH, poster_svg


@dataclass(frozen=True)
class LibraryImage:
    image_id: str
    item_id: str
    url: str  # absolute for photos; a path under the server's base URL for covers
    width: int | None
    height: int | None
    format: str
    size: int | None  # bytes, when sparkads serves the file itself
    signature: str | None  # MD5 of those bytes
    is_cover: bool
    added_at: datetime


@dataclass(frozen=True)
class LibrarySound:
    music_id: str
    title: str
    author: str
    cleared: bool
    duration: float | None  # the length of a video post using it (a photo post has none)
    cover_path: str  # the poster of the first post using it, under the server's base URL
    carousel: bool
    first_added: datetime
    last_added: datetime


def _library_posts(
    session: Session, advertiser: Advertiser
) -> list[tuple[Post, Creator, datetime]]:
    rows = session.execute(
        select(Post, Creator, LibraryItem.bound_at)
        .join(LibraryItem, LibraryItem.item_id == Post.item_id)
        .join(Creator, Creator.creator_id == Post.creator_id)
        .where(
            LibraryItem.advertiser_id == advertiser.advertiser_id,
            LibraryItem.unbound_at.is_(None),
        )
        .order_by(LibraryItem.bound_at.desc(), Post.item_id)
    ).all()
    return [(post, creator, bound_at) for post, creator, bound_at in rows]


def _format(url: str) -> str:
    ext = url.rsplit("?", 1)[0].rsplit(".", 1)[-1].lower()
    return {"jpg": "jpeg"}.get(ext, ext) if ext in ("jpg", "jpeg", "png", "webp", "gif") else ""


def library_images(session: Session, advertiser: Advertiser) -> list[LibraryImage]:
    """Newest library post first: a video's cover, or a photo post's images in order."""
    found: list[LibraryImage] = []
    for post, _, bound_at in _library_posts(session, advertiser):
        if post.item_type == ItemType.VIDEO.value:
            svg = poster_svg(post.item_id, post.caption)
            found.append(
                LibraryImage(
                    image_id=f"sparkads-cover/{post.item_id}",
                    item_id=post.item_id,
                    url=f"/media/posts/{post.item_id}/poster.svg",
                    width=POSTER_WIDTH,
                    height=POSTER_HEIGHT,
                    format="svg",
                    size=len(svg),
                    signature=hashlib.md5(svg, usedforsecurity=False).hexdigest(),
                    is_cover=True,
                    added_at=bound_at,
                )
            )
            continue
        for index, image in enumerate(post.images, start=1):
            url = str(image.get("url", ""))
            found.append(
                LibraryImage(
                    image_id=f"sparkads-photo/{post.item_id}/{index}",
                    item_id=post.item_id,
                    url=url,
                    width=image.get("width"),
                    height=image.get("height"),
                    format=_format(url),
                    size=None,
                    signature=None,
                    is_cover=False,
                    added_at=bound_at,
                )
            )
    return found


def sound_id(creator_id: str, title: str) -> str:
    """A stable numeric id for a creator's original sound (19 digits, like TikTok's)."""
    seed = hashlib.sha256(f"{creator_id}\0{title.strip().lower()}".encode()).digest()
    return str(10**18 + int.from_bytes(seed[:8]) % (9 * 10**18))


def library_sounds(
    session: Session, advertiser: Advertiser, *, carousel_only: bool = False
) -> list[LibrarySound]:
    """The original sounds of the library's posts, newest first; one per creator and title."""
    sounds: dict[str, LibrarySound] = {}
    for post, creator, bound_at in _library_posts(session, advertiser):
        if not post.music_title:
            continue
        carousel = post.item_type == ItemType.CAROUSEL.value
        if carousel_only and not carousel:
            continue
        music_id = sound_id(creator.creator_id, post.music_title)
        known = sounds.get(music_id)
        if known is not None:  # newest first: this post is older
            sounds[music_id] = replace(
                known,
                first_added=min(known.first_added, bound_at),
                duration=known.duration if known.duration is not None else post.duration,
            )
            continue
        sounds[music_id] = LibrarySound(
            music_id=music_id,
            title=post.music_title,
            author=creator.display_name,
            cleared=post.music_cleared,
            duration=post.duration,
            cover_path=f"/media/posts/{post.item_id}/poster.svg",
            carousel=carousel,
            first_added=bound_at,
            last_added=bound_at,
        )
    return list(sounds.values())
