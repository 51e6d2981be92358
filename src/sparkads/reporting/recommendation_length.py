"""Post length from the account's own delivery (R16): the completion rate of its ads by the length
band of their posts, instead of a fixed 9–15 s rule. An ad is told about its post's length only
when its post completes clearly less often than the account's best band does, both over at least
LENGTH_MIN_IMPRESSIONS impressions; never for the account's best-completing post."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sparkads.campaigns.models import Ad
from sparkads.i18n import N_
from sparkads.posts.models import ItemType, Post
from sparkads.reporting.models import AdDayRollup
from sparkads.reporting.recommendation_texts import count, in_words, percent, seconds

# Length bands in seconds: [low, high); what a band is called in a sentence.
BANDS = ((0.0, 9.0), (9.0, 16.0), (16.0, 31.0), (31.0, 61.0), (61.0, float("inf")))
LENGTH_MIN_IMPRESSIONS = 1_000  # below this, for the ad or for a band, no card
LENGTH_GAP = 1.2  # the best band completes at least 1.2 times as often as the ad's post


def band_of(duration: float) -> tuple[float, float]:
    return next(band for band in BANDS if band[0] <= duration < band[1])


def band_words(band: tuple[float, float], lang: str) -> str:
    low, high = band
    if low == 0:
        return in_words(lang, N_("under {seconds} s"), seconds=seconds(high, lang))
    if high == float("inf"):
        return in_words(lang, N_("over {seconds} s"), seconds=seconds(low - 1, lang))
    return f"{seconds(low, lang)}–{seconds(high - 1, lang)} s"


@dataclass
class Delivery:
    impressions: int = 0
    complete_views: int = 0

    @property
    def rate(self) -> float:
        return self.complete_views / self.impressions if self.impressions else 0.0

    def add(self, impressions: int, complete: int) -> None:
        self.impressions += impressions
        self.complete_views += complete


@dataclass(frozen=True)
class LengthFinding:
    """An ad whose post completes less often than the account's best length band."""

    duration: float
    mine: Delivery
    band: tuple[float, float]
    best: Delivery

    @property
    def views_lost(self) -> int:
        """Complete views the ad would have had at the best band's rate: the expected impact."""
        return max(0, round(self.mine.impressions * (self.best.rate - self.mine.rate)))

    def evidence(self) -> dict[str, object]:
        return {
            "post_duration": self.duration,
            "completion_rate": round(self.mine.rate, 4),
            "impressions": self.mine.impressions,
            "best_band": band_words(self.band, "en"),
            "best_band_completion_rate": round(self.best.rate, 4),
            "best_band_impressions": self.best.impressions,
            "complete_views_lost": self.views_lost,
        }

    def basis(self, lang: str) -> str:
        mine, best = self.mine, self.best
        return in_words(
            lang,
            N_("{duration} s post: {rate} completion over {impressions} impressions vs "
               "{best_rate} for your posts of {band} over {best_impressions}."),
            duration=seconds(self.duration, lang), rate=percent(mine.rate, lang),
            impressions=count(mine.impressions, lang), best_rate=percent(best.rate, lang),
            band=band_words(self.band, lang), best_impressions=count(best.impressions, lang),
        )  # fmt: skip


class LengthBands:
    """An advertiser's video ads' delivery by post and by length band, read once."""

    def __init__(self, session: Session, advertiser_id: str) -> None:
        self.by_post: dict[str, Delivery] = defaultdict(Delivery)
        self.by_band: dict[tuple[float, float], Delivery] = defaultdict(Delivery)
        self.durations: dict[str, float] = {}
        rows = session.execute(
            select(
                Post.item_id,
                Post.duration,
                func.sum(AdDayRollup.impressions),
                func.sum(AdDayRollup.complete_views),
            )
            .join(Ad, Ad.ad_id == AdDayRollup.ad_id)
            .join(Post, Post.item_id == Ad.tiktok_item_id)
            .where(
                AdDayRollup.advertiser_id == advertiser_id,
                Post.item_type == ItemType.VIDEO.value,
                Post.duration.is_not(None),
            )
            .group_by(Post.item_id, Post.duration)
        )
        for item_id, length, impressions, complete in rows:
            duration = float(length or 0)
            self.durations[item_id] = duration
            self.by_post[item_id].add(int(impressions or 0), int(complete or 0))
            self.by_band[band_of(duration)].add(int(impressions or 0), int(complete or 0))

    def best_post(self) -> str | None:
        """The post that completes most often, over enough impressions: never told to change."""
        enough = [(d.rate, item) for item, d in self.by_post.items()
                  if d.impressions >= LENGTH_MIN_IMPRESSIONS]  # fmt: skip
        return max(enough)[1] if enough else None

    def finding(self, item_id: str) -> LengthFinding | None:
        mine = self.by_post.get(item_id)
        if mine is None or mine.impressions < LENGTH_MIN_IMPRESSIONS:
            return None
        if item_id == self.best_post():
            return None
        own = band_of(self.durations[item_id])
        bands = [(d.rate, band) for band, d in self.by_band.items()
                 if band != own and d.impressions >= LENGTH_MIN_IMPRESSIONS]  # fmt: skip
        if not bands:
            return None
        rate, band = max(bands)
        if rate < LENGTH_GAP * mine.rate or rate <= self.by_band[own].rate:
            return None
        return LengthFinding(self.durations[item_id], mine, band, self.by_band[band])
