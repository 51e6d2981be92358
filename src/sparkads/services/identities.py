"""identity/create/: a CUSTOMIZED_USER identity for an ad account the caller may act on."""

from __future__ import annotations

from sparkads.accounts.service import Principal, authorize_advertiser
from sparkads.authorizations.new_identities import create_custom_identity
from sparkads.clock import Clock
from sparkads.db.unit_of_work import UnitOfWorkFactory


def create_custom(
    uow: UnitOfWorkFactory,
    clock: Clock,
    principal: Principal,
    *,
    advertiser_id: str,
    display_name: str,
    image_uri: str,
) -> str:
    with uow() as unit:
        advertiser = authorize_advertiser(unit.session, principal, advertiser_id)
        identity = create_custom_identity(
            unit.session, clock, advertiser, display_name=display_name, image_uri=image_uri
        )
        unit.commit()
        return identity.identity_id
