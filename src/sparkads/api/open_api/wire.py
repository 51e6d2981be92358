"""The base of the v1.3 campaign, ad group and ad bodies, and what they share: money, request
ids, status changes and the /get/ parameters.

Every field the reference lists is either modelled or named in an UNSUPPORTED set, so a request
using it is refused with `field_not_supported` instead of being silently ignored (`check_fields`).
Misspelt aliases that public SDKs send are renamed first (reference §6.1)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sparkads.campaigns.enums import OperationStatus
from sparkads.errors import SparkadsError
from sparkads.ids import IdStr

Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=6)]
RequestId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z_-]+$")]
Toggle = Literal["ENABLE", "DISABLE"]
_ABSENT: tuple[object, ...] = (None, False, "", [], {})


class TikTokModel(BaseModel):
    """Extras are kept so `check_fields` can name them; aliases are renamed before validation."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
    ALIASES: ClassVar[dict[str, str]] = {}
    UNSUPPORTED: ClassVar[frozenset[str]] = frozenset()
    # supported only at their default value: (field, default)
    DEFAULT_ONLY: ClassVar[dict[str, object]] = {}

    @model_validator(mode="before")
    @classmethod
    def _rename_aliases(cls, data: object) -> object:
        if isinstance(data, dict):
            return {cls.ALIASES.get(key, key): value for key, value in data.items()}
        return data

    def check_fields(self) -> None:
        for field, value in (self.model_extra or {}).items():
            if field in self.DEFAULT_ONLY:
                if value in _ABSENT or value == self.DEFAULT_ONLY[field]:
                    continue
                raise SparkadsError("field_not_supported", field=f"{field}={value!r}")
            if field in self.UNSUPPORTED:
                if value in _ABSENT:
                    continue
                raise SparkadsError("field_not_supported", field=field)
            raise SparkadsError("unknown_field", field=field)


class StatusUpdate(TikTokModel):
    UNSUPPORTED = frozenset({"postback_window_mode", "aco_ad_ids"})

    advertiser_id: IdStr
    operation_status: OperationStatus
    allow_partial_success: bool = False


class CampaignStatusUpdate(StatusUpdate):
    campaign_ids: Annotated[list[IdStr], Field(min_length=1)]


class AdGroupStatusUpdate(StatusUpdate):
    adgroup_ids: Annotated[list[IdStr], Field(min_length=1)]


class AdStatusUpdate(StatusUpdate):
    ad_ids: Annotated[list[IdStr], Field(min_length=1)]


class GetParams(TikTokModel):
    UNSUPPORTED = frozenset()

    advertiser_id: IdStr
    fields: list[str] | None = None
    exclude_field_types_in_response: list[Literal["NULL_FIELD"]] | None = None
    filtering: dict[str, object] = {}
    page: Annotated[int, Field(ge=1, le=100_000)] = 1
    page_size: Annotated[int, Field(ge=1, le=1000)] = 10
