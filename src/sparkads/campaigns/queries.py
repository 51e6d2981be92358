"""Read-only lookups of campaigns, ad groups and ads, scoped to their advertiser.

An object of another advertiser answers `object_not_found`, as one that does not exist. The
entrypoints read through here (listings, pages, forecasts' targeting check); changes go through
`services.campaigns`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.audiences.models import MIN_TARGETABLE_SIZE
from sparkads.audiences.service import find_audiences
from sparkads.campaigns.catalog import catalog
from sparkads.campaigns.models import Ad, AdGroup, Campaign
from sparkads.campaigns.targeting import Targeting, validate_targeting
from sparkads.errors import SparkadsError


def get_campaign(session: Session, advertiser_id: str, campaign_id: str) -> Campaign:
    campaign = session.get(Campaign, str(campaign_id))
    if campaign is None or campaign.advertiser_id != advertiser_id:
        raise SparkadsError("object_not_found", object_type="campaign", object_id=campaign_id)
    return campaign


def get_adgroup(session: Session, advertiser_id: str, adgroup_id: str) -> AdGroup:
    adgroup = session.get(AdGroup, str(adgroup_id))
    if adgroup is None or adgroup.advertiser_id != advertiser_id:
        raise SparkadsError("object_not_found", object_type="ad group", object_id=adgroup_id)
    return adgroup


def get_ad(session: Session, advertiser_id: str, ad_id: str) -> Ad:
    ad = session.get(Ad, str(ad_id))
    if ad is None or ad.advertiser_id != advertiser_id:
        raise SparkadsError("object_not_found", object_type="ad", object_id=ad_id)
    return ad


def list_campaigns(session: Session, advertiser_id: str) -> Sequence[Campaign]:
    return session.scalars(
        select(Campaign)
        .where(Campaign.advertiser_id == advertiser_id)
        .order_by(Campaign.create_time.desc(), Campaign.campaign_id)
    ).all()


def list_adgroups(session: Session, advertiser_id: str) -> Sequence[AdGroup]:
    return session.scalars(
        select(AdGroup)
        .where(AdGroup.advertiser_id == advertiser_id)
        .order_by(AdGroup.create_time.desc(), AdGroup.adgroup_id)
    ).all()


def list_ads(session: Session, advertiser_id: str) -> Sequence[Ad]:
    return session.scalars(
        select(Ad)
        .where(Ad.advertiser_id == advertiser_id)
        .order_by(Ad.create_time.desc(), Ad.ad_id)
    ).all()


def validated_targeting(
    session: Session, advertiser: Advertiser, values: Mapping[str, object]
) -> Targeting:
    try:
        spec = Targeting.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "targeting"
        raise SparkadsError(
            "invalid_parameter", field=field, detail=str(first["msg"]).removeprefix("Value error, ")
        ) from None

    def sizes(ids: list[str]) -> dict[str, int]:
        found = find_audiences(session, advertiser_id=advertiser.advertiser_id, audience_ids=ids)
        return {audience_id: row.size for audience_id, row in found.items()}

    validate_targeting(spec, catalog(), sizes, MIN_TARGETABLE_SIZE)
    return spec
