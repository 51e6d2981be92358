"""Read-only lookups of campaigns, ad groups and ads, scoped to their advertiser.

An object of another advertiser answers `object_not_found`, as one that does not exist. The
entrypoints read through here (listings, pages, forecasts' targeting check); changes go through
`services.campaigns`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

from pydantic import ValidationError
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.audiences.models import MIN_TARGETABLE_SIZE
from sparkads.audiences.service import find_audiences
from sparkads.campaigns.catalog import catalog
from sparkads.campaigns.models import Ad, AdGroup, Campaign
from sparkads.campaigns.targeting import FoundAudience, Targeting, validate_targeting
from sparkads.errors import SparkadsError
from sparkads.validation import validation_error

Owned = TypeVar("Owned", Campaign, AdGroup, Ad)
NAMES: dict[type[Campaign | AdGroup | Ad], str] = {
    Campaign: "campaign",
    AdGroup: "ad group",
    Ad: "ad",
}


def _get(session: Session, model: type[Owned], advertiser_id: str, object_id: str) -> Owned:
    row = session.get(model, str(object_id))
    if row is None or row.advertiser_id != advertiser_id:
        raise SparkadsError("object_not_found", object_type=NAMES[model], object_id=object_id)
    return row


def _listed(session: Session, model: type[Owned], advertiser_id: str) -> Sequence[Owned]:
    """Newest first, then by id (the order TikTok's */get/ pages in)."""
    key = inspect(model).primary_key[0]
    return session.scalars(
        select(model)
        .where(model.advertiser_id == advertiser_id)
        .order_by(model.create_time.desc(), key)
    ).all()


def get_campaign(session: Session, advertiser_id: str, campaign_id: str) -> Campaign:
    return _get(session, Campaign, advertiser_id, campaign_id)


def get_adgroup(session: Session, advertiser_id: str, adgroup_id: str) -> AdGroup:
    return _get(session, AdGroup, advertiser_id, adgroup_id)


def get_ad(session: Session, advertiser_id: str, ad_id: str) -> Ad:
    return _get(session, Ad, advertiser_id, ad_id)


def list_campaigns(session: Session, advertiser_id: str) -> Sequence[Campaign]:
    return _listed(session, Campaign, advertiser_id)


def list_adgroups(session: Session, advertiser_id: str) -> Sequence[AdGroup]:
    return _listed(session, AdGroup, advertiser_id)


def list_ads(session: Session, advertiser_id: str) -> Sequence[Ad]:
    return _listed(session, Ad, advertiser_id)


def validated_targeting(
    session: Session, advertiser: Advertiser, values: Mapping[str, object]
) -> Targeting:
    try:
        spec = Targeting.model_validate(values)
    except ValidationError as exc:
        raise validation_error(exc.errors(), unnamed="targeting") from None

    def sizes(ids: list[str]) -> dict[str, FoundAudience]:
        found = find_audiences(session, advertiser_id=advertiser.advertiser_id, audience_ids=ids)
        return {
            audience_id: FoundAudience(row.size, row.name) for audience_id, row in found.items()
        }

    validate_targeting(spec, catalog(), sizes, MIN_TARGETABLE_SIZE)
    return spec
