"""Ad review for platform operators and reviewers (operator tokens, `sparkads operators create
--role reviewer`), and the creator's appeal of a takedown. All through services.reviews."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from sparkads.api.context import AppContext, ContextDep
from sparkads.api.native.deps import CreatorPrincipal, ReviewerPrincipal
from sparkads.campaigns.review import REVIEWER_REASONS
from sparkads.services.reviews import PostState, QueueItem, Reviews

router = APIRouter(prefix="/api/v1", tags=["Ad review"])


def reviews_of(context: AppContext) -> Reviews:
    return Reviews(context.uow, context.clock, auto_approve=context.settings.auto_approve)


class Queue(BaseModel):
    ads: list[QueueItem]
    reasons: list[str]


class Rejection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reasons: Annotated[list[str], Field(min_length=1, max_length=len(REVIEWER_REASONS))]
    note: Annotated[str, Field(max_length=300)] = ""


class Decision(BaseModel):
    ad_id: str
    review_status: str


class AppealCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, Field(min_length=1, max_length=1000)]


class AppealDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reinstate: bool


@router.get("/review/queue")
def queue(who: ReviewerPrincipal, context: ContextDep) -> Queue:
    """Ads waiting for a person, oldest first, with the reason codes a rejection may give."""
    return Queue(
        ads=list(reviews_of(context).queue()),
        reasons=list(REVIEWER_REASONS),
    )


@router.post("/review/ads/{ad_id}/approve")
def approve(ad_id: str, who: ReviewerPrincipal, context: ContextDep) -> Decision:
    reviews_of(context).approve(ad_id, reviewer=f"operator {who.subject_id}")
    return Decision(ad_id=ad_id, review_status="APPROVED")


@router.post("/review/ads/{ad_id}/reject")
def reject(ad_id: str, body: Rejection, who: ReviewerPrincipal, context: ContextDep) -> Decision:
    reviews_of(context).reject(
        ad_id, reviewer=f"operator {who.subject_id}", reasons=body.reasons, note=body.note
    )
    return Decision(ad_id=ad_id, review_status="REJECTED")


@router.post("/review/appeals/{item_id}")
def decide_appeal(
    item_id: str, body: AppealDecision, who: ReviewerPrincipal, context: ContextDep
) -> PostState:
    """Reinstate a post taken down (its ads go through review again) or uphold the takedown."""
    return reviews_of(context).decide_appeal(
        item_id, reinstate=body.reinstate, reviewer=f"operator {who.subject_id}"
    )


@router.post("/posts/{item_id}/appeal")
def appeal(
    item_id: str, body: AppealCreate, who: CreatorPrincipal, context: ContextDep
) -> PostState:
    """The creator contests a takedown; reviewers see it beside the review queue."""
    return reviews_of(context).appeal(creator_id=who.subject_id, item_id=item_id, text=body.text)
