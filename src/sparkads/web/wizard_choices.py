"""What each step of the campaign wizard offers: the posts this ad account may sponsor (its
library, its accounts' posts, or a new ads-only video on an own account), and the choices of the
details step (goals, calls to action, countries, ages, genders, interests, and the targeting
beyond them: languages, behaviours, devices, the account's audiences with their sizes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from babel.core import get_global
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser, Creator
from sparkads.audiences.models import MIN_TARGETABLE_SIZE
from sparkads.audiences.queries import list_audiences
from sparkads.authorizations import library_queries as library
from sparkads.authorizations.identities import visible_identities
from sparkads.authorizations.models import Identity, IdentityType
from sparkads.campaigns import rules
from sparkads.campaigns.catalog import catalog
from sparkads.campaigns.enums import AgeGroup, BudgetMode, Gender, Objective
from sparkads.campaigns.models import AdVideo
from sparkads.web.drafts import NewVideo, PostChoice, State, one
from sparkads.web.i18n import N_
from sparkads.web.labels import (
    AGE_GROUPS,
    BILLING,
    CALLS_TO_ACTION,
    GENDERS,
    GOALS,
    INTERESTS,
    PROMOTIONS,
)
from sparkads.web.library import unusable
from sparkads.web.templating import country_name


def _own_accounts(session: Session, advertiser: Advertiser) -> list[Identity]:
    """The ad account's own TikTok accounts and its Business Center's still linked: not a creator
    reached only through a Spark code."""
    return [
        identity
        for identity in visible_identities(session, advertiser)
        if identity.identity_type != IdentityType.AUTH_CODE.value and identity.ended_at is None
    ]


def post_choices(
    session: Session, advertiser: Advertiser, now: datetime
) -> list[dict[str, object]]:
    """Posts this ad account may sponsor now: its library (Spark codes), then its accounts' posts."""
    choices = []
    rows, _ = library.list_library(
        session, advertiser=advertiser, item_types=["VIDEO", "CAROUSEL"], keyword=None,
        offset=0, limit=50,
    )  # fmt: skip
    for spark in rows:
        if unusable(spark, now) is not None:
            continue
        assert spark.identity is not None
        choice = PostChoice(
            spark.identity.identity_type, spark.identity.identity_id, spark.post.item_id
        )
        choices.append({"value": choice.value, "spark": spark})
    for identity in _own_accounts(session, advertiser):
        posts, _, _ = library.identity_posts(
            session, advertiser=advertiser, identity=identity, item_type="VIDEO", keyword=None,
            exclude_adsonly=False, cursor=None, count=20,
        )  # fmt: skip
        for spark in posts:
            choice = PostChoice(identity.identity_type, identity.identity_id, spark.post.item_id)
            choices.append({"value": choice.value, "spark": spark})
    return choices


def upload_accounts(session: Session, advertiser: Advertiser) -> list[dict[str, str]]:
    """Accounts a new ads-only video can be published on: the ad account's own TikTok accounts
    and its Business Center's, never a creator reached only through a Spark code (R6)."""
    accounts = []
    for identity in _own_accounts(session, advertiser):
        creator = session.get_one(Creator, identity.creator_id)
        accounts.append(
            {"value": f"{identity.identity_type}:{identity.identity_id}", "handle": creator.handle}
        )
    return accounts


def new_video_of(
    session: Session, advertiser: Advertiser, state: State
) -> dict[str, object] | None:
    """The uploaded video the draft will publish, as the details and review steps show it."""
    chosen = NewVideo.from_state(state)
    if chosen is None or not chosen.video_id:
        return None
    video = session.get(AdVideo, chosen.video_id)
    if video is None or video.advertiser_id != advertiser.advertiser_id:
        return None
    handle = next(
        (a["handle"] for a in upload_accounts(session, advertiser)
         if a["value"] == f"{chosen.identity_type}:{chosen.identity_id}"),
        "",
    )  # fmt: skip
    return {"video": video, "handle": handle, "ad_text": chosen.ad_text}


def countries(lang: str) -> list[tuple[str, str]]:
    found = [
        (loc.location_id, country_name(lang, loc.country_code))
        for loc in catalog().locations(level="COUNTRY")
    ]
    return sorted(found, key=lambda pair: pair[1])


def regions(lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The regions the API targets (its PROVINCE locations), grouped under their country's name
    in the page's language, countries and regions in alphabetical order."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for loc in catalog().locations(level="PROVINCE"):
        grouped.setdefault(country_name(lang, loc.country_code), []).append(
            (loc.location_id, loc.name)
        )
    return [(name, sorted(found, key=lambda p: p[1])) for name, found in sorted(grouped.items())]


def place_names(lang: str) -> dict[str, str]:
    """Every location's name as the review shows it: a country, or a region with its country."""
    names = dict(countries(lang))
    for country, found in regions(lang):
        names.update({value: f"{name} ({country})" for value, name in found})
    return names


def default_location(advertiser: Advertiser) -> str:
    country = get_global("zone_territories").get(advertiser.timezone, "FR")
    return next(
        (loc.location_id for loc in catalog().locations(level="COUNTRY")
         if loc.country_code == country),
        "",
    )  # fmt: skip


BEHAVIOUR_ACTIONS = {
    "WATCHED_TO_END": N_("watched to the end"),
    "LIKED": N_("liked"),
    "COMMENTED": N_("commented on"),
    "SHARED": N_("shared"),
}
BEHAVIOUR_PERIODS = (7, 15, 30, 60, 180)
NETWORKS = (("WIFI", "Wi-Fi"), ("5G", "5G"), ("4G", "4G"), ("3G", "3G"), ("2G", "2G"))


def targeting_choices(session: Session, advertiser: Advertiser, lang: str) -> dict[str, Any]:
    """What the wizard offers beyond country, age, gender and interests: languages, behaviours,
    devices and the account's own audiences with their sizes (validated as the API validates)."""
    from babel import Locale

    names = Locale(lang).languages
    languages = sorted(
        ((item.code, str(names.get(item.code, item.name))) for item in catalog().languages()),
        key=lambda pair: pair[1].casefold(),
    )
    audiences = [
        {"id": a.audience_id, "name": a.name, "size": a.size,
         "lookalike": a.audience_type == "Lookalike Audience",
         "usable": a.size >= MIN_TARGETABLE_SIZE}
        for a in list_audiences(session, advertiser_id=advertiser.advertiser_id)
    ]  # fmt: skip
    return {
        "languages": languages,
        "behaviour_actions": list(BEHAVIOUR_ACTIONS.items()),
        "behaviour_periods": BEHAVIOUR_PERIODS,
        "networks": NETWORKS,
        "audiences": audiences,
        "min_audience": MIN_TARGETABLE_SIZE,
    }


def details_choices(lang: str, advertiser: Advertiser, state: State) -> dict[str, Any]:
    objective = Objective(one(state, "objective", Objective.TRAFFIC.value))
    goals = [
        {"value": f"{goal.value}:{billing.value}", "goal": GOALS[goal.value],
         "billing": BILLING[billing.value]}
        for goal, billings in rules.OBJECTIVE_GOALS[objective].items() for billing in billings
    ]  # fmt: skip
    minimum = rules.minimum_budget(
        advertiser.currency, level="campaign", mode=BudgetMode.DAY, days=None
    )
    state.setdefault("location_ids", [default_location(advertiser)])
    state.setdefault("budget", [f"{minimum // 1_000_000}"])
    in_countries = {value for value, _ in countries(lang)}
    return {
        "regions_chosen": any(v not in in_countries for v in state["location_ids"]),
        "goals": goals,
        "promotions": [
            (p.value, PROMOTIONS[p.value]) for p in rules.PROMOTION_TYPES.get(objective, ())
        ],
        "ctas": list(CALLS_TO_ACTION.items()),
        "countries": countries(lang),
        "regions": regions(lang),
        "places": place_names(lang),
        "ages": [(a.value, AGE_GROUPS[a.value]) for a in AgeGroup],
        "genders": [
            (g.value, GENDERS[g.value]) for g in (Gender.UNLIMITED, Gender.FEMALE, Gender.MALE)
        ],
        "interests": [(i.id, INTERESTS.get(i.id, i.name)) for i in catalog().interests(level=1)],
        "minimum": minimum,
    }
