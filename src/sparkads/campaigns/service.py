"""Campaign services: create, read, update, change status (with cascade). Never commit."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import update
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.attributes import from_attributes
from sparkads.campaigns import rules
from sparkads.campaigns.commands import CampaignChange, NewCampaign
from sparkads.campaigns.enums import BudgetMode, Objective, OperationStatus
from sparkads.campaigns.idempotency import CreateRequest
from sparkads.campaigns.models import Ad, AdGroup, Campaign
from sparkads.campaigns.queries import get_campaign
from sparkads.clock import Clock
from sparkads.db.base import added
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.ids import new_id

MAX_STATUS_IDS = 20


def create_campaign(
    session: Session, clock: Clock, advertiser: Advertiser, data: NewCampaign
) -> Campaign:
    request = CreateRequest(
        advertiser.advertiser_id, "campaign/create", data.request_id, "campaign"
    )
    request.check_unused(session)
    budget = data.budget
    rules.check_budget(advertiser.currency, level="campaign", mode=data.budget_mode, budget=budget)
    if data.app_promotion_type and data.objective_type is not Objective.APP_PROMOTION:
        raise SparkadsError(
            "invalid_parameter",
            field="app_promotion_type",
            detail=LocalText(N_("only for APP_PROMOTION campaigns")),
        )
    now = clock.now()
    campaign = from_attributes(
        Campaign,
        data,  # its name, objective, budget and mode, status, app promotion type and PO number
        campaign_id=new_id(),
        advertiser_id=advertiser.advertiser_id,
        special_industries=list(data.special_industries),
        create_time=now,
        modify_time=now,
    )
    request.remember(session, clock, added(session, campaign).campaign_id)
    return campaign


def require_not_deleted(object_type: str, object_id: str, *statuses: str) -> None:
    if OperationStatus.DELETE in statuses:
        raise SparkadsError("object_deleted", object_type=object_type, object_id=object_id)


def update_campaign(
    session: Session, clock: Clock, advertiser: Advertiser, data: CampaignChange
) -> Campaign:
    campaign = get_campaign(session, advertiser.advertiser_id, data.campaign_id)
    require_not_deleted("campaign", campaign.campaign_id, campaign.operation_status)
    mode = BudgetMode(campaign.budget_mode)
    rules.check_budget_mode_unchanged("campaign", mode, data.budget_mode)
    changed = False
    if data.budget is not None:
        budget = data.budget
        rules.check_budget(advertiser.currency, level="campaign", mode=mode, budget=budget)
        changed |= budget != campaign.budget
        campaign.budget = budget
    industries = None if data.special_industries is None else list(data.special_industries)
    for field, value in (
        ("campaign_name", data.campaign_name),
        ("special_industries", industries),
        ("po_number", data.po_number),
    ):
        if value is not None and value != getattr(campaign, field):
            setattr(campaign, field, value)
            changed = True
    if changed:
        campaign.modify_time = clock.now()
    session.flush()
    return campaign


def set_campaign_status(
    session: Session,
    clock: Clock,
    advertiser: Advertiser,
    campaign_ids: Sequence[str],
    status: OperationStatus,
) -> list[Campaign]:
    """ENABLE / DISABLE apply to the campaigns (what they contain stops delivering with them, and
    says so in its secondary status); DELETE deletes the campaigns and everything inside."""
    if len(campaign_ids) > MAX_STATUS_IDS:
        raise SparkadsError("too_many_ids", field="campaign_ids", limit=MAX_STATUS_IDS)
    campaigns = [get_campaign(session, advertiser.advertiser_id, cid) for cid in campaign_ids]
    for campaign in campaigns:
        require_not_deleted("campaign", campaign.campaign_id, campaign.operation_status)
    now = clock.now()
    for campaign in campaigns:
        campaign.operation_status, campaign.modify_time = status, now
        if status is OperationStatus.DELETE:
            for model in (AdGroup, Ad):
                session.execute(
                    update(model)
                    .where(model.campaign_id == campaign.campaign_id)
                    .values(operation_status=status, modify_time=now)
                )
    session.flush()
    return campaigns
