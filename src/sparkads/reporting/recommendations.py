"""Recommendations (R16, R17): what to change, with the evidence behind each item, for every
campaign, ad group and ad of an advertiser; and the ranking of its library posts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser, Creator
from sparkads.authorizations.models import LibraryItem, SparkCode
from sparkads.authorizations.spark_codes import DURATIONS
from sparkads.campaigns.assets import ad_asset, warning_errors
from sparkads.campaigns.models import Ad, AdGroup, Campaign
from sparkads.clock import as_utc
from sparkads.delivery.compile import geography
from sparkads.errors import Text
from sparkads.money import from_micros
from sparkads.posts.models import Post, PostStatus
from sparkads.posts.rules import outside_best_duration
from sparkads.reporting.models import AdDayRollup
from sparkads.traffic.store import MIN_AGGREGATE, estimate

FATIGUE_DROP = 0.7  # recent CTR below 70 % of the first days' CTR
FATIGUE_MIN_IMPRESSIONS = 300
BUDGET_LIMITED_SHARE = 0.95
BUDGET_RAISE = 0.3
CPA_TOLERANCE = 1.2
NARROW_SHARE, BROAD_SHARE = 0.005, 0.5
BETTER_POST_FACTOR = 1.5
MESSAGES = {
    "creative_fatigue": Text(
        "Click rate is falling: the audience has seen this post many times. Rotate in another "
        "post from the library.",
        "Le taux de clic baisse : l'audience a vu cette publication de nombreuses fois. "
        "Faites tourner une autre publication de la bibliothèque.",
    ),
    "cpa_above_target": Text(
        "Cost per result is above your target: lower the bid or narrow the audience.",
        "Le coût par résultat dépasse votre objectif : baissez l'enchère ou resserrez l'audience.",
    ),
    "budget_limited": Text(
        "Spend hit the daily budget on {days} of the last 7 days while results were on target: "
        "raise the budget by {percent}%.",
        "Les dépenses ont atteint le budget quotidien {days} jours sur les 7 derniers alors que "
        "les résultats étaient dans l'objectif : augmentez le budget de {percent} %.",
    ),
    "audience_too_narrow": Text(
        "The audience is very small: widen locations, ages or interests.",
        "L'audience est très réduite : élargissez les lieux, les âges ou les centres d'intérêt.",
    ),
    "audience_too_broad": Text(
        "The audience is very broad: add interests or behaviours that fit the product.",
        "L'audience est très large : ajoutez des centres d'intérêt ou des comportements adaptés "
        "au produit.",
    ),
    "authorization_expired": Text(
        "The creator's authorization ended on {date}: this ad no longer delivers. Ask the creator "
        "for a new code and apply it.",
        "L'autorisation du créateur a pris fin le {date_fr} : cette publicité n'est plus diffusée. "
        "Demandez au créateur un nouveau code et appliquez-le.",
    ),
    "authorization_expiring": Text(
        "The creator's authorization ends on {date}, before the ad group's schedule does. Ask the "
        "creator for a longer code (60 or 365 days) and apply it before then.",
        "L'autorisation du créateur prend fin le {date_fr}, avant la fin de la programmation du "
        "groupe d'annonces. Demandez au créateur un code plus long (60 ou 365 jours) et "
        "appliquez-le avant cette date.",
    ),
    "authorization_renewal": Text(
        "The creator's authorization ends on {date}, before the ad group's schedule does; 365 days "
        "is the longest a code lasts. Ask the creator for a new code shortly before then.",
        "L'autorisation du créateur prend fin le {date_fr}, avant la fin de la programmation du "
        "groupe d'annonces ; un code dure au plus 365 jours. Demandez au créateur un nouveau code "
        "peu avant cette date.",
    ),
    "better_post_available": Text(
        "A post in your library engages its audience much more than the one running.",
        "Une publication de votre bibliothèque suscite beaucoup plus d'engagement que celle "
        "en cours de diffusion.",
    ),
}
WARNING_KINDS = {
    "duration_outside_best_practice": "post_length",
    "music_not_cleared": "music",
}


@dataclass
class Recommendation:
    """One thing to change; `message` is English and `message_fr` French (the web app shows the
    reader's language, the API returns both)."""

    level: str  # campaign | adgroup | ad
    object_id: str
    name: str
    kind: str
    message: str
    message_fr: str
    evidence: dict[str, Any] = field(default_factory=dict)
    action: dict[str, Any] | None = None

    def text(self, lang: str) -> str:
        return self.message_fr if lang == "fr" else self.message


def _said(kind: str, **params: Any) -> tuple[str, str]:
    """A recommendation's sentence in English and in French."""
    return MESSAGES[kind].render("en", params), MESSAGES[kind].render("fr", params)


def engagement_rate(post: Post) -> float:
    views = max(post.organic_views, 1)
    return (post.organic_likes + post.organic_comments + post.organic_shares) / views


def score_post(post: Post, ctr: float | None = None) -> tuple[float, list[str]]:
    """Expected performance of a post as a Spark ad: organic engagement, length (R16), and the
    click rate it earned when it ran, if it did."""
    rate = engagement_rate(post)
    reasons = [f"organic engagement {rate:.1%}"]
    score = rate
    if post.item_type == "VIDEO" and outside_best_duration(post.duration):
        score *= 0.8
        reasons.append(f"{post.duration:g} s is outside 9–15 s (×0.8)")
    if ctr is not None:
        score *= 1 + 50 * ctr
        reasons.append(f"CTR {ctr:.2%} when it ran")
    return score, reasons


def score_library(session: Session, advertiser: Advertiser) -> list[dict[str, Any]]:
    items = session.scalars(
        select(LibraryItem).where(
            LibraryItem.advertiser_id == advertiser.advertiser_id, LibraryItem.unbound_at.is_(None)
        )
    )
    ctrs = _ctr_by_item(session, advertiser.advertiser_id)
    ranked = []
    for item in items:
        post = session.get(Post, item.item_id)
        if post is None or post.status != PostStatus.ACTIVE:
            continue
        score, reasons = score_post(post, ctrs.get(post.item_id))
        ranked.append(
            {
                "item_id": post.item_id,
                "caption": post.caption,
                "score": round(score, 5),
                "reasons": reasons,
                "organic": score_post(post)[0],
                "ctr": ctrs.get(post.item_id),
                "sector": _sector(session, post),
            }
        )
    return sorted(ranked, key=lambda row: -row["score"])


def _sector(session: Session, post: Post) -> str | None:
    creator = session.get(Creator, post.creator_id)
    return creator.sector if creator is not None else None


def _ctr_by_item(session: Session, advertiser_id: str) -> dict[str, float]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for item_id, impressions, clicks in session.execute(
        select(Ad.tiktok_item_id, AdDayRollup.impressions, AdDayRollup.clicks)
        .join(Ad, Ad.ad_id == AdDayRollup.ad_id)
        .where(AdDayRollup.advertiser_id == advertiser_id)
    ):
        totals[item_id][0] += impressions
        totals[item_id][1] += clicks
    return {item: clicks / shown for item, (shown, clicks) in totals.items() if shown >= 100}


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
    return Recommendation(
        "ad",
        ad.ad_id,
        ad.ad_name,
        "creative_fatigue",
        *_said("creative_fatigue"),
        {
            "first_days_ctr": round(first, 5),
            "recent_ctr": round(recent, 5),
            "drop": round(1 - recent / first, 3),
            "first_days": [d.day for d in days[:3]],
            "recent_days": [d.day for d in days[-2:]],
        },
        {"type": "replace_post", "ad_id": ad.ad_id},
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
                *_said("cpa_above_target"),
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
                    *_said("budget_limited", days=len(limited), percent=round(BUDGET_RAISE * 100)),
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
                *_said("audience_too_narrow"),
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
                *_said("audience_too_broad"),
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
           "date_fr": format_date(ends, "long", locale="fr")}  # fmt: skip
    evidence = {"ends_at": ends.date().isoformat(), "code_days": code.duration_days}
    return Recommendation("ad", ad.ad_id, ad.ad_name, kind, *_said(kind, **day), evidence, None)


def better_post(running: dict[str, Any], library: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The library post truly better than the running one, if any: compared like with like (a post
    of the same sector: a fitness post is no replacement in a beauty campaign), its organic score
    at least BETTER_POST_FACTOR times the running post's, and, when both have run as ads, a click
    rate at least as good."""
    found = [
        p
        for p in library
        if p["item_id"] != running["item_id"]
        and p.get("sector") == running.get("sector")
        and p["organic"] >= BETTER_POST_FACTOR * max(running["organic"], 1e-9)
        and (p["ctr"] is None or running["ctr"] is None or p["ctr"] >= running["ctr"])
    ]
    return max(found, key=lambda p: p["organic"]) if found else None


def _ad_items(
    session: Session, ad: Ad, group: AdGroup, library: list[dict[str, Any]], now: datetime
) -> list[Recommendation]:
    found: list[Recommendation] = []
    tired = fatigue(session, ad)
    if tired is not None:
        if library:
            tired.evidence["suggested_item_id"] = library[0]["item_id"]
        found.append(tired)
    asset = ad_asset(session, ad)
    if asset is None:
        return found
    for warning in warning_errors(asset, group):
        if warning.code == "authorization_ends_before_schedule":
            code = asset.spark_code
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
            )
        )
    post = asset.post
    running = next((p for p in library if p["item_id"] == post.item_id), None) or {
        "item_id": post.item_id, "organic": score_post(post)[0], "ctr": None,
        "sector": _sector(session, post),
    }  # fmt: skip
    better = better_post(running, library)
    if better is not None:
        found.append(
            Recommendation(
                "ad",
                ad.ad_id,
                ad.ad_name,
                "better_post_available",
                *_said("better_post_available"),
                {
                    "running_item_id": post.item_id,
                    "running_score": round(running["organic"], 5),
                    "better_item_id": better["item_id"],
                    "better_score": round(better["organic"], 5),
                },
                {"type": "replace_post", "ad_id": ad.ad_id, "item_id": better["item_id"]},
            )
        )
    return found


def recommend(session: Session, advertiser: Advertiser, now: datetime) -> list[Recommendation]:
    library = score_library(session, advertiser)
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
                found += _ad_items(session, ad, group, library, now)
    return deduplicated(found)


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
