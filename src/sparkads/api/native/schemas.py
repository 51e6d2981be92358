"""Response and request models of the native API (what /docs shows)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class PostRead(BaseModel):
    item_id: str
    creator_id: str
    item_type: str
    format: str
    caption: str
    duration: float | None
    width: int
    height: int
    visibility: str
    ads_only: bool
    music: dict[str, object] | None
    anchors: list[dict[str, object]]
    images: list[dict[str, object]]
    original_item_id: str | None
    status: str
    # a takedown's reason (non-compliance) and the creator's appeal: "", PENDING, REINSTATED, UPHELD
    status_reason: str = ""
    appeal_status: str = ""
    caption_locked: bool
    organic: dict[str, int]
    paid: dict[str, int]
    published_at: datetime
    updated_at: datetime


class PostPage(BaseModel):
    posts: list[PostRead]
    total: int
    page: int
    page_size: int


class HistoryEntry(BaseModel):
    at: datetime
    kind: str
    detail: dict[str, object]


class AuthorizationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    duration_days: Annotated[int, Field(description="7, 30, 60 or 365")]


class AuthorizationRead(BaseModel):
    authorization_id: str
    item_id: str
    code_hint: str
    duration_days: int
    starts_at: datetime
    ends_at: datetime
    revoked_at: datetime | None
    status: Literal["AUTHORIZED", "EXPIRED", "REVOKED"]


class AuthorizationCreated(AuthorizationRead):
    auth_code: Annotated[
        str, Field(description="Shown once: copy it now and send it to the brand.")
    ]
    warnings: list[dict[str, str]]


class AccessRequestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    handle: Annotated[
        str | None, Field(description="Creator to ask; omit for an open invitation link.")
    ] = None
    message: Annotated[str, Field(max_length=500)] = ""


class AccountLinkCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    handle: str
    message: Annotated[str, Field(max_length=500)] = ""


class AccessRequestRead(BaseModel):
    request_id: str
    kind: str
    status: str
    business_center: dict[str, str] | None
    advertiser: dict[str, str] | None
    creator_handle: str | None
    message: str
    link: str
    qr_png_url: str
    qr_svg_url: str
    identity_id: str | None
    created_at: datetime
    decided_at: datetime | None
    ended_at: datetime | None


class ClockAdvance(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: Annotated[float, Field(ge=0, le=3650)] = 0
    hours: Annotated[float, Field(ge=0, le=87600)] = 0
    minutes: Annotated[float, Field(ge=0, le=5256000)] = 0
    seconds: Annotated[float, Field(ge=0, le=315360000)] = 0


class ClockRead(BaseModel):
    now: datetime
    sandbox: bool


class TakedownCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, Field(min_length=1, max_length=300)]


class Me(BaseModel):
    scope: str
    account: dict[str, object]
