"""Making identities: the one an advertiser speaks as once a creator's code is applied or an access
granted (AUTH_CODE, TT_USER, BC_AUTH_TT: one per creator and advertiser or Business Center), and
the CUSTOMIZED_USER identities an advertiser makes up (identity/create/). Reading them is in
`authorizations.identities`."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.authorizations.models import CustomIdentity, Identity, IdentityType
from sparkads.clock import Clock
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.ids import new_id


def get_or_create_identity(
    session: Session,
    clock: Clock,
    *,
    identity_type: IdentityType,
    creator_id: str,
    advertiser_id: str | None = None,
    bc_id: str | None = None,
) -> Identity:
    """The identity for this owner and creator, created or brought back into use."""
    identity = session.scalar(
        select(Identity).where(
            Identity.identity_type == identity_type.value,
            Identity.creator_id == creator_id,
            Identity.advertiser_id.is_(None)
            if advertiser_id is None
            else Identity.advertiser_id == advertiser_id,
            Identity.bc_id.is_(None) if bc_id is None else Identity.bc_id == bc_id,
        )
    )
    if identity is None:
        identity = Identity(
            identity_id=new_id(),
            identity_type=identity_type.value,
            creator_id=creator_id,
            advertiser_id=advertiser_id,
            bc_id=bc_id,
            created_at=clock.now(),
        )
        session.add(identity)
    identity.ended_at = None
    session.flush()
    return identity


def create_custom_identity(
    session: Session, clock: Clock, advertiser: Advertiser, *, display_name: str, image_uri: str
) -> CustomIdentity:
    name = display_name.strip()
    if not 1 <= len(name) <= 100:
        raise SparkadsError(
            "invalid_parameter", field="display_name", detail=LocalText(N_("1 to 100 characters"))
        )
    if len(image_uri) > 200:
        raise SparkadsError(
            "invalid_parameter", field="image_uri", detail=LocalText(N_("at most 200 characters"))
        )
    identity = CustomIdentity(
        identity_id=new_id(),
        advertiser_id=advertiser.advertiser_id,
        display_name=name,
        image_uri=image_uri.strip(),
        created_at=clock.now(),
    )
    session.add(identity)
    session.flush()
    return identity
