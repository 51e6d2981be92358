"""Recommendations (R16, R17): what to change, with the evidence behind each item, for every
campaign, ad group and ad of an advertiser; and the ranking of its library posts."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.authorizations.models import SparkCode
from sparkads.authorizations.spark_codes import DURATIONS
from sparkads.campaigns.assets import ad_asset, warning_errors
from sparkads.campaigns.models import Ad, AdGroup, Campaign
from sparkads.clock import as_utc
from sparkads.delivery.compile import geography
from sparkads.i18n import N_
from sparkads.money import from_micros
from sparkads.reporting.models import AdDayRollup
from sparkads.reporting.post_scores import engagement_rate, score_library, score_post, sector_of
from sparkads.reporting.recommendation_better import better_post, better_post_item
from sparkads.reporting.recommendation_length import LengthBands, band_words
from sparkads.reporting.recommendation_texts import (
    MESSAGES,
    WARNING_KINDS,
    Recommendation,
    count,
    in_words,
    percent,
    said,
)
from sparkads.traffic.store import MIN_AGGREGATE, estimate

FATIGUE_DROP = 0.7  # recent CTR below 70 % of the first days' CTR
FATIGUE_MIN_IMPRESSIONS = 300
BUDGET_LIMITED_SHARE = 0.95
BUDGET_RAISE = 0.3
CPA_TOLERANCE = 1.2
NARROW_SHARE, BROAD_SHARE = 0.005, 0.5


def _days(session: Session, ad_id: str) -> list[AdDayRollup]:
    return list(
        session.scalars(
            select(AdDayRollup).where(AdDayRollup.ad_id == ad_id).order_by(AdDayRollup.day)
        )
    )


def _ctr(rows: list[AdDayRollup]) -> tuple[float, int]:
    shown = sum(r.impressions for r in rows)
    return (sum(r.clicks for r in rows) / shown if shown else 0.0), shown


def fatigue(session: Session, ad: Ad) -> Recommendation | None:
    days = [d for d in _days(session, ad.ad_id) if d.impressions]
    if len(days) < 4:
        return None
    first, first_shown = _ctr(days[:3])
    recent, recent_shown = _ctr(days[-2:])
    if min(first_shown, recent_shown) < FATIGUE_MIN_IMPRESSIONS or not first:
        return None
    # Fewer recent clicks than the first days' rate predicts, by more than noise explains.
    expected = first * recent_shown
    observed = recent * recent_shown
    if observed >= FATIGUE_DROP * expected or expected - observed < 2 * expected**0.5:
        return None

    def basis(lang: str) -> str:
        return in_words(
            lang,
            N_("Click rate {first} over the first 3 days ({first_shown} impressions), {recent} "
               "over the last 2 ({recent_shown} impressions)."),
            first=percent(first, lang), first_shown=count(first_shown, lang),
            recent=percent(recent, lang), recent_shown=count(recent_shown, lang),
        )  # fmt: skip

    return Recommendation(
        "ad",
        ad.ad_id,
        ad.ad_name,
        "creative_fatigue",
        *said("creative_fatigue"),
        {
            "first_days_ctr": round(first, 5),
            "recent_ctr": round(recent, 5),
            "drop": round(1 - recent / first, 3),
            "first_days": [d.day for d in days[:3]],
            "recent_days": [d.day for d in days[-2:]],
        },
        {"type": "replace_post", "ad_id": ad.ad_id},
        basis("en"),
        basis("fr"),
    )


def _adgroup_items(
    session: Session, group: AdGroup, advertiser: Advertiser, now: datetime
) -> list[Recommendation]:
    found: list[Recommendation] = []
    zone = ZoneInfo(advertiser.timezone)
    today = now.astimezone(zone).date()
    week = [(today - timedelta(days=n)).isoformat() for n in range(1, 8)]
    rows = session.scalars(
        select(AdDayRollup).where(
            AdDayRollup.adgroup_id == group.adgroup_id, AdDayRollup.day.in_(week)
        )
    ).all()
    spend_by_day: dict[str, int] = defaultdict(int)
    for row in rows:
        spend_by_day[row.day] += row.spend
    spend = sum(r.spend for r in rows)
    conversions = sum(r.conversions for r in rows)
    cpa = spend / conversions if conversions else None
    target = group.conversion_bid_price
    if (
        group.billing_event == "OCPM"
        and target
        and cpa
        and conversions >= 3
        and (cpa > CPA_TOLERANCE * target)
    ):
        found.append(
            Recommendation(
                "adgroup",
                group.adgroup_id,
                group.adgroup_name,
                "cpa_above_target",
                *said("cpa_above_target"),
                {
                    "cpa": str(from_micros(int(cpa))),
                    "target": str(from_micros(target)),
                    "conversions_7d": conversions,
                },
                None,
            )
        )
    if group.budget_mode == "BUDGET_MODE_DAY" and group.budget:
        limited = [
            day
            for day, amount in spend_by_day.items()
            if amount >= BUDGET_LIMITED_SHARE * group.budget
        ]
        good = cpa is None or target is None or cpa <= target
        if len(limited) >= 2 and good:
            raise_to = int(group.budget * (1 + BUDGET_RAISE))
            found.append(
                Recommendation(
                    "adgroup",
                    group.adgroup_id,
                    group.adgroup_name,
                    "budget_limited",
                    *said("budget_limited", days=len(limited), percent=round(BUDGET_RAISE * 100)),
                    {"days_at_budget": sorted(limited), "budget": str(from_micros(group.budget))},
                    {
                        "type": "set_budget",
                        "adgroup_id": group.adgroup_id,
                        "budget": float(from_micros(raise_to)),
                    },
                )
            )
    found += _width(session, group, now)
    return found


def _width(session: Session, group: AdGroup, now: datetime) -> list[Recommendation]:
    """Audience width from the viewers seen in the traffic: no advice without enough of them."""
    targeting = group.targeting
    audience = estimate(session, lambda columns: columns.matching(targeting, geography()), now)
    if audience.known_viewers < MIN_AGGREGATE or audience.size is None:
        return []
    share = audience.size / audience.known_viewers
    evidence = {"audience_size": audience.size, "known_viewers": audience.known_viewers}
    found: list[Recommendation] = []
    if share < NARROW_SHARE:
        found.append(
            Recommendation(
                "adgroup",
                group.adgroup_id,
                group.adgroup_name,
                "audience_too_narrow",
                *said("audience_too_narrow"),
                {"audience_share": round(share, 5), **evidence},
                None,
            )
        )
    elif share > BROAD_SHARE:
        found.append(
            Recommendation(
                "adgroup",
                group.adgroup_id,
                group.adgroup_name,
                "audience_too_broad",
                *said("audience_too_broad"),
                {"audience_share": round(share, 3), **evidence},
                None,
            )
        )
    return found


RENEW_WITHIN = timedelta(days=30)


def _authorization(ad: Ad, code: SparkCode, now: datetime) -> Recommendation | None:
    """The code ends before the ad group's schedule: already over (the ad has stopped), ending
    while a longer code exists, or ending though it is already the longest (365 days: a card only
    in its last RENEW_WITHIN, to ask for a new one)."""
    ends = as_utc(code.ends_at)
    if ends <= now:
        kind = "authorization_expired"
    elif code.duration_days >= max(DURATIONS):
        if ends - now > RENEW_WITHIN:
            return None
        kind = "authorization_renewal"
    else:
        kind = "authorization_expiring"
    day = {"date": format_date(ends, "long", locale="en"),
           "date_fr": format_date(ends, "long", locale="fr"),
           **longer_codes(code.duration_days)}  # fmt: skip
    evidence = {"ends_at": ends.date().isoformat(), "code_days": code.duration_days}
    return Recommendation("ad", ad.ad_id, ad.ad_name, kind, *said(kind, **day), evidence, None)


def longer_codes(days: int) -> dict[str, str]:
    """The validities longer than `days` a creator can give, in words ("60 or 365", "60 ou 365")."""
    longer = [str(d) for d in sorted(DURATIONS) if d > days]
    if len(longer) < 2:
        return {"longer": "".join(longer), "longer_fr": "".join(longer)}
    head = ", ".join(longer[:-1])
    return {"longer": f"{head} or {longer[-1]}", "longer_fr": f"{head} ou {longer[-1]}"}


def _length(ad: Ad, item_id: str, lengths: LengthBands) -> Recommendation | None:
    """Post length from the account's own completion rates by length band (none below their
    minimum, none for its best-completing post)."""
    finding = lengths.finding(item_id)
    if finding is None:
        return None
    band = {"band": band_words(finding.band, "en"), "band_fr": band_words(finding.band, "fr")}
    return Recommendation(
        "ad", ad.ad_id, ad.ad_name, "post_length", *said("post_length", **band),
        finding.evidence(), {"type": "replace_post", "ad_id": ad.ad_id},
        finding.basis("en"), finding.basis("fr"),
    )  # fmt: skip


def _ad_items(
    session: Session,
    ad: Ad,
    group: AdGroup,
    library: list[dict[str, Any]],
    lengths: LengthBands,
    now: datetime,
) -> list[Recommendation]:
    found: list[Recommendation] = []
    tired = fatigue(session, ad)
    if tired is not None:
        if library:
            tired.evidence["suggested_post"] = library[0]["caption"]
            tired.evidence["suggested_item_id"] = library[0]["item_id"]
        found.append(tired)
    asset = ad_asset(session, ad)
    if asset is None:
        return found
    code = asset.spark_code
    ended = code is not None and as_utc(code.ends_at) <= now
    for warning in warning_errors(asset, group):
        if warning.code == "duration_outside_best_practice":
            continue  # a fixed rule: the account's own data decides below
        if warning.code == "authorization_ends_before_schedule":
            item = _authorization(ad, code, now) if code is not None else None
            if item is not None:
                found.append(item)
            continue
        english, french = warning.render("en"), warning.render("fr")
        found.append(
            Recommendation(
                "ad",
                ad.ad_id,
                ad.ad_name,
                WARNING_KINDS[warning.code],
                f"{english['message']} {english['solution']}",
                f"{french['message']} {french['solution']}",
                {"warning": warning.code},
                None,
                english["cause"],  # the evidence in words: why the catalogue warns
                french["cause"],
            )
        )
    post = asset.post
    length = None if ended else _length(ad, post.item_id, lengths)
    if length is not None:
        found.append(length)
    running = next((p for p in library if p["item_id"] == post.item_id), None) or {
        "item_id": post.item_id, "organic": score_post(post)[0], "ctr": None,
        "sector": sector_of(session, post),
    }  # fmt: skip
    better = better_post(running, library)
    if better is not None:
        item = better_post_item(session, ad, post, running, better)
        if item is not None:
            found.append(item)
    return found


def recommend(session: Session, advertiser: Advertiser, now: datetime) -> list[Recommendation]:
    library = score_library(session, advertiser)
    lengths = LengthBands(session, advertiser.advertiser_id)
    found: list[Recommendation] = []
    for campaign in session.scalars(
        select(Campaign).where(
            Campaign.advertiser_id == advertiser.advertiser_id,
            Campaign.operation_status != "DELETE",
        )
    ):
        for group in session.scalars(
            select(AdGroup).where(
                AdGroup.campaign_id == campaign.campaign_id, AdGroup.operation_status != "DELETE"
            )
        ):
            found += _adgroup_items(session, group, advertiser, now)
            for ad in session.scalars(
                select(Ad).where(Ad.adgroup_id == group.adgroup_id, Ad.operation_status != "DELETE")
            ):
                found += _ad_items(session, ad, group, library, lengths, now)
    return by_impact(session, advertiser, deduplicated(found), now)


def by_impact(
    session: Session, advertiser: Advertiser, items: list[Recommendation], now: datetime
) -> list[Recommendation]:
    """Highest expected impact first: the spend of the object a card is about (its ad or ad group)
    over the last 7 days of the advertiser's days, which the change would affect; ties keep the
    rules' order."""
    today = now.astimezone(ZoneInfo(advertiser.timezone)).date()
    week = [(today - timedelta(days=n)).isoformat() for n in range(0, 7)]
    by_object: dict[str, int] = defaultdict(int)
    for ad_id, group_id, spend in session.execute(
        select(AdDayRollup.ad_id, AdDayRollup.adgroup_id, AdDayRollup.spend).where(
            AdDayRollup.advertiser_id == advertiser.advertiser_id, AdDayRollup.day.in_(week)
        )
    ):
        by_object[ad_id] += spend
        by_object[group_id] += spend
    for item in items:
        item.spend_affected = float(from_micros(by_object.get(item.object_id, 0)))
    return sorted(items, key=lambda item: -item.spend_affected)


def deduplicated(items: list[Recommendation]) -> list[Recommendation]:
    """One card per object and kind (an ad group reached twice, or two warnings of one kind on an
    ad, make one card)."""
    seen: set[tuple[str, str, str]] = set()
    kept: list[Recommendation] = []
    for item in items:
        key = (item.level, item.object_id, item.kind)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


__all__ = [
    "MESSAGES",
    "Recommendation",
    "engagement_rate",
    "recommend",
    "score_library",
    "score_post",
]
