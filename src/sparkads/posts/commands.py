"""Domain commands of posts: what `posts.service` is asked to publish or change, in domain terms
(frozen dataclasses, enums). The native API's bodies and the Creator Studio form are checked by
`posts.schemas` (shape rules, limits) and mapped to these there (`PostCreate.command()`,
`PostUpdate.command()`); the simulator and the dark posts of new ads build them the same way."""

from __future__ import annotations

from dataclasses import dataclass

from sparkads.posts.models import ItemType, PostFormat, Visibility


@dataclass(frozen=True)
class Music:
    title: str
    cleared_for_commercial_use: bool = False


@dataclass(frozen=True)
class Anchor:
    """A link, product, location or effect shown on the post; stored as the JSON the API reads."""

    type: str
    title: str
    url: str | None = None

    def stored(self) -> dict[str, object]:
        return {"type": self.type, "title": self.title, "url": self.url}


@dataclass(frozen=True)
class Image:
    url: str
    width: int = 1080
    height: int = 1440

    def stored(self) -> dict[str, object]:
        return {"url": self.url, "width": self.width, "height": self.height}


@dataclass(frozen=True)
class Organic:
    """The post's organic statistics when it is published (imported from elsewhere)."""

    views: int = 0
    likes: int = 0
    comments: int = 0
    shares: int = 0


@dataclass(frozen=True, kw_only=True)
class NewPost:
    caption: str = ""
    item_type: ItemType = ItemType.VIDEO
    format: PostFormat = PostFormat.STANDARD
    duration: float | None = None
    width: int = 1080
    height: int = 1920
    size_bytes: int = 0
    visibility: Visibility = Visibility.PUBLIC
    ads_only: bool = False
    music: Music | None = None
    anchors: tuple[Anchor, ...] = ()
    images: tuple[Image, ...] = ()
    original_item_id: str | None = None
    organic: Organic = Organic()


@dataclass(frozen=True, kw_only=True)
class PostChange:
    """What a creator changes; None: left as it is."""

    caption: str | None = None
    visibility: Visibility | None = None
    anchors: tuple[Anchor, ...] | None = None
