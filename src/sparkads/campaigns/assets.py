"""What an ad points at (R12, R15, R16): its post and identity resolved, whether that Spark asset
is usable now (computed live, so expiry, revocation or deletion stop an ad and renewal brings it
back), and the warnings kept on the ad. Read-only: the ad services, the renderers, the snapshot
compiler and the recommendations all read through here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.authorizations.identities import require_active
from sparkads.authorizations.models import Identity, IdentityType, LibraryItem, SparkCode
from sparkads.authorizations.spark_codes import check_usable
from sparkads.campaigns.enums import AdFormat
from sparkads.campaigns.models import Ad, AdGroup, CreativePortfolio
from sparkads.clock import as_utc, format_rfc3339, format_tiktok_time
from sparkads.errors import SparkadsError
from sparkads.posts.models import ItemType, Post, PostStatus
from sparkads.posts.rules import outside_best_duration, spark_blocker
from sparkads.posts.service import facts, unavailable

FORMAT_OF = {
    ItemType.VIDEO.value: AdFormat.SINGLE_VIDEO,
    ItemType.CAROUSEL.value: AdFormat.CAROUSEL_ADS,
}


@dataclass(frozen=True)
class Asset:
    """What an ad points at, resolved: the post, the identity and (AUTH_CODE) the current code."""

    post: Post
    identity: Identity
    spark_code: SparkCode | None


def _library_item(session: Session, advertiser_id: str, item_id: str) -> LibraryItem | None:
    return session.scalar(
        select(LibraryItem).where(
            LibraryItem.advertiser_id == advertiser_id,
            LibraryItem.item_id == item_id,
            LibraryItem.unbound_at.is_(None),
        )
    )


def resolve_asset(session: Session, advertiser_id: str, identity: Identity, item_id: str) -> Asset:
    """The post behind (identity, item_id), or post_not_authorized if this identity cannot reach it."""
    refused = SparkadsError(
        "post_not_authorized", item_id=item_id, identity_id=identity.identity_id
    )
    post = session.get(Post, str(item_id))
    if post is None:
        raise SparkadsError("post_not_found", item_id=item_id)
    if identity.identity_type == IdentityType.AUTH_CODE.value:
        item = _library_item(session, advertiser_id, post.item_id)
        if item is None or item.identity_id != identity.identity_id:
            raise refused
        return Asset(post, identity, session.get_one(SparkCode, item.authorization_id))
    if post.creator_id != identity.creator_id:
        raise refused
    return Asset(post, identity, None)


def cta_portfolio(session: Session, advertiser_id: str, portfolio_id: str) -> CreativePortfolio:
    """The dynamic CTA portfolio an ad names (`call_to_action_id`): one of its ad account's, of
    type CTA."""
    found = session.get(CreativePortfolio, str(portfolio_id))
    if found is None or found.advertiser_id != advertiser_id:
        raise SparkadsError("portfolio_not_found", portfolio_id=portfolio_id)
    if found.portfolio_type != "CTA":
        raise SparkadsError(
            "portfolio_not_cta", portfolio_id=portfolio_id, portfolio_type=found.portfolio_type
        )
    return found


def asset_problem(asset: Asset, now: datetime) -> SparkadsError | None:
    """Why this asset cannot be delivered now (R12, R15), or None. Own-account posts are made
    public at launch (R8), so only their availability and format count."""
    try:
        require_active(asset.identity)
        if asset.spark_code is not None:
            check_usable(asset.spark_code, asset.post, now)
        elif asset.post.status != PostStatus.ACTIVE:
            raise unavailable(asset.post)
        else:
            blocker = spark_blocker(facts(asset.post))
            if blocker is not None and blocker[0] != "not_public_video":
                raise SparkadsError(blocker[0], **blocker[1])
    except SparkadsError as error:
        return error
    return None


def ad_asset(session: Session, ad: Ad) -> Asset | None:
    identity = session.get(Identity, ad.identity_id)
    if identity is None:
        return None
    try:
        return resolve_asset(session, ad.advertiser_id, identity, ad.tiktok_item_id)
    except SparkadsError:
        return None


def warnings_for(asset: Asset, adgroup: AdGroup, lang: str = "en") -> list[dict[str, str]]:
    """Advice kept on the ad (R16, music, authorization window), never a refusal, in `lang`."""
    return warning_dicts(warning_errors(asset, adgroup), lang)


def kept_warnings(asset: Asset, adgroup: AdGroup) -> list[dict[str, str]]:
    """The warnings as the ad row keeps them (and its history shows them): in English, with the
    French message beside it; the open API answers in the request's language instead."""
    errors = warning_errors(asset, adgroup)
    return [
        {**shown, "fr": error.render("fr")["message"]}
        for shown, error in zip(warning_dicts(errors), errors, strict=True)
    ]


def warning_dicts(warnings: Iterable[SparkadsError], lang: str = "en") -> list[dict[str, str]]:
    """Warnings as the open API shows them: code, message, cause and solution in the request's
    language (as its errors are), no other key."""
    return [
        {"code": w.code, **{k: v for k, v in w.render(lang).items() if k != "code"}}
        for w in warnings
    ]


def warning_errors(asset: Asset, adgroup: AdGroup) -> list[SparkadsError]:
    """The warnings of an ad as catalogue entries, to render in any language."""
    found: list[SparkadsError] = []
    post = asset.post
    if post.item_type == ItemType.VIDEO.value and outside_best_duration(post.duration):
        found.append(SparkadsError("duration_outside_best_practice", duration=post.duration))
    if post.music_title and not post.music_cleared:
        found.append(SparkadsError("music_not_cleared", title=post.music_title))
    code = asset.spark_code
    if code is not None:
        ends = as_utc(code.ends_at)
        schedule_end = adgroup.schedule_end_time
        if schedule_end is None or ends < as_utc(schedule_end):
            found.append(
                SparkadsError(
                    "authorization_ends_before_schedule",
                    ends_at=format_rfc3339(ends),
                    schedule_end=f"The ad group's schedule ends on {format_tiktok_time(schedule_end)}"
                    if schedule_end
                    else "The ad group runs with no end date",
                    schedule_end_fr="La programmation du groupe d'annonces se termine le "
                    f"{format_tiktok_time(schedule_end)}"
                    if schedule_end
                    else "Le groupe d'annonces est diffusé sans date de fin",
                )
            )
    return found
