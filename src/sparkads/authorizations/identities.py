"""Identities an advertiser can speak as: AUTH_CODE (one per creator whose code it applied),
TT_USER (its own linked account) and BC_AUTH_TT (accounts its Business Center has access to);
and the CUSTOMIZED_USER identities it made up (identity/create/), which Spark ads cannot use.
Read-only: identities are made in `authorizations.new_identities`."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.authorizations.models import CustomIdentity, Identity, IdentityType
from sparkads.clock import format_rfc3339
from sparkads.errors import SparkadsError


def visible_identities(
    session: Session, advertiser: Advertiser, identity_type: IdentityType | None = None
) -> Sequence[Identity]:
    """Identities this advertiser may use: its own, plus its Business Center's account accesses."""
    own = Identity.advertiser_id == advertiser.advertiser_id
    via_bc = (Identity.bc_id == advertiser.bc_id) if advertiser.bc_id else None
    query = select(Identity).where(or_(own, via_bc) if via_bc is not None else own)
    if identity_type is not None:
        query = query.where(Identity.identity_type == identity_type.value)
    return session.scalars(query.order_by(Identity.created_at, Identity.identity_id)).all()


def get_visible_identity(
    session: Session,
    advertiser: Advertiser,
    *,
    identity_id: str,
    identity_type: IdentityType,
    bc_id: str | None = None,
) -> Identity:
    identity = session.get(Identity, str(identity_id))
    visible = (
        identity is not None
        and identity.identity_type == identity_type.value
        and (
            identity.advertiser_id == advertiser.advertiser_id
            or (identity.bc_id is not None and identity.bc_id == advertiser.bc_id)
        )
    )
    if identity_type is IdentityType.BC_AUTH_TT and identity is not None and bc_id is not None:
        visible = visible and identity.bc_id == str(bc_id)
    if not visible or identity is None:
        raise SparkadsError(
            "identity_not_found", identity_id=identity_id, identity_type=identity_type.value
        )
    return identity


def require_active(identity: Identity) -> None:
    if identity.ended_at is not None:
        raise SparkadsError(
            "identity_unavailable",
            identity_id=identity.identity_id,
            ended_at=format_rfc3339(identity.ended_at),
        )


def custom_identities(session: Session, advertiser: Advertiser) -> Sequence[CustomIdentity]:
    return session.scalars(
        select(CustomIdentity)
        .where(CustomIdentity.advertiser_id == advertiser.advertiser_id)
        .order_by(CustomIdentity.created_at, CustomIdentity.identity_id)
    ).all()
