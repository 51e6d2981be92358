"""bc/partner/add/: a Business Center admin shares ad accounts with a partner Business Center."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from sparkads.accounts.models import Role
from sparkads.accounts.partners import add_partner
from sparkads.accounts.service import Principal, business_center_of, require_role
from sparkads.clock import Clock
from sparkads.errors import SparkadsError
from sparkads.services.units import Units, committed


def add(
    uow: Units,
    clock: Clock,
    principal: Principal,
    *,
    bc_id: str,
    partner_id: str,
    asset_type: str,
    asset_ids: Sequence[str],
    advertiser_role: str | None,
) -> int:
    require_role(principal, Role.ADMIN)
    if principal.advertisers is not None:  # a member limited to some ad accounts shares only those
        for asset_id in asset_ids:
            if str(asset_id) not in principal.advertisers:
                raise SparkadsError("no_permission", what=f"advertiser {asset_id}")

    def act(session: Session) -> int:
        bc = business_center_of(session, principal, bc_id)
        return add_partner(
            session,
            clock,
            bc,
            partner_id=partner_id,
            asset_type=asset_type,
            asset_ids=asset_ids,
            advertiser_role=advertiser_role,
        )

    return committed(uow, act)
