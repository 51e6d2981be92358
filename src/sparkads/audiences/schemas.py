"""Request models of the dmp/custom_audience/* endpoints (reference §3.23), with the reference's
names, limits and defaults, and bububa's `caculate_type` spelling accepted as an alias."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from sparkads.audiences import commands
from sparkads.commands import command_of
from sparkads.i18n import N_
from sparkads.ids import IdStr


class CalculateType(StrEnum):
    EMAIL_SHA256 = "EMAIL_SHA256"
    PHONE_SHA256 = "PHONE_SHA256"
    IDFA_SHA256 = "IDFA_SHA256"
    IDFA_MD5 = "IDFA_MD5"
    GAID_SHA256 = "GAID_SHA256"
    GAID_MD5 = "GAID_MD5"
    MAID_SHA256 = "MAID_SHA256"
    MAID_MD5 = "MAID_MD5"
    FIRST_SHA256 = "FIRST_SHA256"
    FIRST_MD5 = "FIRST_MD5"
    MULTIPLE_TYPES = "MULTIPLE_TYPES"


class SubType(StrEnum):
    NORMAL = "NORMAL"
    REACH_FREQUENCY = "REACH_FREQUENCY"


def _listed(value: object) -> object:
    """A single string where an array is expected (bububa sends placements as one string)."""
    if isinstance(value, str | int) and not isinstance(value, bool):
        return [str(value)]
    return (
        [str(v) if isinstance(v, int) else v for v in value] if isinstance(value, list) else value
    )


IdList = Annotated[list[IdStr], BeforeValidator(_listed)]
Name = Annotated[str, Field(min_length=1, max_length=128)]
Retention = Annotated[int, Field(ge=1, le=365)]


class _Body(BaseModel):
    """Fields the reference does not name are ignored, as TikTok does."""

    model_config = ConfigDict(extra="ignore")


class _Params(_Body):
    model_config = ConfigDict(populate_by_name=True)

    advertiser_id: IdStr


class AudienceCreate(_Params):
    custom_audience_name: Name
    file_paths: Annotated[IdList, Field(min_length=1, max_length=500)]
    calculate_type: Annotated[
        CalculateType, Field(validation_alias=AliasChoices("calculate_type", "caculate_type"))
    ]
    audience_sub_type: SubType = SubType.NORMAL
    retention_in_days: Retention | None = None
    audience_enhancement: bool = False


class AudienceList(_Params):
    custom_audience_ids: Annotated[IdList | None, Field(max_length=100)] = None
    page: Annotated[int, Field(ge=1)] = 1
    page_size: Annotated[int, Field(ge=1, le=100)] = 10


class AudienceGet(_Params):
    custom_audience_ids: Annotated[IdList, Field(min_length=1, max_length=100)]
    history_size: Annotated[int, Field(ge=0, le=100)] = 0


class AudienceRefresh(_Params):
    custom_audience_ids: Annotated[IdList | None, Field(max_length=100)] = None


class AudienceUpdate(_Params):
    custom_audience_id: IdStr
    custom_audience_name: Name | None = None
    action: Literal["APPEND", "DELETE", "REPLACE"] | None = None
    file_paths: Annotated[list[Annotated[str, Field(max_length=128)]], Field(max_length=500)] = []


class AudienceDelete(_Params):
    custom_audience_ids: Annotated[IdList, Field(min_length=1, max_length=100)]


class LookalikeSpec(_Body):
    source_audience_id: IdStr
    include_source: bool = False
    mobile_os: Literal["ALL", "ANDROID", "IOS"] = "ALL"
    placements: Annotated[
        list[Literal["TikTok", "Pangle", "TopBuzz_BuzzVideo"]], BeforeValidator(_listed)
    ] = ["TikTok"]
    location_ids: Annotated[IdList, Field(min_length=1, max_length=3000)]
    audience_size: Literal["NARROW", "BALANCED", "BROAD"] | None = None
    audience_share: Annotated[
        float | None,
        Field(ge=1, le=10, description="sparkads: share of the locations' population, in %."),
    ] = None

    @model_validator(mode="after")
    def _size_given(self) -> LookalikeSpec:
        if self.audience_size is None and self.audience_share is None:
            raise ValueError(N_("give audience_size (NARROW, BALANCED, BROAD) or audience_share"))
        return self

    def command(self) -> commands.Lookalike:
        return command_of(self, commands.Lookalike)


class LookalikeCreate(_Params):
    custom_audience_name: Name
    audience_sub_type: SubType = SubType.NORMAL
    lookalike_spec: LookalikeSpec

    def command(self) -> commands.LookalikeAudience:
        return commands.LookalikeAudience(
            name=self.custom_audience_name,
            spec=self.lookalike_spec.command(),
            sub_type=self.audience_sub_type.value,
        )


class RuleFilter(_Body):
    field: Literal["EVENT"] = "EVENT"
    operator: Literal["EQ", "EQUAL"] = "EQ"
    value: Annotated[str, Field(min_length=1, max_length=64)]


class FilterSet(_Body):
    operator: Literal["OR"] = "OR"
    filters: Annotated[list[RuleFilter], Field(min_length=1, max_length=20)]


class Rule(_Body):
    event_source_ids: IdList = []
    retention_days: Retention
    filter_set: FilterSet

    def command(self) -> commands.EventRule:
        return commands.EventRule(
            tuple(f.value for f in self.filter_set.filters),
            self.retention_days,
            tuple(self.event_source_ids),
        )


class RuleSet(_Body):
    operator: Literal["OR"] = "OR"
    rules: Annotated[list[Rule], Field(min_length=1, max_length=10)]


class RuleSpec(_Body):
    """The official SDK's names; bububa's `include_rule_set` / `exclude_rule_set` accepted."""

    inclusion_rule_set: Annotated[
        RuleSet, Field(validation_alias=AliasChoices("inclusion_rule_set", "include_rule_set"))
    ]
    exclusion_rule_set: Annotated[
        RuleSet | None,
        Field(validation_alias=AliasChoices("exclusion_rule_set", "exclude_rule_set")),
    ] = None


class RuleCreate(_Params):
    custom_audience_name: Name
    audience_type: Annotated[str, Field(min_length=1, max_length=40)] = "ENGAGEMENT"
    audience_sub_type: SubType = SubType.NORMAL
    retention_in_days: Retention | None = None
    is_auto_refresh: bool = True
    identity_id: IdStr | None = None
    identity_type: str | None = None
    identity_authorized_bc_id: IdStr | None = None
    rule_spec: RuleSpec

    def command(self) -> commands.RuleAudience:
        spec = self.rule_spec
        excluded = spec.exclusion_rule_set
        return commands.RuleAudience(
            name=self.custom_audience_name,
            rules=commands.EngagementRules(
                audience_type=self.audience_type,
                include=tuple(r.command() for r in spec.inclusion_rule_set.rules),
                exclude=tuple(r.command() for r in excluded.rules) if excluded else (),
            ),
            sub_type=self.audience_sub_type.value,
            retention_in_days=self.retention_in_days,
            auto_refresh=self.is_auto_refresh,
            definition=self.model_dump(mode="json"),
        )
