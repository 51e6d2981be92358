"""A synthetic but realistic delivery world, drawn from a seeded generator (pure, no database).

Ad groups: countries from the targeting catalogue weighted towards a few big markets (a few target
regions instead), ~60 % with 1–3 interest categories, ~30 % an age range, ~40 % a gender, some
languages, OS, networks, device prices and behaviours, dayparting on ~10 %, frequency caps on ~30 %,
budgets too large to run out during a benchmark, and goal/billing pairs taken from
`sparkads.campaigns.rules.OBJECTIVE_GOALS`. Viewers follow the same country mix.

`GroupSpec` is the neutral description; `group_entry` turns it into the engine's `GroupEntry`,
`bench.db_world` into API objects (campaign, ad group, Spark ad) in a real database.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sparkads.campaigns.catalog import catalog
from sparkads.campaigns.enums import BillingEvent, Objective
from sparkads.campaigns.rules import OBJECTIVE_GOALS
from sparkads.delivery.model import AdEntry, Behaviour, GroupEntry, Viewer
from sparkads.money import EUR_PER_UNIT, MICROS
from sparkads.simulation.traffic import viewer_json as simulated_viewer_json

# Share of ad groups (and of viewers) per country; the rest is spread over the other countries.
BIG_COUNTRIES = {
    "US": 0.28,
    "GB": 0.08,
    "DE": 0.07,
    "FR": 0.07,
    "BR": 0.06,
    "JP": 0.04,
    "MX": 0.04,
    "ES": 0.04,
    "IT": 0.04,
    "IN": 0.03,
}
LANGUAGE_OF = {
    "US": "en", "GB": "en", "DE": "de", "FR": "fr", "BR": "pt", "JP": "ja", "MX": "es", "ES": "es",
    "IT": "it", "IN": "hi", "AR": "es", "AU": "en", "AT": "de", "BE": "nl", "BG": "bg", "CA": "en",
    "HR": "hr", "CY": "el", "CZ": "cs", "DK": "da", "EG": "ar", "FI": "fi", "GR": "el", "HU": "hu",
    "ID": "id", "IE": "en", "IL": "he", "LU": "fr", "MY": "ms", "MA": "ar", "NL": "nl", "NZ": "en",
    "NO": "no", "PH": "tl", "PL": "pl", "PT": "pt", "RO": "ro", "SA": "ar", "SG": "en", "SK": "sk",
    "ZA": "en", "KR": "ko", "SE": "sv", "CH": "de", "TH": "th", "TR": "tr", "AE": "ar", "VN": "vi",
}  # fmt: skip
AGE_GROUPS = ("AGE_13_17", "AGE_18_24", "AGE_25_34", "AGE_35_44", "AGE_45_54", "AGE_55_100")
VIDEO_ACTIONS = ("WATCHED_TO_END", "LIKED", "COMMENTED", "SHARED")
CREATOR_ACTIONS = ("FOLLOWING", "VIEW_HOMEPAGE")
# (currency, timezone) of advertisers: mostly EUR in Paris.
ACCOUNTS = (
    ("EUR", "Europe/Paris", 0.55),
    ("USD", "America/New_York", 0.25),
    ("GBP", "Europe/London", 0.1),
    ("EUR", "Europe/Berlin", 0.1),
)
# How often each objective is chosen, then a goal and billing event it allows.
OBJECTIVE_WEIGHTS = {
    Objective.REACH: 0.2,
    Objective.TRAFFIC: 0.3,
    Objective.VIDEO_VIEWS: 0.15,
    Objective.ENGAGEMENT: 0.1,
    Objective.LEAD_GENERATION: 0.05,
    Objective.APP_PROMOTION: 0.05,
    Objective.WEB_CONVERSIONS: 0.15,
}
# Custom bid ranges in whole units of the account currency (OCPM: target cost per result).
BID_RANGE = {
    BillingEvent.CPM: (1.5, 10.0),
    BillingEvent.CPC: (0.15, 1.5),
    BillingEvent.CPV: (0.01, 0.12),
    BillingEvent.OCPM: (3.0, 40.0),
}
GROUPS_PER_CAMPAIGN = 4
CAMPAIGNS_PER_ADVERTISER = 5


@dataclass(frozen=True)
class Catalogue:
    countries: tuple[str, ...]
    country_weights: tuple[float, ...]
    country_id: dict[str, str]
    regions: dict[str, tuple[str, ...]]  # country -> ISO 3166-2 suffixes
    top_interests: tuple[str, ...]
    sub_interests: tuple[str, ...]
    sub_weights: tuple[float, ...]  # some categories are much more popular than others
    languages: frozenset[str]


def load_catalogue() -> Catalogue:
    cat = catalog()
    countries = tuple(c.country_code for c in cat.locations(level="COUNTRY"))
    rest = [c for c in countries if c not in BIG_COUNTRIES]
    rest_share = (1 - sum(BIG_COUNTRIES.values())) / len(rest)
    weights = tuple(BIG_COUNTRIES.get(c, rest_share) for c in countries)
    country_id = {c.country_code: c.location_id for c in cat.locations(level="COUNTRY")}
    regions: dict[str, list[str]] = {}
    for loc in cat.locations(level="PROVINCE"):
        regions.setdefault(loc.country_code, []).append(loc.location_id.split("-", 1)[1])
    subs = tuple(i.id for i in cat.interests(level=2))
    popularity = random.Random(99)
    sub_weights = tuple(1 / (1 + rank) ** 0.8 for rank in range(len(subs)))
    shuffled = list(sub_weights)
    popularity.shuffle(shuffled)
    return Catalogue(
        countries=countries,
        country_weights=weights,
        country_id=country_id,
        regions={k: tuple(v) for k, v in regions.items()},
        top_interests=tuple(i.id for i in cat.interests(level=1)),
        sub_interests=subs,
        sub_weights=tuple(shuffled),
        languages=frozenset(lang.code for lang in cat.languages()),
    )


@dataclass(frozen=True)
class AdSpec:
    item: int  # which post (index into the world's posts)
    expired: bool = False  # authorization already over (exercises that path of the engine)


@dataclass(frozen=True)
class GroupSpec:
    index: int
    advertiser: int
    campaign: int
    currency: str
    timezone: str
    objective: str
    goal: str
    billing: str
    bid_type: str
    bid: int  # micros: bid_price, or the OCPM target cost per result
    daily_budget: int  # micros
    campaign_daily_budget: int  # micros
    targeting: dict[str, Any]  # the ad group's targeting spec, in the stored JSON shape
    dayparting: str | None
    frequency: int | None
    frequency_schedule: int | None
    smooth: bool
    ads: tuple[AdSpec, ...] = field(default_factory=tuple)


def _pick_countries(rng: random.Random, cat: Catalogue) -> list[str]:
    count = rng.choices((1, 2, 3), (0.75, 0.18, 0.07))[0]
    chosen: list[str] = []
    while len(chosen) < count:
        country = rng.choices(cat.countries, cat.country_weights)[0]
        if country not in chosen:
            chosen.append(country)
    return chosen


def _dayparting(rng: random.Random) -> str:
    kind = rng.random()
    days = []
    for weekday in range(7):
        if kind < 0.5:  # daytime and evening, every day
            day = "0" * 14 + "1" * 32 + "0" * 2
        elif kind < 0.8:  # office hours on weekdays, all day at the weekend
            day = ("0" * 16 + "1" * 20 + "0" * 12) if weekday < 5 else "1" * 48
        else:  # evenings only
            day = "0" * 36 + "1" * 12
        days.append(day)
    return "".join(days)


def _targeting(rng: random.Random, cat: Catalogue) -> dict[str, Any]:
    countries = _pick_countries(rng, cat)
    locations = []
    for country in countries:
        if country in cat.regions and rng.random() < 0.1:
            for region in rng.sample(cat.regions[country], rng.randint(1, 3)):
                locations.append(f"{cat.country_id[country]}-{region}")
        else:
            locations.append(cat.country_id[country])
    spec: dict[str, Any] = {"location_ids": locations}
    if rng.random() < 0.6:
        count = rng.randint(1, 3)
        pool = cat.top_interests if rng.random() < 0.5 else cat.sub_interests
        spec["interest_category_ids"] = rng.sample(pool, count)
    if rng.random() < 0.3:
        first = rng.choices(range(6), (0.08, 0.3, 0.3, 0.17, 0.1, 0.05))[0]
        width = rng.randint(1, 3)
        spec["age_groups"] = list(AGE_GROUPS[first : first + width])
    if rng.random() < 0.4:
        spec["gender"] = rng.choice(("GENDER_MALE", "GENDER_FEMALE"))
    if rng.random() < 0.15:
        spoken = {LANGUAGE_OF.get(c, "en") for c in countries} & cat.languages
        spec["languages"] = sorted(spoken | ({"en"} if rng.random() < 0.3 else set()))
    if rng.random() < 0.15:
        os_name = rng.choice(("ANDROID", "IOS"))
        spec["operating_systems"] = [os_name]
        if rng.random() < 0.3:
            key = "min_android_version" if os_name == "ANDROID" else "min_ios_version"
            spec[key] = rng.choice(("10", "12", "14")) if os_name == "ANDROID" else "15.0"
    if rng.random() < 0.05:
        spec["network_types"] = rng.sample(("WIFI", "4G", "5G"), rng.randint(1, 2))
    if rng.random() < 0.03:
        low = rng.choice((0, 200, 400))
        spec["device_price_ranges"] = [low, low + rng.choice((400, 800, 10_000 - low))]
    if rng.random() < 0.1:
        scene = rng.choice(("VIDEO_RELATED", "CREATOR_RELATED"))
        actions = VIDEO_ACTIONS if scene == "VIDEO_RELATED" else CREATOR_ACTIONS
        spec["actions"] = [
            {
                "action_scene": scene,
                "action_period": rng.choice((7, 15, 30, 60, 180)),
                "video_user_actions": rng.sample(actions, rng.randint(1, 2)),
                "action_category_ids": rng.sample(cat.top_interests, rng.randint(1, 2)),
            }
        ]
    return spec


def group_specs(
    count: int, rng: random.Random, cat: Catalogue, posts: int, ads_per_group: int = 0
) -> list[GroupSpec]:
    """`count` ad groups over advertisers, campaigns and `posts` posts. `ads_per_group` 0 means
    1 to 3 ads (most ad groups have one); the HTTP world uses exactly one."""
    specs = []
    objectives = list(OBJECTIVE_WEIGHTS)
    weights = list(OBJECTIVE_WEIGHTS.values())
    campaign_objective: dict[int, Objective] = {}
    for index in range(count):
        campaign = index // GROUPS_PER_CAMPAIGN
        advertiser = campaign // CAMPAIGNS_PER_ADVERTISER
        account = random.Random(advertiser * 7919 + 13)
        currency, timezone = account.choices([a[:2] for a in ACCOUNTS], [a[2] for a in ACCOUNTS])[0]
        objective = campaign_objective.setdefault(campaign, rng.choices(objectives, weights)[0])
        goal, billings = rng.choice(list(OBJECTIVE_GOALS[objective].items()))
        billing = rng.choice(billings)
        rate = EUR_PER_UNIT[currency]
        low, high = BID_RANGE[billing]
        no_bid = rng.random() < 0.1
        bid = 0 if no_bid else int(round(rng.uniform(low, high), 2) / rate * MICROS)
        n_ads = ads_per_group or rng.choices((1, 2, 3), (0.7, 0.2, 0.1))[0]
        ads = tuple(AdSpec(rng.randrange(posts), expired=rng.random() < 0.01) for _ in range(n_ads))
        frequency = rng.randint(2, 5) if rng.random() < 0.3 else None
        specs.append(
            GroupSpec(
                index=index,
                advertiser=advertiser,
                campaign=campaign,
                currency=currency,
                timezone=timezone,
                objective=objective.value,
                goal=goal.value,
                billing=billing.value,
                bid_type="BID_TYPE_NO_BID" if no_bid else "BID_TYPE_CUSTOM",
                bid=bid,
                daily_budget=int(rng.choice((2_000, 5_000, 10_000)) / rate) * MICROS,
                campaign_daily_budget=int(50_000 / rate) * MICROS,
                targeting=_targeting(rng, cat),
                dayparting=_dayparting(rng) if rng.random() < 0.1 else None,
                frequency=frequency,
                frequency_schedule=rng.choice((1, 1, 3, 7)) if frequency else None,
                smooth=rng.random() < 0.8,
                ads=ads,
            )
        )
    return specs


def _version(value: str | None) -> tuple[int, ...]:
    return tuple(int(part) for part in value.split(".")) if value else ()


def group_entry(spec: GroupSpec, start: float, far_future: float, now: float) -> GroupEntry:
    """The engine's view of an ad group, as `sparkads.delivery.compile` would build it."""
    targeting = spec.targeting
    price = targeting.get("device_price_ranges") or []
    ads = tuple(
        AdEntry(
            ad_id=f"ad{spec.index}_{n}",
            item_id=f"item{ad.item}",
            auth_ends_at=(now - 60.0) if ad.expired else far_future,
            prior_ctr=0.003 + (ad.item % 17) * 0.0015,
            prior_cvr=0.03,
            prior_view=0.2 + (ad.item % 11) * 0.03,
            prior_follow=0.0005 + (ad.item % 7) * 0.0004,
            creative={"item_id": f"item{ad.item}", "label": "Sponsored"},
        )
        for n, ad in enumerate(spec.ads)
    )
    return GroupEntry(
        index=spec.index,
        adgroup_id=f"ag{spec.index}",
        campaign_id=f"cp{spec.campaign}",
        advertiser_id=f"adv{spec.advertiser}",
        eur_rate=EUR_PER_UNIT[spec.currency],
        goal=spec.goal,
        billing=spec.billing,
        bid_type=spec.bid_type,
        bid=spec.bid,
        daily_budget=spec.daily_budget,
        lifetime_budget=None,
        campaign_daily_budget=spec.campaign_daily_budget,
        start=start,
        end=None,
        dayparting=spec.dayparting,
        timezone=ZoneInfo(spec.timezone),
        frequency=spec.frequency,
        frequency_window=(spec.frequency_schedule or 1) * 86_400.0,
        min_os_version={
            k: v
            for k, v in (
                ("ANDROID", _version(targeting.get("min_android_version"))),
                ("IOS", _version(targeting.get("min_ios_version"))),
            )
            if v
        },
        price_range=(price[0], price[1]) if len(price) == 2 else None,
        included_audiences=frozenset(),
        excluded_audiences=frozenset(),
        pacing_smooth=spec.smooth,
        ads=ads,
    )


def viewers(count: int, rng: random.Random, cat: Catalogue) -> list[Viewer]:
    """A population of distinct viewers with the ad groups' country mix."""
    population = []
    for n in range(count):
        country = rng.choices(cat.countries, cat.country_weights)[0]
        region = rng.choice(cat.regions[country]) if country in cat.regions else None
        age = max(13, min(75, int(rng.gauss(29, 11))))
        os_name = "IOS" if rng.random() < 0.35 else "ANDROID"
        version = (
            (rng.randint(14, 17), rng.randint(0, 5)) if os_name == "IOS" else (rng.randint(9, 14),)
        )
        interests = set(rng.choices(cat.sub_interests, cat.sub_weights, k=rng.randint(2, 8)))
        behaviours = tuple(
            Behaviour(
                scene,
                rng.choice(VIDEO_ACTIONS if scene == "VIDEO_RELATED" else CREATOR_ACTIONS),
                rng.choice(sorted(interests)),
                rng.randint(0, 90),
            )
            for scene in rng.choices(("VIDEO_RELATED", "CREATOR_RELATED"), k=rng.randint(0, 4))
        )
        population.append(
            Viewer(
                viewer_id=f"v{n}",
                country=country,
                region=region if rng.random() < 0.8 else None,
                age=age if rng.random() < 0.9 else None,
                gender=rng.choices(("MALE", "FEMALE", None), (0.48, 0.48, 0.04))[0],
                language=LANGUAGE_OF.get(country, "en") if rng.random() < 0.95 else "en",
                os=os_name,
                os_version=version,
                network=rng.choices(("WIFI", "4G", "5G"), (0.55, 0.3, 0.15))[0],
                device_price=rng.choice((150, 300, 500, 800, 1200)),
                interests=tuple(sorted(interests)),
                behaviours=behaviours,
            )
        )
    return population


def viewer_json(viewer: Viewer) -> dict[str, Any]:
    """The viewer as a feed sends it to POST /api/v1/feed/decisions (the simulator's own)."""
    return dict(simulated_viewer_json(viewer))


def traffic(
    population: list[Viewer], count: int, rng: random.Random, returning: float = 0.3
) -> list[Viewer]:
    """A request stream: mostly new viewers, some coming back (so frequency caps bite)."""
    stream: list[Viewer] = []
    for _ in range(count):
        if stream and rng.random() < returning:
            stream.append(stream[rng.randrange(max(0, len(stream) - 500), len(stream))])
        else:
            stream.append(population[rng.randrange(len(population))])
    return stream
