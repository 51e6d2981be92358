"""What the marketplace knows about a creator, computed, never typed in: reach and engagement from
the posts' counters (organic, and paid as events add them, R2), and the audience from the viewers
in events on their posts, their attributes as the feed sent them, interests from their profiles
(the traffic log's viewers).

A creator with few observed viewers gets shares pulled towards those of the viewers seen in the
traffic from the countries they declared (PRIOR_VIEWERS pseudo-viewers), flagged `estimated`, so
new creators can still be ranked and a handful of events cannot make an audience look 100 %
anything. With no viewer seen from there, the prior is the declared countries alone: no age,
gender or interest share is ever made up."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Creator
from sparkads.attributes import from_attributes
from sparkads.audiences.keys import viewer_keys
from sparkads.events.models import Event
from sparkads.marketplace import viewers
from sparkads.marketplace.models import CreatorProfile
from sparkads.marketplace.ranking import AudienceShares, CreatorFacts
from sparkads.money import from_micros
from sparkads.posts.models import Post, PostStatus
from sparkads.traffic.columns import GENDERS, ViewerColumns
from sparkads.traffic.store import Profiles

PRIOR_VIEWERS = 100
ESTIMATED_BELOW = 1_000  # observed viewers under which the audience is labelled an estimate
DIMENSIONS = ("country", "age_group", "gender")
Counts = dict[str, dict[str, dict[str, int]]]  # creator -> dimension -> value -> viewers


def _shares(values: NDArray[Any], labels: Sequence[str]) -> dict[str, float]:
    counts = np.bincount(values, minlength=len(labels))
    total = counts.sum()
    return {labels[i]: float(c / total) for i, c in enumerate(counts) if c} if total else {}


def _interest_shares(people: ViewerColumns, rows: NDArray[np.intp]) -> dict[str, float]:
    """Share of these viewers holding each top-level interest category."""
    if rows.size == 0:
        return {}
    held = people.interests[rows]
    tops = np.where(held >= 0, people.interest_top[np.where(held >= 0, held, 0)], -1)
    shares = {}
    for code in np.unique(tops[tops >= 0]):
        holding = (tops == code).any(axis=1).mean()
        shares[people.interest_ids[int(code)]] = float(holding)
    return shares


def countries_prior(known: Profiles, countries: tuple[str, ...]) -> AudienceShares:
    """The audience of a creator nobody has watched yet: the viewers seen in the traffic from
    the countries they declared. With none seen there, only the declared countries (evenly)."""
    people = known.columns
    codes = [people.countries.index(c) for c in countries if c in people.countries]
    rows = np.flatnonzero(np.isin(people.country, codes)) if codes else np.arange(0)
    if rows.size == 0:
        return AudienceShares(
            countries={c: 1 / len(countries) for c in countries} if countries else {},
            age_groups={},
            genders={},
            interests={},
        )
    ages, genders = people.age[rows], people.gender[rows]
    return AudienceShares(
        countries=_shares(people.country[rows], people.countries),
        age_groups=_shares(viewers.age_group_of(ages[ages >= 0]), viewers.AGE_GROUPS),
        genders={f"GENDER_{k}": v for k, v in _shares(genders[genders >= 0], GENDERS).items()},
        interests=_interest_shares(people, rows),
    )


def _blend(observed: Mapping[str, int], prior: Mapping[str, float]) -> dict[str, float]:
    pseudo = PRIOR_VIEWERS if prior else 0  # no traffic, no prior: only what was observed
    total = sum(observed.values()) + pseudo
    if not total:
        return {}
    keys = set(observed) | set(prior)
    blended = {k: (observed.get(k, 0) + pseudo * prior.get(k, 0.0)) / total for k in keys}
    return {k: round(v, 4) for k, v in sorted(blended.items(), key=lambda kv: -kv[1]) if v > 0}


def _audience_counts(session: Session, creator_ids: Sequence[str]) -> tuple[Counts, dict[str, int]]:
    counts: Counts = defaultdict(lambda: defaultdict(dict))
    for dimension in DIMENSIONS:
        column = getattr(Event, dimension)
        rows = session.execute(
            select(Post.creator_id, column, func.count(func.distinct(Event.viewer_id)))
            .select_from(Event)
            .join(Post, Post.item_id == Event.item_id)
            .where(Post.creator_id.in_(creator_ids), column != "")
            .group_by(Post.creator_id, column)
        )
        for creator_id, value, viewers_count in rows:
            key = f"GENDER_{value}" if dimension == "gender" else value
            counts[creator_id][dimension][key] = viewers_count
    observed = dict(
        session.execute(
            select(Post.creator_id, func.count(func.distinct(Event.viewer_id)))
            .select_from(Event)
            .join(Post, Post.item_id == Event.item_id)
            .where(Post.creator_id.in_(creator_ids))
            .group_by(Post.creator_id)
        ).all()
    )
    return counts, observed


def _observed_interests(
    session: Session, known: Profiles, creator_id: str
) -> tuple[NDArray[np.intp], int]:
    ids = session.scalars(
        select(Event.viewer_id)
        .select_from(Event)
        .join(Post, Post.item_id == Event.item_id)
        .where(Post.creator_id == creator_id)
        .distinct()
    )
    rows = known.rows(viewer_keys(ids))
    return rows, int(rows.size)


def _post_totals(session: Session, creator_ids: Sequence[str]) -> dict[str, tuple[int, int, int]]:
    """creator -> (live posts, views, engagements), organic and paid."""
    rows = session.execute(
        select(
            Post.creator_id,
            func.count(),
            func.sum(Post.organic_views + Post.paid_views),
            func.sum(
                Post.organic_likes
                + Post.organic_comments
                + Post.organic_shares
                + Post.paid_likes
                + Post.paid_comments
                + Post.paid_shares
            ),
        )
        .where(Post.creator_id.in_(creator_ids), Post.status == PostStatus.ACTIVE.value)
        .group_by(Post.creator_id)
    )
    return {c: (int(n), int(v or 0), int(e or 0)) for c, n, v, e in rows}  # fmt: skip


def creator_facts(
    session: Session, profiles: Sequence[CreatorProfile], *, interests: bool = False
) -> list[CreatorFacts]:
    """Facts for these opted-in creators (with the audience's interests when asked: one more
    query per creator, for a profile page rather than a search)."""
    ids = [p.creator_id for p in profiles]
    if not ids:
        return []
    creators = {
        c.creator_id: c for c in session.scalars(select(Creator).where(Creator.creator_id.in_(ids)))
    }
    totals = _post_totals(session, ids)
    counts, observed = _audience_counts(session, ids)
    known = viewers.known(session)
    priors: dict[tuple[str, ...], AudienceShares] = {}
    facts = []
    for profile in profiles:
        creator = creators[profile.creator_id]
        posts, views, engagements = totals.get(profile.creator_id, (0, 0, 0))
        where = tuple(sorted(profile.countries))
        prior = priors.get(where) or priors.setdefault(where, countries_prior(known, where))
        seen = counts.get(profile.creator_id, {})
        interest_shares = dict(prior.interests)
        if interests:
            rows, seen_viewers = _observed_interests(session, known, profile.creator_id)
            measured = _interest_shares(known.columns, rows)
            weight = seen_viewers / (seen_viewers + PRIOR_VIEWERS) if interest_shares else 1.0
            keys = set(measured) | set(interest_shares)
            interest_shares = {
                k: round(
                    weight * measured.get(k, 0.0) + (1 - weight) * interest_shares.get(k, 0.0), 4
                )
                for k in keys
            }
        audience = AudienceShares(
            countries=_blend(seen.get("country", {}), prior.countries),
            age_groups=_blend(seen.get("age_group", {}), prior.age_groups),
            genders=_blend(seen.get("gender", {}), prior.genders),
            interests=dict(sorted(interest_shares.items(), key=lambda kv: -kv[1])),
            observed=observed.get(profile.creator_id, 0),
            estimated=observed.get(profile.creator_id, 0) < ESTIMATED_BELOW,
        )
        facts.append(
            from_attributes(  # the creator's id, handle and display name
                CreatorFacts,
                creator,
                sector=profile.sector,
                countries=tuple(profile.countries),
                languages=tuple(profile.languages),
                followers=creator.followers + creator.paid_followers,
                fee_eur=float(from_micros(profile.asking_fee)),
                posts=posts,
                views_per_post=views / posts if posts else 0.0,
                engagement_rate=engagements / views if views else 0.0,
                audience=audience,
            )
        )
    return facts
