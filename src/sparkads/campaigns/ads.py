"""Spark ad services (R1, R6, R8, R12, R15, R16): an ad's creative is a post reference, checked
against the identity that reaches it; warnings are kept on the ad; whether its Spark asset is still
usable is computed live, so expiry, revocation or deletion stop it and renewal brings it back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.authorizations.identities import get_visible_identity, require_active
from sparkads.authorizations.models import Identity, IdentityType
from sparkads.campaigns import review
from sparkads.campaigns.assets import (
    FORMAT_OF,
    Asset,
    ad_asset,
    asset_problem,
    cta_portfolio,
    kept_warnings,
    resolve_asset,
)
from sparkads.campaigns.commands import CreativeChange, NewCreative
from sparkads.campaigns.enums import CALL_TO_ACTIONS, AdFormat, OperationStatus, PromotionType
from sparkads.campaigns.models import Ad, AdGroup, AdVideo, Campaign
from sparkads.campaigns.queries import get_ad, get_campaign
from sparkads.campaigns.service import MAX_STATUS_IDS, require_not_deleted
from sparkads.clock import Clock
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.ids import new_id
from sparkads.posts.models import Post
from sparkads.posts.schemas import PostCreate
from sparkads.posts.service import (
    lock_caption,
    make_public_for_promotion,
    publish_post,
)

MAX_CREATIVES = 20
LANDING_PAGE = "landing_page_url"  # its wire name; the web app shows its label instead
REQUIRED_FOR_WEBSITE = N_("required when the ad group promotes a website")


def _check_landing_page(url: str | None, promotion: str | None) -> None:
    if url is None:
        if promotion == PromotionType.WEBSITE:
            raise SparkadsError(
                "landing_page_invalid", field=LANDING_PAGE, detail=LocalText(REQUIRED_FOR_WEBSITE)
            )
        return
    parts = urlsplit(url)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or ("." not in parts.hostname and parts.hostname != "localhost")
        or " " in url
    ):
        raise SparkadsError("landing_page_invalid", field=LANDING_PAGE, detail=url[:80])


def _check_cta(
    session: Session,
    advertiser: Advertiser,
    call_to_action: str | None,
    promotion: str | None,
    portfolio_id: str | None,
) -> None:
    """A call to action the ad group needs: a TikTok value, or a dynamic CTA portfolio of the ad
    account (`call_to_action_id`, which wins over `call_to_action`)."""
    if portfolio_id is not None:
        cta_portfolio(session, advertiser.advertiser_id, portfolio_id)
    if call_to_action is None:
        if promotion is not None and portfolio_id is None:
            raise SparkadsError(
                "invalid_parameter",
                field="call_to_action",
                detail=LocalText(N_("required when the ad group sends people somewhere")),
            )
        return
    if call_to_action not in CALL_TO_ACTIONS:
        raise SparkadsError(
            "invalid_parameter",
            field="call_to_action",
            detail=LocalText(
                N_("{value} is not a TikTok call to action"), {"value": repr(call_to_action)}
            ),
        )


def _push_post(
    session: Session,
    clock: Clock,
    advertiser: Advertiser,
    identity: Identity,
    creative: NewCreative,
) -> Post:
    """R6 push flow: a new video becomes an ads-only post on the linked account."""
    if identity.identity_type == IdentityType.AUTH_CODE.value:
        raise SparkadsError("push_needs_own_account")
    video = session.get(AdVideo, str(creative.video_id))
    if video is None or video.advertiser_id != advertiser.advertiser_id:
        raise SparkadsError("video_not_found", video_id=creative.video_id)
    if not creative.ad_text:
        raise SparkadsError(
            "invalid_parameter",
            field="ad_text",
            detail=LocalText(N_("required when publishing a new video (1 to 100 characters)")),
        )
    ads_only = creative.dark_post_status is None or creative.dark_post_status.value == "ON"
    data = PostCreate(
        caption=creative.ad_text,
        duration=video.duration,
        width=video.width or 1080,
        height=video.height or 1920,
        size_bytes=video.size,
        ads_only=ads_only,
    ).command()  # checked as a creator's post is
    return publish_post(session, clock, creator_id=identity.creator_id, data=data)


def _parents(session: Session, advertiser: Advertiser, adgroup_id: str) -> tuple[AdGroup, Campaign]:
    adgroup = session.get(AdGroup, str(adgroup_id))
    if adgroup is None or adgroup.advertiser_id != advertiser.advertiser_id:
        raise SparkadsError("object_not_found", object_type="ad group", object_id=adgroup_id)
    campaign = get_campaign(session, advertiser.advertiser_id, adgroup.campaign_id)
    require_not_deleted(
        "ad group", adgroup.adgroup_id, adgroup.operation_status, campaign.operation_status
    )
    return adgroup, campaign


def _identity(
    session: Session,
    advertiser: Advertiser,
    identity_type: str,
    identity_id: str,
    bc_id: str | None,
) -> Identity:
    kind = IdentityType(identity_type)
    if kind is IdentityType.BC_AUTH_TT and not bc_id:
        raise SparkadsError(
            "invalid_parameter",
            field="identity_authorized_bc_id",
            detail=LocalText(N_("required for BC_AUTH_TT identities")),
        )
    identity = get_visible_identity(
        session, advertiser, identity_id=identity_id, identity_type=kind, bc_id=bc_id
    )
    require_active(identity)
    return identity


def _launch(session: Session, clock: Clock, asset: Asset, ad_id: str, enabled: bool) -> None:
    """Using a post in an ad freezes its caption (R7); own private posts go public (R8)."""
    lock_caption(session, clock, asset.post, because=f"ad {ad_id}")
    if enabled and asset.spark_code is None:
        make_public_for_promotion(session, clock, asset.post, ad_ref=ad_id)


def create_ads(
    session: Session,
    clock: Clock,
    advertiser: Advertiser,
    adgroup_id: str,
    creatives: Sequence[NewCreative],
    *,
    auto_approve: bool,
) -> list[Ad]:
    """Create the ads; each goes through review (campaigns/review.py): approved by the policy
    rules when `auto_approve` (Settings.auto_approve), else waiting for a reviewer."""
    if len(creatives) > MAX_CREATIVES:
        raise SparkadsError("too_many_ids", field="creatives", limit=MAX_CREATIVES)
    adgroup, campaign = _parents(session, advertiser, adgroup_id)
    return [
        _create_one(session, clock, advertiser, adgroup, campaign, creative, index, auto_approve)
        for index, creative in enumerate(creatives)
    ]


def _create_one(
    session: Session,
    clock: Clock,
    advertiser: Advertiser,
    adgroup: AdGroup,
    campaign: Campaign,
    creative: NewCreative,
    index: int,
    auto_approve: bool,
) -> Ad:
    identity = _identity(
        session,
        advertiser,
        creative.identity_type,
        creative.identity_id,
        creative.identity_authorized_bc_id,
    )
    if (creative.tiktok_item_id is None) == (creative.video_id is None):
        raise SparkadsError(
            "invalid_parameter",
            field=f"creatives.{index}.tiktok_item_id",
            detail=LocalText(N_("give tiktok_item_id (existing post) or video_id (new video)")),
        )
    if creative.tiktok_item_id is not None:
        asset = resolve_asset(session, advertiser.advertiser_id, identity, creative.tiktok_item_id)
    else:
        post = _push_post(session, clock, advertiser, identity, creative)
        asset = Asset(post, identity, None)
    problem = asset_problem(asset, clock.now())
    if problem is not None:
        raise problem
    if (
        creative.tiktok_item_id is not None
        and creative.dark_post_status is not None
        and ((creative.dark_post_status.value == "ON") != asset.post.ads_only)
    ):
        raise SparkadsError(
            "invalid_parameter",
            field=f"creatives.{index}.dark_post_status",
            detail=LocalText(
                N_("an existing post keeps its own ads-only setting; this one is {status}"),
                {"status": "ON" if asset.post.ads_only else "OFF"},
            ),
        )
    expected = _format_for(asset.post, creative.ad_format)
    _check_cta(
        session,
        advertiser,
        creative.call_to_action,
        adgroup.promotion_type,
        creative.call_to_action_id,
    )
    _check_landing_page(creative.landing_page_url, adgroup.promotion_type)
    now = clock.now()
    ad = Ad(
        ad_id=new_id(),
        advertiser_id=advertiser.advertiser_id,
        campaign_id=campaign.campaign_id,
        adgroup_id=adgroup.adgroup_id,
        ad_name=creative.ad_name or _auto_name(asset.post, now),
        operation_status=creative.operation_status,
        identity_type=identity.identity_type,
        identity_id=identity.identity_id,
        identity_authorized_bc_id=identity.bc_id,
        tiktok_item_id=asset.post.item_id,
        ad_format=expected,
        call_to_action=creative.call_to_action,
        call_to_action_id=creative.call_to_action_id,
        landing_page_url=creative.landing_page_url,
        dark_post_status="ON" if asset.post.ads_only else "OFF",
        ad_text=asset.post.caption[:100] or None,
        warnings=kept_warnings(asset, adgroup),
        create_time=now,
        modify_time=now,
    )
    session.add(ad)
    review.submit(session, clock, ad, asset.post, adgroup, auto_approve=auto_approve, edited=False)
    session.flush()
    _launch(session, clock, asset, ad.ad_id, ad.operation_status == OperationStatus.ENABLE)
    return ad


def _format_for(post: Post, given: AdFormat | None) -> AdFormat:
    """The ad format a post makes (its item type); a format given, or the ad's, must agree."""
    expected = FORMAT_OF[post.item_type]
    if given is not None and given is not expected:
        raise SparkadsError(
            "ad_format_mismatch",
            ad_format=given.value,
            item_type=post.item_type,
            expected=expected.value,
        )
    return expected


def _auto_name(post: Post, now: datetime) -> str:
    caption = " ".join(post.caption.split())[:40] or post.item_id
    return f"{caption} {now:%Y-%m-%d %H:%M}"


def update_ads(
    session: Session,
    clock: Clock,
    advertiser: Advertiser,
    adgroup_id: str,
    changes: Sequence[CreativeChange],
    *,
    auto_approve: bool,
) -> list[Ad]:
    """Edit ads; an edited ad is reviewed again (AD_STATUS_REAUDIT until a decision)."""
    if len(changes) > MAX_CREATIVES:
        raise SparkadsError("too_many_ids", field="creatives", limit=MAX_CREATIVES)
    adgroup, _ = _parents(session, advertiser, adgroup_id)
    return [_update_one(session, clock, advertiser, adgroup, c, auto_approve) for c in changes]


def _update_one(
    session: Session,
    clock: Clock,
    advertiser: Advertiser,
    adgroup: AdGroup,
    change: CreativeChange,
    auto_approve: bool,
) -> Ad:
    ad = get_ad(session, advertiser.advertiser_id, change.ad_id)
    if ad.adgroup_id != adgroup.adgroup_id:
        raise SparkadsError("object_not_found", object_type="ad", object_id=change.ad_id)
    require_not_deleted("ad", ad.ad_id, ad.operation_status)
    if change.video_id is not None:
        raise SparkadsError("field_not_supported", field="video_id (on update)")
    if change.ad_format is not None and change.ad_format != ad.ad_format:
        raise SparkadsError(
            "invalid_parameter",
            field="ad_format",
            detail=LocalText(N_("cannot change once the ad exists")),
        )
    identity = _identity(
        session,
        advertiser,
        change.identity_type or ad.identity_type,
        change.identity_id or ad.identity_id,
        change.identity_authorized_bc_id or ad.identity_authorized_bc_id,
    )
    asset = resolve_asset(
        session, advertiser.advertiser_id, identity, change.tiktok_item_id or ad.tiktok_item_id
    )
    problem = asset_problem(asset, clock.now())
    if problem is not None:
        raise problem
    _format_for(asset.post, ad.ad_format)
    call_to_action = change.call_to_action or ad.call_to_action
    portfolio_id = change.call_to_action_id or ad.call_to_action_id
    landing_page = change.landing_page_url or ad.landing_page_url
    _check_cta(session, advertiser, call_to_action, adgroup.promotion_type, portfolio_id)
    _check_landing_page(landing_page, adgroup.promotion_type)
    ad.identity_type, ad.identity_id = identity.identity_type, identity.identity_id
    ad.identity_authorized_bc_id, ad.tiktok_item_id = identity.bc_id, asset.post.item_id
    ad.call_to_action, ad.landing_page_url = call_to_action, landing_page
    ad.call_to_action_id = portfolio_id
    if change.ad_name:
        ad.ad_name = change.ad_name
    ad.warnings = kept_warnings(asset, adgroup)
    ad.modify_time = clock.now()
    review.submit(session, clock, ad, asset.post, adgroup, auto_approve=auto_approve, edited=True)
    session.flush()
    _launch(session, clock, asset, ad.ad_id, ad.operation_status == OperationStatus.ENABLE)
    return ad


def set_ad_status(
    session: Session,
    clock: Clock,
    advertiser: Advertiser,
    ad_ids: Sequence[str],
    status: OperationStatus,
) -> list[Ad]:
    if len(ad_ids) > MAX_STATUS_IDS:
        raise SparkadsError("too_many_ids", field="ad_ids", limit=MAX_STATUS_IDS)
    ads = [get_ad(session, advertiser.advertiser_id, ad_id) for ad_id in ad_ids]
    now = clock.now()
    for ad in ads:
        adgroup, campaign = (
            session.get_one(AdGroup, ad.adgroup_id),
            session.get_one(Campaign, ad.campaign_id),
        )
        require_not_deleted(
            "ad", ad.ad_id, ad.operation_status, adgroup.operation_status, campaign.operation_status
        )
    for ad in ads:
        ad.operation_status, ad.modify_time = status, now
        if status is OperationStatus.ENABLE:
            asset = ad_asset(session, ad)
            if asset is not None:
                _launch(session, clock, asset, ad.ad_id, enabled=True)
    session.flush()
    return ads


# Asset and asset_problem are also read from here by delivery/compile.py
__all__ = ["Asset", "asset_problem", "create_ads", "set_ad_status", "update_ads"]
