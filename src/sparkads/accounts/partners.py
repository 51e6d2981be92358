"""Partner Business Centers (bc/partner/add/): a Business Center shares some of its ad accounts
with another one, whose tokens then act on them (accounts.service.authorize_advertiser). Only
ADVERTISER assets exist to share here, with the ADMIN or OPERATOR role: a partner's token is not
narrowed per ad account, so a read-only (ANALYST) share could not be kept read-only."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser, BusinessCenter, PartnerShare
from sparkads.clock import Clock
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText

MAX_ASSETS = 50
PARTNER_ROLES = ("ADMIN", "OPERATOR")


def add_partner(
    session: Session,
    clock: Clock,
    bc: BusinessCenter,
    *,
    partner_id: str,
    asset_type: str,
    asset_ids: Sequence[str],
    advertiser_role: str | None,
) -> int:
    """Share these ad accounts with the partner (again: the role is updated); how many."""
    partner = session.get(BusinessCenter, str(partner_id))
    if partner is None or partner.bc_id == bc.bc_id:
        raise SparkadsError(
            "invalid_parameter",
            field="partner_id",
            detail=LocalText(N_("another Business Center's id")),
        )
    if asset_type != "ADVERTISER":
        raise SparkadsError("field_not_supported", field=f"asset_type {asset_type}")
    if advertiser_role not in PARTNER_ROLES:
        raise SparkadsError(
            "invalid_parameter",
            field="advertiser_role",
            detail=LocalText(
                N_("ADMIN or OPERATOR (a partner's token cannot be kept read-only per ad account)")
            ),
        )
    ids = list(dict.fromkeys(str(a) for a in asset_ids))
    if not 1 <= len(ids) <= MAX_ASSETS:
        raise SparkadsError("too_many_ids", field="asset_ids", limit=MAX_ASSETS)
    for asset_id in ids:
        advertiser = session.get(Advertiser, asset_id)
        if advertiser is None or advertiser.bc_id != bc.bc_id:
            raise SparkadsError("no_permission", what=f"advertiser {asset_id}")
        share = session.scalar(
            select(PartnerShare).where(
                PartnerShare.bc_id == bc.bc_id,
                PartnerShare.partner_id == partner.bc_id,
                PartnerShare.asset_id == asset_id,
            )
        )
        if share is None:
            session.add(
                PartnerShare(
                    bc_id=bc.bc_id,
                    partner_id=partner.bc_id,
                    asset_id=asset_id,
                    role=advertiser_role,
                    created_at=clock.now(),
                )
            )
        else:
            share.role = advertiser_role
    session.flush()
    return len(ids)
