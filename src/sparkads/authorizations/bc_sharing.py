"""Sharing a Business Center's asset with a member, with roles (bc/asset/assign/), and stopping
(bc/asset/unassign/). What is shared is read in `authorizations.bc_assets`."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import BusinessCenter
from sparkads.authorizations.bc_assets import ADVERTISER_ROLES, TT_ACCOUNT_ROLES, assets, members
from sparkads.authorizations.models import BcAssetAssignment
from sparkads.clock import Clock
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText


def _shared(
    session: Session, bc: BusinessCenter, user_id: str, asset_type: str, asset_id: str
) -> BcAssetAssignment | None:
    return session.scalar(
        select(BcAssetAssignment).where(
            BcAssetAssignment.bc_id == bc.bc_id,
            BcAssetAssignment.user_id == user_id,
            BcAssetAssignment.asset_type == asset_type,
            BcAssetAssignment.asset_id == asset_id,
        )
    )


def assign(
    session: Session,
    clock: Clock,
    bc: BusinessCenter,
    *,
    user_id: str,
    asset_type: str,
    asset_id: str,
    roles: Sequence[str],
) -> BcAssetAssignment:
    """Share one asset with one member, with these roles (replacing roles given before)."""
    if user_id not in {m.token_id for m in members(session, bc)}:
        raise SparkadsError(
            "invalid_parameter",
            field="user_id",
            detail=LocalText(
                N_("not a member of this Business Center (bc/member/get/ lists them)")
            ),
        )
    allowed = {"ADVERTISER": ADVERTISER_ROLES, "TT_ACCOUNT": TT_ACCOUNT_ROLES}.get(asset_type)
    if allowed is None:
        raise SparkadsError("field_not_supported", field=f"asset_type={asset_type}")
    field = "advertiser_role" if asset_type == "ADVERTISER" else "tt_account_roles"
    if not roles or any(role not in allowed for role in roles):
        raise SparkadsError(
            "invalid_parameter",
            field=field,
            detail=LocalText(N_("of {choices}"), {"choices": ", ".join(allowed)}),
        )
    if asset_id not in {a.asset_id for a in assets(session, bc, asset_type)}:
        raise SparkadsError("no_permission", what=f"{asset_type} asset {asset_id}")
    row = _shared(session, bc, user_id, asset_type, asset_id)
    if row is None:
        row = BcAssetAssignment(
            bc_id=bc.bc_id, user_id=user_id, asset_type=asset_type, asset_id=asset_id
        )
        session.add(row)
    row.roles = ",".join(dict.fromkeys(roles))
    row.assigned_at = clock.now()
    session.flush()
    return row


def unassign(
    session: Session, bc: BusinessCenter, *, user_id: str, asset_type: str, asset_id: str
) -> None:
    """Stop sharing an asset with a member; one that was not shared with them is refused."""
    row = _shared(session, bc, user_id, asset_type, asset_id)
    if row is None:
        raise SparkadsError(
            "invalid_parameter",
            field="asset_id",
            detail=LocalText(
                N_(
                    "this asset is not shared with this member (bc/asset/get/ with "
                    "filtering.user_id lists what is)"
                )
            ),
        )
    session.delete(row)
    session.flush()
