"""`sparkads demo`: a small world to click through (two creators with posts, a Business Center
with one advertiser, one Spark code already applied). Idempotent: re-running mints fresh tokens."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts import service as accounts
from sparkads.accounts.models import Advertiser, BusinessCenter, TokenScope
from sparkads.authorizations import spark_codes
from sparkads.authorizations.library import apply_code
from sparkads.authorizations.throttle import FailureThrottle
from sparkads.cli.common import CLOCK, console, unit_of_work
from sparkads.posts.schemas import PostCreate
from sparkads.posts.service import publish_post

CREATORS: list[dict[str, Any]] = [
    {
        "handle": "lea.cooks",
        "display_name": "Léa Cooks",
        "country": "FR",
        "sector": "food",
        "followers": 48_200,
        "posts": [
            {
                "caption": "Crêpes in 12 seconds #recipe #breakfast",
                "duration": 12.0,
                "organic": {"views": 182_000, "likes": 21_400, "comments": 530, "shares": 1_210},
                "music": {"title": "Morning Jazz", "cleared_for_commercial_use": True},
            },
            {
                "caption": "My 3 favourite knives, honest review",
                "duration": 34.5,
                "organic": {"views": 64_000, "likes": 5_100, "comments": 220, "shares": 140},
            },
            {
                "caption": "Market haul in Lyon",
                "item_type": "CAROUSEL",
                "images": [
                    {"url": "https://example.invalid/haul-1.jpg"},
                    {"url": "https://example.invalid/haul-2.jpg"},
                ],
                "organic": {"views": 23_000, "likes": 2_300, "comments": 80, "shares": 35},
            },
        ],
    },
    {
        "handle": "max.lifts",
        "display_name": "Max Lifts",
        "country": "DE",
        "sector": "fitness",
        "followers": 9_800,
        "posts": [
            {
                "caption": "10-minute core routine, no equipment #fitness",
                "duration": 14.0,
                "organic": {"views": 41_000, "likes": 6_900, "comments": 310, "shares": 420},
            },
            {
                "caption": "What I eat before the gym",
                "duration": 9.5,
                "visibility": "PRIVATE",
                "organic": {"views": 0, "likes": 0, "comments": 0, "shares": 0},
            },
        ],
    },
]


def _seed(session: Session) -> None:
    if accounts.find_creator_by_handle(session, "lea.cooks") is not None:
        return
    bc = accounts.create_business_center(
        session, CLOCK, name="Maison Verte Group", company="Maison Verte SAS"
    )
    advertiser = accounts.create_advertiser(
        session,
        CLOCK,
        name="Maison Verte - FR",
        currency="EUR",
        timezone="Europe/Paris",
        bc_id=bc.bc_id,
    )
    published = []
    for spec in CREATORS:
        profile = {k: v for k, v in spec.items() if k != "posts"}
        creator = accounts.create_creator(session, CLOCK, **profile)
        for post in spec["posts"]:
            data = PostCreate.model_validate(post)
            published.append(publish_post(session, CLOCK, creator_id=creator.creator_id, data=data))
    # One code already applied, so the creative library is not empty on first look.
    first = published[0]
    _, code, _ = spark_codes.enable_authorization(
        session, CLOCK, creator_id=first.creator_id, item_id=first.item_id, duration_days=30
    )
    throttle = FailureThrottle(max_failures=10, window=timedelta(minutes=10))
    apply_code(session, CLOCK, throttle, advertiser=advertiser, auth_code=code)


def _tokens(session: Session) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    bc = session.scalars(select(BusinessCenter).order_by(BusinessCenter.created_at)).first()
    advertiser = session.scalars(select(Advertiser).order_by(Advertiser.created_at)).first()
    assert bc is not None
    assert advertiser is not None
    rows.append(
        {
            "account": f"Business Center {bc.name}",
            "id": bc.bc_id,
            "token": accounts.issue_token(
                session, CLOCK, scope=TokenScope.BUSINESS_CENTER, subject_id=bc.bc_id, label="demo"
            ),
        }
    )
    rows.append(
        {
            "account": f"Advertiser {advertiser.name}",
            "id": advertiser.advertiser_id,
            "token": accounts.issue_token(
                session,
                CLOCK,
                scope=TokenScope.ADVERTISER,
                subject_id=advertiser.advertiser_id,
                label="demo",
            ),
        }
    )
    for spec in CREATORS:
        creator = accounts.get_creator_by_handle(session, spec["handle"])
        rows.append(
            {
                "account": f"Creator @{creator.handle}",
                "id": creator.creator_id,
                "token": accounts.issue_token(
                    session,
                    CLOCK,
                    scope=TokenScope.CREATOR,
                    subject_id=creator.creator_id,
                    label="demo",
                ),
            }
        )
    return rows


def demo(
    database_url: Annotated[
        str | None, typer.Option("--database-url", envvar="SPARKADS_DATABASE_URL")
    ] = None,
    tokens_file: Annotated[Path, typer.Option(help="Where to save the tokens.")] = Path(
        "var/demo-tokens.json"
    ),
) -> None:
    """Seed the demo world (once) and print fresh access tokens for each demo account."""
    with unit_of_work(database_url) as uow:
        _seed(uow.session)
        rows = _tokens(uow.session)
        uow.commit()
    tokens_file.parent.mkdir(parents=True, exist_ok=True)
    tokens_file.write_text(json.dumps(rows, indent=2))
    table = Table(title="sparkads demo accounts (tokens also in " + str(tokens_file) + ")")
    for column in ("account", "id", "token"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row["account"], row["id"], row["token"])
    console.print(table)
