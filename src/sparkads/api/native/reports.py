"""Native reports: the same engine as report/integrated/get, as JSON or CSV; recommendations and
library scores for advertisers; a creator's view of paid and organic results (R19)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response
from sqlalchemy import func, select

from sparkads.accounts.lookups import authorize_advertiser
from sparkads.accounts.models import Advertiser
from sparkads.api.context import ContextDep
from sparkads.api.native.deps import CreatorPrincipal, RequesterPrincipal
from sparkads.api.native.media import answered_in
from sparkads.authorizations.models import SparkCode
from sparkads.campaigns.models import Ad
from sparkads.clock import as_utc
from sparkads.events.models import Event
from sparkads.posts.models import Post
from sparkads.reporting.creator_results import AccountAccess, BrandUse, Figures, UseState
from sparkads.reporting.csv_export import csv_text
from sparkads.reporting.report_query import ID_OF_LEVEL, ReportQuery
from sparkads.services import reports
from sparkads.services.reports import ROLLED_UP_TO_HEADER, read_report
from sparkads.traffic.store import MIN_AGGREGATE

router = APIRouter(prefix="/api/v1", tags=["Reports and recommendations"])
LEVELS = {
    "advertiser": "AUCTION_ADVERTISER",
    "campaign": "AUCTION_CAMPAIGN",
    "adgroup": "AUCTION_ADGROUP",
    "ad": "AUCTION_AD",
}
DEFAULT_METRICS = "spend,impressions,reach,clicks,ctr,cpc,cpm,conversion,cost_per_conversion"


@router.get(
    "/reports",
    response_model=None,
    responses=answered_in(
        "application/json", "text/csv", description="The report as JSON, or as CSV with format=csv."
    ),
)
def report(
    who: RequesterPrincipal,
    context: ContextDep,
    advertiser_id: str,
    start_date: date,
    end_date: date,
    level: Literal["advertiser", "campaign", "adgroup", "ad"] = "campaign",
    by: Literal["day", "hour", "total"] = "day",
    metrics: Annotated[str, Query(description="Comma-separated KPI names")] = DEFAULT_METRICS,
    audience: Annotated[
        str | None,
        Query(
            description="Comma-separated audience breakdowns: country_code, age, gender, "
            "platform, province_id"
        ),
    ] = None,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """KPIs per campaign (or ad group, ad) per day or hour, in the advertiser's timezone,
    optionally broken down by audience (country, age, gender); `format=csv` downloads the same
    table."""
    with context.uow() as uow:
        advertiser = authorize_advertiser(uow.session, who, advertiser_id)
    data_level = LEVELS[level]
    dimensions = [ID_OF_LEVEL[data_level]]
    breakdowns = _names(audience or "")
    dimensions += breakdowns
    if by != "total":
        dimensions.append("stat_time_day" if by == "day" else "stat_time_hour")
    answer = read_report(
        context.uow,
        context.rollups,
        ReportQuery(
            advertiser=advertiser,
            report_type="AUDIENCE" if breakdowns else "BASIC",
            data_level=data_level,
            dimensions=dimensions,
            metrics=_names(metrics),
            start=start_date,
            end=end_date,
            page_size=100_000,
        ),
    )
    rows = [{**row["dimensions"], **row["metrics"]} for row in answer.data["list"]]
    fresh = {ROLLED_UP_TO_HEADER: answer.rolled_up_to_text}
    if format == "json":
        return JSONResponse(
            {
                "currency": advertiser.currency,
                "rolled_up_to": answer.rolled_up_to_text or None,
                "rows": rows,
            },
            headers=fresh,
        )
    name = f"sparkads-{level}-{start_date}-{end_date}.csv"
    return Response(
        csv_text(list(rows[0]), rows) if rows else "",
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"', **fresh},
    )


def _names(listed: str) -> list[str]:
    return [name.strip() for name in listed.split(",") if name.strip()]


@router.get("/recommendations")
def recommendations(
    who: RequesterPrincipal, context: ContextDep, advertiser_id: str
) -> dict[str, object]:
    """What to change, and why: fatigue, CPA above target, budget-limited, audience width,
    expiring authorizations, post length, music, better posts in the library."""
    _, items = reports.recommendations(
        context.uow, context.rollups, context.clock, who, advertiser_id
    )
    return {"recommendations": [item.__dict__ for item in items]}


@router.get("/library/scores")
def library_scores(
    who: RequesterPrincipal, context: ContextDep, advertiser_id: str
) -> dict[str, object]:
    """The advertiser's authorized posts ranked by expected performance (R16)."""
    return {"posts": reports.library_scores(context.uow, who, advertiser_id)}


@router.get("/creator/report")
def creator_report(who: CreatorPrincipal, context: ContextDep) -> dict[str, object]:
    """A creator's posts with organic and paid engagement, paid reach and the brands that
    sponsored them (R2, R19)."""
    with context.uow() as uow:
        posts = uow.session.scalars(
            select(Post).where(Post.creator_id == who.subject_id).order_by(Post.published_at.desc())
        ).all()
        reach = dict(
            uow.session.execute(
                select(Event.item_id, func.count(func.distinct(Event.viewer_id)))
                .where(
                    Event.item_id.in_([p.item_id for p in posts]), Event.event_type == "impression"
                )
                .group_by(Event.item_id)
            ).all()
        )
        sponsors: dict[str, set[str]] = {}
        for ad, advertiser in uow.session.execute(
            select(Ad, Advertiser)
            .join(Advertiser, Advertiser.advertiser_id == Ad.advertiser_id)
            .where(Ad.tiktok_item_id.in_([p.item_id for p in posts]))
        ):
            sponsors.setdefault(ad.tiktok_item_id, set()).add(advertiser.name)
        return {
            "posts": [
                {
                    "item_id": p.item_id,
                    "caption": p.caption,
                    "organic": {
                        "views": p.organic_views,
                        "likes": p.organic_likes,
                        "comments": p.organic_comments,
                        "shares": p.organic_shares,
                    },
                    "paid": {
                        "reach": int(reach.get(p.item_id, 0)),
                        "views": p.paid_views,
                        "likes": p.paid_likes,
                        "comments": p.paid_comments,
                        "shares": p.paid_shares,
                        "profile_visits": p.paid_profile_visits,
                    },
                    "sponsored_by": sorted(sponsors.get(p.item_id, set())),
                }
                for p in posts
            ]
        }


@router.get("/creator/sponsorships")
def creator_sponsorships(
    who: CreatorPrincipal,
    context: ContextDep,
    days: Annotated[
        int | None,
        Query(ge=1, le=3660, description="The last days of each brand; none: since the start"),
    ] = None,
) -> dict[str, object]:
    """What sponsorship brought the creator, as Creator Studio's sponsorships page shows it: each
    post authorized for ads (Spark code, Business Center access, linked account), the brands
    using it, since when, the state, and what their ads delivered on it (paid impressions, paid
    views of 2 seconds, likes, comments, shares, follows, profile visits; `reach`, distinct
    viewers, is null between 1 and 99), by brand and in total."""
    results = reports.sponsorship_results(
        context.uow, context.rollups, context.clock, creator_id=who.subject_id, days=days
    )
    return {
        "days": days,
        "reach_minimum": MIN_AGGREGATE,
        "total": _figures(results.total),
        "brands": [_brand(a, f) for a, f in results.brands],
        "posts": [
            {
                "item_id": p.post.item_id,
                "caption": p.post.caption,
                "spark_codes": [_code(code, state) for code, state in p.codes],
                "total": _figures(p.figures),
                "brands": [_use(use) for use in p.uses],
            }
            for p in results.posts
        ],
        "account_access": [_access(a) for a in results.accesses],
    }


def _figures(figures: Figures) -> dict[str, int | None]:
    return {**figures.counts(), "reach": figures.reach}


def _brand(advertiser: Advertiser, figures: Figures) -> dict[str, object]:
    return {"advertiser_id": advertiser.advertiser_id, "name": advertiser.name, **_figures(figures)}


def _code(code: SparkCode, state: UseState) -> dict[str, object]:
    return {
        "authorization_id": code.authorization_id,
        "hint": code.code_hint,
        "status": state.value,
        "ends_at": as_utc(code.ends_at).isoformat(),
    }


def _use(use: BrandUse) -> dict[str, object]:
    return {
        **_brand(use.advertiser, use.figures),
        "through": use.through.value,
        "since": as_utc(use.since).isoformat(),
        "status": use.state.value,
        "ads": use.ads,
        "running_ads": use.running,
        "delivery": use.delivery.value,
    }


def _access(access: AccountAccess) -> dict[str, object]:
    return {
        "name": access.name,
        "through": access.through.value,
        "since": as_utc(access.since).isoformat(),
        "status": access.state.value,
        "posts_used": access.posts_used,
    }
