"""Request and response models of the feed endpoints."""

from __future__ import annotations

from datetime import datetime
from operator import attrgetter
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from sparkads.attributes import leading_fields
from sparkads.delivery.model import Behaviour, Viewer
from sparkads.errors import SparkadsError
from sparkads.events.kinds import EventStatus, EventType
from sparkads.i18n import N_


def _plausible(moment: datetime | None) -> datetime | None:
    if moment is not None and not 2000 <= moment.year <= 2200:
        raise ValueError(N_("must be between the years 2000 and 2200"))
    if moment is not None and moment.tzinfo is None:
        raise ValueError(N_("needs a timezone, e.g. 2026-11-24T10:00:00Z"))
    return moment


Moment = Annotated[datetime | None, AfterValidator(_plausible)]


class BehaviourIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action_scene: Literal["VIDEO_RELATED", "CREATOR_RELATED"]
    action: Literal["WATCHED_TO_END", "LIKED", "COMMENTED", "SHARED", "FOLLOWING", "VIEW_HOMEPAGE"]
    category_id: Annotated[str, Field(max_length=12)]
    days_ago: Annotated[int, Field(ge=0, le=365)]


class DeviceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    os: Literal["ANDROID", "IOS"] | None = None
    os_version: Annotated[str | None, Field(pattern=r"^\d{1,2}(\.\d{1,2}){0,2}$")] = None
    network: Literal["WIFI", "2G", "3G", "4G", "5G"] | None = None
    price: Annotated[int | None, Field(ge=0, le=100_000)] = None


class ViewerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    viewer_id: Annotated[
        str,
        Field(
            min_length=1, max_length=64, description="Opaque, stable per person (hash it first)."
        ),
    ]
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    region: Annotated[
        str | None, Field(max_length=8, description="ISO 3166-2 suffix, e.g. IDF")
    ] = None
    age: Annotated[int | None, Field(ge=0, le=120)] = None
    gender: Literal["MALE", "FEMALE"] | None = None
    language: Annotated[str | None, Field(max_length=8)] = None
    device: DeviceIn = DeviceIn()
    interests: Annotated[list[Annotated[str, Field(max_length=12)]], Field(max_length=100)] = []
    behaviours: Annotated[list[BehaviourIn], Field(max_length=100)] = []

    def to_domain(self) -> Viewer:
        device = self.device
        version = tuple(map(int, device.os_version.split("."))) if device.os_version else ()
        # mypy cannot count what the getter fills: the leading fields, none of those named below
        return Viewer(  # type: ignore[misc]
            *_VIEWER_AS_GIVEN(self),
            os=device.os,
            os_version=version,
            network=device.network,
            device_price=device.price,
            interests=tuple(self.interests),
            behaviours=tuple(
                Behaviour(b.action_scene, b.action, b.category_id, b.days_ago)
                for b in self.behaviours
            ),
        )


# the viewer's own fields as the body gives them, in Viewer's order (the device's are flattened,
# the lists made tuples)
_VIEWER_AS_GIVEN = attrgetter(
    *leading_fields(Viewer, ViewerIn, besides=("interests", "behaviours"))
)


class DecisionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    viewer: ViewerIn
    placement: Literal["PLACEMENT_TIKTOK"] = "PLACEMENT_TIKTOK"
    slots: Annotated[int, Field(ge=1, le=10)] = 1


class DecisionOut(BaseModel):
    decision_id: str
    token: Annotated[str, Field(description="Send it back with every event about this post.")]
    ad_id: str
    adgroup_id: str
    item_id: str
    sponsored: bool
    label: str
    creative: dict[str, object]


class ViewerWarning(BaseModel):
    """A viewer attribute outside the catalogue: the decision was made, the value not stored."""

    code: str
    field: str
    message: str
    cause: str
    solution: str

    @classmethod
    def of(cls, field: str, value: str, lang: str) -> ViewerWarning:
        text = SparkadsError("viewer_attribute_clipped", field=field, value=value).render(lang)
        return cls(field=field, **text)


class DecisionsOut(BaseModel):
    decisions: list[DecisionOut]
    snapshot_version: int
    warnings: list[ViewerWarning] = []


class EventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: Annotated[str, Field(min_length=1, max_length=2000)]
    type: EventType
    occurred_at: Moment = None


class EventsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    events: Annotated[list[EventIn], Field(min_length=1)]


class EventsEnvelope(BaseModel):
    """The batch as received: each event is then checked on its own (a malformed one is rejected
    alone, the batch goes on)."""

    model_config = ConfigDict(extra="forbid")

    events: Annotated[list[Any], Field(min_length=1)]


class EventResultOut(BaseModel):
    index: int
    status: EventStatus
    reason: str | None
    billed: int
    detail: str | None = None  # what is wrong with an `invalid_event`


class EventsOut(BaseModel):
    accepted: int
    duplicates: int
    rejected: int
    results: list[EventResultOut]


class ConversionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    advertiser_id: str
    click_id: Annotated[
        str | None, Field(max_length=40, description="decision_id of the click, if known")
    ] = None
    viewer_id: Annotated[str | None, Field(max_length=64)] = None
    occurred_at: Moment = None
    # the pixel (id or code) that received this conversion, and its standard event
    pixel_code: Annotated[str | None, Field(min_length=1, max_length=24)] = None
    event: Annotated[str | None, Field(min_length=1, max_length=40)] = None


class ConversionOut(BaseModel):
    status: str
    reason: str | None
    attributed_by: str | None
    ad_id: str | None
    decision_id: str | None
    billed: int


class Diagnosis(BaseModel):
    adgroup_id: str
    live: bool
    excluded_because: str | None
    reasons: dict[str, int]
    snapshot_version: int
