"""The compiled, immutable view of live ads the engine decides on, and what a decision asks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # both import this module: typed here, imported only for the checker
    from sparkads.delivery.columns import SnapshotColumns
    from sparkads.delivery.targeting import TargetingIndex


@dataclass(frozen=True, slots=True)
class Behaviour:
    """Something the viewer did recently: e.g. LIKED a VIDEO_RELATED post of category 101, 3 days ago."""

    action_scene: str
    action: str
    category_id: str
    days_ago: int


@dataclass(frozen=True, slots=True)
class Viewer:
    viewer_id: str
    country: str
    region: str | None = None
    age: int | None = None
    gender: str | None = None  # "MALE" | "FEMALE" | None
    language: str | None = None
    os: str | None = None  # "ANDROID" | "IOS"
    os_version: tuple[int, ...] = ()
    network: str | None = None
    device_price: int | None = None
    interests: tuple[str, ...] = ()
    behaviours: tuple[Behaviour, ...] = ()


@dataclass(frozen=True, slots=True)
class AdEntry:
    ad_id: str
    item_id: str
    auth_ends_at: float | None  # epoch seconds; None when the post needs no code (own account)
    prior_ctr: float
    prior_cvr: float
    prior_view: float
    prior_follow: float
    creative: dict[str, Any]  # what a feed needs to render the sponsored post


@dataclass(frozen=True, slots=True)
class GroupEntry:
    """One live ad group: everything the engine checks, with money in micros of its currency."""

    index: int  # position when compiled (a delta leaves older entries' as they were: the decision
    # path reads positions from the index and columns, never this)
    adgroup_id: str
    campaign_id: str
    advertiser_id: str
    eur_rate: float
    goal: str
    billing: str
    bid_type: str
    bid: int  # CPM/CPC/CPV: bid_price; OCPM: target cost per result
    daily_budget: int | None
    lifetime_budget: int | None
    campaign_daily_budget: int | None
    start: float
    end: float | None
    dayparting: str | None
    timezone: ZoneInfo
    frequency: int | None
    frequency_window: float
    min_os_version: dict[str, tuple[int, ...]]
    price_range: tuple[int, int] | None
    included_audiences: frozenset[str]
    excluded_audiences: frozenset[str]
    pacing_smooth: bool
    ads: tuple[AdEntry, ...]


@dataclass
class SnapshotCaches:
    """What is derived from a snapshot once, on first use, and kept with it: the ad groups by id
    and the NumPy columns of the decision path (`columns.columns_of`). Two threads may both
    build one the first time; either result is the same, the last one stays."""

    by_id: dict[str, GroupEntry] | None = None
    columns: SnapshotColumns | None = None


@dataclass(frozen=True)
class Snapshot:
    groups: tuple[GroupEntry, ...]
    index: TargetingIndex
    version: int
    built_at: float
    audience_members: dict[str, frozenset[str]] = field(default_factory=dict)  # viewer -> audiences
    targetings: tuple[dict[str, Any], ...] = ()  # per group, as stored: to rebuild with a draft
    # derived on first use (the snapshot itself never changes): not part of its value
    # (not an __init__ argument, so `dataclasses.replace` gives a new snapshot empty caches)
    caches: SnapshotCaches = field(
        default_factory=SnapshotCaches, init=False, compare=False, repr=False
    )

    @property
    def size(self) -> int:
        return len(self.groups)

    def group(self, adgroup_id: str) -> GroupEntry | None:
        by_id = self.caches.by_id
        if by_id is None:
            by_id = self.caches.by_id = {g.adgroup_id: g for g in self.groups}
        return by_id.get(adgroup_id)
