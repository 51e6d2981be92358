"""A Business Center's assets and members, as TikTok's bc/asset/* and bc/member/get show them.

Assets are its ad accounts (ADVERTISER) and the creators' TikTok accounts it was given access to
(TT_ACCOUNT: a BC_AUTH_TT identity; UNBOUND once the creator ended the access). Members are the
Business Center's access tokens (its people and tools until user accounts exist): each can be
given assets with roles (bc/asset/assign/). sparkads has no catalogs, shops, pixels, lead forms
or domains: those asset types list nothing. Read-only: sharing an asset with a member (and stopping)
is in `authorizations.bc_sharing`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import AccessToken, Advertiser, BusinessCenter, Creator, TokenScope
from sparkads.authorizations.models import BcAssetAssignment, Identity, IdentityType
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText

ASSET_TYPES = (
    "ADVERTISER",
    "CATALOG",
    "TIKTOK_SHOP",
    "PIXEL",
    "LEAD",
    "TT_ACCOUNT",
    "STOREFRONT",
    "DOMAIN",
)
ADVERTISER_ROLES = ("ADMIN", "OPERATOR", "ANALYST")
TT_ACCOUNT_ROLES = ("POST", "LIVE", "DIRECT_MESSAGE")


@dataclass(frozen=True)
class Asset:
    asset_id: str
    asset_name: str
    asset_type: str
    relation_type: str  # OWNER_BC (its own ad accounts) | OWNER_INDIVIDUAL (a creator's account)
    relation_status: str  # BOUND | UNBOUND


def assets(session: Session, bc: BusinessCenter, asset_type: str) -> list[Asset]:
    if asset_type not in ASSET_TYPES:
        raise SparkadsError(
            "invalid_parameter",
            field="asset_type",
            detail=LocalText(N_("one of {choices}"), {"choices": ", ".join(ASSET_TYPES)}),
        )
    if asset_type == "ADVERTISER":
        advertisers = session.scalars(
            select(Advertiser)
            .where(Advertiser.bc_id == bc.bc_id)
            .order_by(Advertiser.created_at, Advertiser.advertiser_id)
        )
        return [
            Asset(a.advertiser_id, a.name, asset_type, "OWNER_BC", "BOUND") for a in advertisers
        ]
    if asset_type == "TT_ACCOUNT":
        found = session.execute(
            select(Identity, Creator)
            .join(Creator, Creator.creator_id == Identity.creator_id)
            .where(
                Identity.bc_id == bc.bc_id,
                Identity.identity_type == IdentityType.BC_AUTH_TT.value,
            )
            .order_by(Identity.created_at, Identity.identity_id)
        )
        return [
            Asset(
                identity.identity_id,
                creator.handle,
                asset_type,
                "OWNER_INDIVIDUAL",
                "UNBOUND" if identity.ended_at else "BOUND",
            )
            for identity, creator in found
        ]
    return []


def members(session: Session, bc: BusinessCenter) -> Sequence[AccessToken]:
    """The Business Center's live tokens, oldest first."""
    return session.scalars(
        select(AccessToken)
        .where(
            AccessToken.scope == TokenScope.BUSINESS_CENTER.value,
            AccessToken.subject_id == bc.bc_id,
            AccessToken.revoked_at.is_(None),
        )
        .order_by(AccessToken.created_at, AccessToken.token_id)
    ).all()


def assignments(session: Session, bc: BusinessCenter) -> dict[tuple[str, str, str], list[str]]:
    """(user_id, asset_type, asset_id) -> roles."""
    rows = session.scalars(select(BcAssetAssignment).where(BcAssetAssignment.bc_id == bc.bc_id))
    return {(r.user_id, r.asset_type, r.asset_id): r.roles.split(",") for r in rows}


def member_info(token: AccessToken, bc: BusinessCenter) -> dict[str, object]:
    return {
        "user_id": token.token_id,
        "user_name": token.label or f"{bc.name} token {token.token_id[-6:]}",
        "user_email": None,
        "user_role": "ADMIN",
        "ext_user_role": {"finance_role": "MANAGER"},
        "relation_status": "BOUND",
    }
