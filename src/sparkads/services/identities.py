"""identity/create/: a CUSTOMIZED_USER identity for an ad account the caller may act on."""

from __future__ import annotations

from sparkads.accounts.service import Principal
from sparkads.authorizations.new_identities import create_custom_identity
from sparkads.clock import Clock
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.services.units import for_advertiser


def create_custom(
    uow: UnitOfWorkFactory,
    clock: Clock,
    principal: Principal,
    *,
    advertiser_id: str,
    display_name: str,
    image_uri: str,
) -> str:
    identity = for_advertiser(
        uow, principal, advertiser_id,
        lambda session, advertiser: create_custom_identity(
            session, clock, advertiser, display_name=display_name, image_uri=image_uri
        ),
    )  # fmt: skip
    return identity.identity_id
