"""Request models of the v1.3 endpoints, with the reference's names, limits and defaults.

IDs are strings on the wire but numbers are accepted too; arrays in GET queries arrive JSON-encoded
and are decoded before these models see them."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from sparkads.authorizations.models import IdentityType
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.ids import IdStr


def _id_to_str(value: object) -> object:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


MAX_PAGE = 100_000
MAX_ITEM_IDS = 20  # identity/video/info/
Page = Annotated[int, Field(ge=1, le=MAX_PAGE)]
BcPageSize = Annotated[int, Field(ge=1, le=50)]


class ItemTypeEnum(StrEnum):
    VIDEO = "VIDEO"
    CAROUSEL = "CAROUSEL"


class Params(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    advertiser_id: IdStr


class TtVideoAuthorize(Params):
    auth_code: Annotated[str, Field(min_length=1, max_length=256)]
    original_post_auth_code: Annotated[str | None, Field(max_length=256)] = None


class TtVideoInfo(Params):
    auth_code: Annotated[str, Field(min_length=1, max_length=256)]


class TtVideoList(Params):
    item_types: list[ItemTypeEnum] = [ItemTypeEnum.VIDEO, ItemTypeEnum.CAROUSEL]
    keyword: Annotated[str | None, Field(max_length=500)] = None
    page: Page = 1
    page_size: Annotated[int, Field(ge=1, le=50)] = 20


class TtVideoUnbind(Params):
    item_id: IdStr


class IdentityGet(Params):
    identity_type: IdentityType | Literal["CUSTOMIZED_USER"] | None = None
    identity_authorized_bc_id: IdStr | None = None
    page: Page = 1
    page_size: Annotated[int, Field(ge=1, le=100)] = 20


class IdentityRef(Params):
    identity_id: IdStr
    identity_type: IdentityType
    identity_authorized_bc_id: IdStr | None = None

    def check(self) -> None:
        """The endpoint's own checks, once the ad account's access is (none here)."""


class IdentityInfo(IdentityRef):
    pass


class IdentityVideoGet(IdentityRef):
    item_type: ItemTypeEnum = ItemTypeEnum.VIDEO
    keyword: Annotated[str | None, Field(max_length=500)] = None
    exclude_adsonly: bool = False
    cursor: Annotated[str | None, BeforeValidator(_id_to_str), Field(pattern=r"^[0-9]{1,40}$")] = (
        None
    )
    count: Annotated[int, Field(ge=1)] = 20

    def check(self) -> None:
        if self.keyword and self.identity_type is not IdentityType.AUTH_CODE:
            raise SparkadsError("keyword_not_supported")


class IdentityVideoInfo(IdentityRef):
    item_type: ItemTypeEnum | None = None
    item_id: IdStr | None = None
    item_ids: Annotated[list[IdStr] | None, Field(min_length=1)] = None

    def check(self) -> None:
        if (self.item_id is None) == (self.item_ids is None):
            raise SparkadsError(
                "invalid_parameter",
                field="item_id",
                detail=LocalText(N_("give exactly one of item_id or item_ids")),
            )
        if self.item_ids is not None and len(self.item_ids) > MAX_ITEM_IDS:
            raise SparkadsError("too_many_ids", field="item_ids", limit=MAX_ITEM_IDS)


class BcParams(BaseModel):
    # the Business Center a bc/ request names (optional for bc/get/, its own model); no docstring,
    # which would show in the OpenAPI description
    model_config = ConfigDict(extra="ignore")

    bc_id: IdStr


class BcGet(BaseModel):
    model_config = ConfigDict(extra="ignore")

    bc_id: IdStr | None = None
    page: Page = 1
    page_size: BcPageSize = 10


class BcAccountAuthorization(BcParams):
    pass


class BcAssetGet(BcParams):
    asset_type: str
    child_bc_id: IdStr | None = None
    filtering: dict[str, object] = {}
    page: Page = 1
    page_size: BcPageSize = 10


class BcMemberGet(BcParams):
    child_bc_id: IdStr | None = None
    filtering: dict[str, object] = {}
    page: Page = 1
    page_size: BcPageSize = 10


class BcAssetUnassign(BcParams, extra="forbid"):
    # an asset and the member it is shared with (bc/asset/assign/ adds the roles)
    user_id: IdStr
    asset_type: str
    asset_id: IdStr


class BcAssetAssign(BcAssetUnassign):
    advertiser_role: str | None = None
    tt_account_roles: Annotated[list[str], Field(max_length=3)] = []
    catalog_role: str | None = None
    store_role: str | None = None
    form_library_role: str | None = None


class BcAssetMemberGet(BcParams):
    asset_type: str
    asset_id: IdStr
    filtering: dict[str, object] = {}
    page: Page = 1
    page_size: BcPageSize = 10


class IdentityCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    advertiser_id: IdStr
    display_name: Annotated[str, Field(min_length=1, max_length=100)]
    image_uri: Annotated[str, Field(max_length=200)] = ""
