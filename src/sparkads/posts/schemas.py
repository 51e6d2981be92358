from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from sparkads.commands import command_of
from sparkads.i18n import N_, LocalText
from sparkads.posts import commands
from sparkads.posts.models import ItemType, PostFormat, Visibility


class Music(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Annotated[str, Field(min_length=1, max_length=200)]
    cleared_for_commercial_use: bool = False

    def command(self) -> commands.Music:
        return command_of(self, commands.Music)


class Anchor(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Annotated[str, Field(pattern="^(LINK|PRODUCT|LOCATION|EFFECT)$")] = "LINK"
    title: Annotated[str, Field(min_length=1, max_length=80)]
    url: HttpUrl | None = None

    def command(self) -> commands.Anchor:
        return command_of(self, commands.Anchor, url=None if self.url is None else str(self.url))


class Image(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Annotated[str, Field(min_length=1, max_length=500)]
    width: Annotated[int, Field(gt=0, le=10000)] = 1080
    height: Annotated[int, Field(gt=0, le=10000)] = 1440

    def command(self) -> commands.Image:
        return command_of(self, commands.Image)


class OrganicStats(BaseModel):
    model_config = ConfigDict(extra="forbid")

    views: Annotated[int, Field(ge=0, le=10**12)] = 0
    likes: Annotated[int, Field(ge=0, le=10**12)] = 0
    comments: Annotated[int, Field(ge=0, le=10**12)] = 0
    shares: Annotated[int, Field(ge=0, le=10**12)] = 0

    def command(self) -> commands.Organic:
        return command_of(self, commands.Organic)


class PostCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    caption: Annotated[str, Field(max_length=2200)] = ""
    item_type: ItemType = ItemType.VIDEO
    format: PostFormat = PostFormat.STANDARD
    duration: Annotated[float | None, Field(gt=0, le=600)] = None
    width: Annotated[int, Field(gt=0, le=10000)] = 1080
    height: Annotated[int, Field(gt=0, le=10000)] = 1920
    size_bytes: Annotated[int, Field(ge=0, le=10**12)] = 0
    visibility: Visibility = Visibility.PUBLIC
    ads_only: bool = False
    music: Music | None = None
    anchors: Annotated[list[Anchor], Field(max_length=5)] = []
    images: Annotated[list[Image], Field(max_length=35)] = []
    original_item_id: str | None = None
    organic: OrganicStats = OrganicStats()

    @model_validator(mode="after")
    def _shape_matches_type(self) -> PostCreate:
        if self.format is PostFormat.CAROUSEL_DUET and self.item_type is not ItemType.CAROUSEL:
            raise ValueError(N_("format CAROUSEL_DUET needs item_type CAROUSEL"))
        if self.item_type is ItemType.VIDEO:
            if self.duration is None:
                raise ValueError(N_("a VIDEO post needs its duration in seconds"))
            if self.images:
                raise ValueError(N_("images are for CAROUSEL posts"))
        elif not self.images:
            raise ValueError(N_("a CAROUSEL post needs 1 to 35 images"))
        needs_original = self.format in (
            PostFormat.DUET,
            PostFormat.STITCH,
            PostFormat.CAROUSEL_DUET,
        )
        if needs_original and not self.original_item_id:
            raise ValueError(
                LocalText(
                    N_("a {format} needs original_item_id, the post it was made from"),
                    {"format": self.format.value},
                )
            )
        if not needs_original and self.original_item_id:
            raise ValueError(N_("original_item_id is only for duets and stitches"))
        return self

    def command(self) -> commands.NewPost:
        """The post to publish, once this body's shape is checked."""
        return command_of(self, commands.NewPost)


class PostUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    caption: Annotated[str | None, Field(max_length=2200)] = None
    visibility: Visibility | None = None
    anchors: Annotated[list[Anchor] | None, Field(max_length=5)] = None

    def command(self) -> commands.PostChange:
        return command_of(self, commands.PostChange)
