"""Campaigns, ad groups and ads: what the open API, the web app and the CLI call to change them.

Each method opens its own unit of work, checks that the principal may act on the advertiser,
runs a domain command (campaigns/commands.py) through the domain services (campaigns.service,
campaigns.adgroups, campaigns.ads, which flush and never commit), commits, and returns the rows
for the entrypoint to render. A refused command writes nothing. The change feed and the audit log
record what a commit changed (db/change_feed.py, db/audit.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.accounts.service import Principal, authorize_advertiser
from sparkads.authorizations.models import Identity
from sparkads.campaigns import adgroups, ads, assets, minors, service
from sparkads.campaigns.commands import NewAdGroup, NewCampaign, NewCreative
from sparkads.campaigns.enums import OperationStatus
from sparkads.campaigns.models import Ad, AdGroup, Campaign
from sparkads.clock import Clock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.errors import SparkadsError
from sparkads.services.units import for_advertiser

T = TypeVar("T")
P = ParamSpec("P")
C_contra = TypeVar("C_contra", contravariant=True)


@dataclass(frozen=True)
class Launch:
    """A campaign with one ad group and one Spark ad, as the web wizard plans it: the ad group's
    command is made once the campaign exists (it names it and inherits its budget mode)."""

    campaign: NewCampaign
    adgroup: Callable[[Campaign], NewAdGroup]
    creative: NewCreative


@dataclass(frozen=True)
class Launched:
    campaign: Campaign
    adgroup: AdGroup
    ad: Ad
    # the ad group's and the ad's, as catalogue entries (any language)
    warnings: tuple[SparkadsError, ...] = ()


def _command(
    act: Callable[Concatenate[Session, Clock, Advertiser, P], T],
) -> Callable[Concatenate[Campaigns, Principal, str, P], T]:
    """A domain command as a method of `Campaigns`: the principal and the advertiser it acts
    for first, then the domain function's own arguments, run in one unit of work (`_run`)."""

    def method(
        self: Campaigns, principal: Principal, advertiser_id: str, /, *args: P.args, **kw: P.kwargs
    ) -> T:
        return self._run(
            principal,
            advertiser_id,
            lambda session, adv: act(session, self._clock, adv, *args, **kw),
        )

    return method


class _ReviewedAds(Protocol[C_contra]):
    """An ads command whose ads go through review: `ads.create_ads`, `ads.update_ads`."""

    def __call__(
        self,
        session: Session,
        clock: Clock,
        advertiser: Advertiser,
        adgroup_id: str,
        items: Sequence[C_contra],
        /,
        *,
        auto_approve: bool,
    ) -> list[Ad]: ...


def _reviewed(
    act: _ReviewedAds[C_contra],
) -> Callable[[Campaigns, Principal, str, str, Sequence[C_contra]], list[Ad]]:
    """An ads command as a method of `Campaigns`, as `_command` makes one, its ads reviewed as
    `Settings.auto_approve` says."""

    def method(
        self: Campaigns,
        principal: Principal,
        advertiser_id: str,
        adgroup_id: str,
        items: Sequence[C_contra],
        /,
    ) -> list[Ad]:
        return self._run(
            principal,
            advertiser_id,
            lambda session, adv: act(
                session, self._clock, adv, adgroup_id, items, auto_approve=self._auto_approve
            ),
        )

    return method


class Campaigns:
    def __init__(self, uow: Callable[[], UnitOfWork], clock: Clock, *, auto_approve: bool) -> None:
        self._uow = uow
        self._clock = clock
        self._auto_approve = auto_approve  # Settings.auto_approve: new ads pass on the rules

    def _run(
        self, principal: Principal, advertiser_id: str, act: Callable[[Session, Advertiser], T]
    ) -> T:
        """One unit of work: the advertiser checked, the domain command run, then committed."""
        return for_advertiser(self._uow, principal, advertiser_id, act)

    # --- campaigns -----------------------------------------------------------------------
    create_campaign = _command(service.create_campaign)
    update_campaign = _command(service.update_campaign)
    set_campaign_status = _command(service.set_campaign_status)

    # --- ad groups -----------------------------------------------------------------------
    create_adgroup = _command(adgroups.create_adgroup)
    update_adgroup = _command(adgroups.update_adgroup)

    def set_adgroup_status(
        self,
        principal: Principal,
        advertiser_id: str,
        adgroup_ids: Sequence[str],
        status: OperationStatus,
        *,
        partial: bool = False,
    ) -> tuple[list[AdGroup], list[tuple[str, SparkadsError]]]:
        """The ad groups changed and why the others were not. Without `partial`, the first
        refusal is raised and nothing changes."""

        def act(
            session: Session, adv: Advertiser
        ) -> tuple[list[AdGroup], list[tuple[str, SparkadsError]]]:
            changed, failed = adgroups.set_adgroup_status(
                session, self._clock, adv, adgroup_ids, status
            )
            if failed and not partial:
                raise failed[0][1]
            return changed, failed

        return self._run(principal, advertiser_id, act)

    # --- ads -----------------------------------------------------------------------------
    create_ads = _reviewed(ads.create_ads)
    update_ads = _reviewed(ads.update_ads)
    set_ad_status = _command(ads.set_ad_status)

    # --- the web wizard --------------------------------------------------------------------
    def launch(
        self, principal: Principal, advertiser_id: str, plan: Launch, *, dry_run: bool
    ) -> Launched:
        """Create the campaign, its ad group and its ad (through review) in one unit of work.
        A dry run leaves without committing, so nothing is written but the rows show what
        launching will do. An identity named without a Business Center is reached through the
        one it belongs to, if any."""
        with self._uow() as uow:
            session = uow.session
            advertiser = authorize_advertiser(session, principal, advertiser_id)
            campaign = service.create_campaign(session, self._clock, advertiser, plan.campaign)
            group = adgroups.create_adgroup(
                session, self._clock, advertiser, plan.adgroup(campaign)
            )
            creative = plan.creative
            identity = session.get(Identity, creative.identity_id)
            if creative.identity_authorized_bc_id is None and identity is not None:
                creative = replace(creative, identity_authorized_bc_id=identity.bc_id)
            [ad] = ads.create_ads(
                session, self._clock, advertiser, group.adgroup_id, [creative],
                auto_approve=self._auto_approve,
            )  # fmt: skip
            asset = assets.ad_asset(session, ad)
            warned = minors.adgroup_warnings(group.targeting)
            warned += assets.warning_errors(asset, group) if asset is not None else []
            if not dry_run:
                uow.commit()
            return Launched(campaign, group, ad, tuple(warned))

    def check_access(self, principal: Principal, advertiser_id: str) -> Advertiser:
        """The advertiser, if the principal may act on it (40001 otherwise): the open API answers
        this before it looks at the other fields of a body, as TikTok does."""
        with self._uow() as uow:
            return authorize_advertiser(uow.session, principal, advertiser_id)
