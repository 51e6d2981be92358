"""Marketplace requests and answers (native API shapes). Fees are in EUR."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sparkads.attributes import from_attributes
from sparkads.campaigns.catalog import catalog
from sparkads.commands import command_of
from sparkads.i18n import N_
from sparkads.ids import IdStr
from sparkads.marketplace import commands
from sparkads.marketplace.ranking import AudienceShares, CreatorFacts, Score
from sparkads.money import to_micros

Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
Fee = Annotated[float, Field(gt=0, le=10_000_000, description="EUR")]


class ProfileIn(BaseModel):
    """What a creator declares when opting in; audience and engagement are computed."""

    model_config = ConfigDict(extra="forbid")

    sector: Annotated[str, Field(min_length=1, max_length=40, examples=["fitness"])]
    countries: Annotated[list[Country], Field(min_length=1, max_length=20)]
    languages: Annotated[list[Annotated[str, Field(max_length=8)]], Field(max_length=10)] = []
    asking_fee: Annotated[Fee, Field(description="Fee per sponsored post, EUR.")]

    def command(self) -> commands.Profile:
        return command_of(self, commands.Profile, asking_fee=to_micros(self.asking_fee))


class CollaborationCreate(BaseModel):
    """An invitation: sponsor an existing post (`item_id`) or make one for a `brief`."""

    model_config = ConfigDict(extra="forbid")

    advertiser_id: IdStr
    creator_id: IdStr
    item_id: IdStr | None = None
    brief: Annotated[str | None, Field(min_length=1, max_length=2000)] = None
    fee: Annotated[Fee, Field(description="Agreed fee, EUR.")]
    duration_days: Literal[7, 30, 60, 365] = 30
    message: Annotated[str, Field(max_length=500)] = ""

    @model_validator(mode="after")
    def _post_or_brief(self) -> CollaborationCreate:
        if (self.item_id is None) == (self.brief is None):
            raise ValueError(N_("give either item_id (an existing post) or brief, not both"))
        return self

    def command(self) -> commands.NewCollaboration:
        return command_of(self, commands.NewCollaboration, fee=to_micros(self.fee))


class CollaborationAccept(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_id: IdStr | None = None


class Money(BaseModel):
    amount: float
    currency: str = "EUR"


class InterestShare(BaseModel):
    category_id: str
    name: str
    share: float


class AudienceRead(BaseModel):
    countries: dict[str, float]
    age_groups: dict[str, float]
    genders: dict[str, float]
    interests: list[InterestShare]
    observed_viewers: int
    estimated: bool

    @classmethod
    def of(cls, shares: AudienceShares, top: int = 8) -> AudienceRead:
        cat = catalog()
        interests = [
            InterestShare(category_id=k, name=i.name if (i := cat.interest(k)) else k, share=v)
            for k, v in list(shares.interests.items())[:top]
        ]
        return cls(
            countries=dict(shares.countries),
            age_groups=dict(shares.age_groups),
            genders=dict(shares.genders),
            interests=interests,
            observed_viewers=shares.observed,
            estimated=shares.estimated,
        )


class CreatorCard(BaseModel):
    creator_id: str
    handle: str
    display_name: str
    sector: str
    countries: list[str]
    languages: list[str]
    followers: int
    tier: str
    asking_fee: Money
    posts: int
    views_per_post: float
    engagement_rate: float
    audience: AudienceRead

    @classmethod
    def of(cls, facts: CreatorFacts) -> CreatorCard:
        return from_attributes(
            cls,
            facts,
            asking_fee=Money(amount=facts.fee_eur),
            views_per_post=round(facts.views_per_post, 1),
            engagement_rate=round(facts.engagement_rate, 4),
            audience=AudienceRead.of(facts.audience),
        )


class ProfileRead(CreatorCard):
    opted_in: bool
    updated_at: datetime


class ScoreRead(BaseModel):
    """The score and its terms: expected views × engagement rate × audience match ÷ fee."""

    expected_views: float
    engagement_rate: float
    audience_match: float
    fee: Money
    engaged_views_per_euro: float
    budget: Money | None
    collaborations_for_budget: int | None
    engaged_views_for_budget: float | None
    explanation: str

    @classmethod
    def of(cls, score: Score) -> ScoreRead:
        return cls(
            expected_views=round(score.expected_views, 1),
            engagement_rate=round(score.engagement_rate, 4),
            audience_match=round(score.audience_match, 4),
            fee=Money(amount=score.fee_eur),
            engaged_views_per_euro=round(score.engaged_views_per_euro, 4),
            budget=None if score.budget is None else Money(amount=score.budget),
            collaborations_for_budget=score.collaborations_for_budget,
            engaged_views_for_budget=None
            if score.engaged_views_for_budget is None
            else round(score.engaged_views_for_budget, 1),
            explanation=score.explanation(),
        )


class SearchResult(BaseModel):
    rank: int
    creator: CreatorCard
    score: ScoreRead


class SearchPage(BaseModel):
    results: list[SearchResult]
    page: int
    page_size: int
    total: int


class AuthorizationWindow(BaseModel):
    authorization_id: str
    duration_days: int
    starts_at: datetime
    ends_at: datetime
    status: str  # AUTHORIZED | EXPIRED | REVOKED


class CollaborationRead(BaseModel):
    collaboration_id: str
    advertiser: dict[str, str]
    creator: dict[str, str]
    kind: str
    item_id: str | None
    brief: str
    message: str
    fee: Money
    duration_days: int
    status: str
    authorization: AuthorizationWindow | None
    created_at: datetime
    decided_at: datetime | None


class AcceptedRead(BaseModel):
    collaboration: CollaborationRead
    auth_code: Annotated[str, Field(description="The Spark code, shown once; already applied.")]


class SponsorshipRead(BaseModel):
    collaboration_id: str
    brand: dict[str, str]
    post: dict[str, str | None]
    fee: Money
    status: str  # ACTIVE while the code runs, then EXPIRED or REVOKED
    authorization: AuthorizationWindow | None
    paid_impressions: int
    paid_reach: int


class SponsorshipsRead(BaseModel):
    sponsorships: list[SponsorshipRead]
    agreed_fees: Money
