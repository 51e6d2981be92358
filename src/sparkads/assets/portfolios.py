"""Creative portfolios (creative/portfolio/create|list|get): sparkads keeps TikTok's dynamic CTA
portfolio, the call-to-action texts an ad may show in turn. Other portfolio types (cards, gift
codes, stickers…) are interactive add-ons a Spark post in a sparkads feed cannot carry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.assets.models import CreativePortfolio
from sparkads.campaigns.enums import CALL_TO_ACTIONS
from sparkads.clock import Clock
from sparkads.db.base import added
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.ids import new_id

PortfolioType = Literal["CTA"]
PORTFOLIO_TYPES: tuple[PortfolioType, ...] = ("CTA",)
MAX_CTAS = 5  # TikTok's dynamic CTA portfolios hold up to 5 texts


@dataclass(frozen=True)
class CtaContent:
    """One CTA of a portfolio: the text (a TikTok call_to_action value) and its asset ids."""

    asset_content: str
    asset_ids: tuple[str, ...] = ()


def create_portfolio(
    session: Session,
    clock: Clock,
    advertiser: Advertiser,
    *,
    portfolio_type: str,
    content: Sequence[CtaContent],
) -> CreativePortfolio:
    if portfolio_type not in PORTFOLIO_TYPES:
        raise SparkadsError(
            "field_not_supported", field=f"creative_portfolio_type={portfolio_type}"
        )
    if not 1 <= len(content) <= MAX_CTAS:
        raise SparkadsError(
            "invalid_parameter",
            field="portfolio_content",
            detail=LocalText(
                N_("a CTA portfolio holds 1 to {most} call-to-action texts"), {"most": MAX_CTAS}
            ),
        )
    seen: set[str] = set()
    for item in content:
        if item.asset_content not in CALL_TO_ACTIONS:
            raise SparkadsError(
                "invalid_parameter",
                field="portfolio_content.asset_content",
                detail=LocalText(
                    N_("{value} is not a call_to_action value"),
                    {"value": repr(item.asset_content)},
                ),
            )
        if item.asset_content in seen:
            raise SparkadsError(
                "invalid_parameter",
                field="portfolio_content.asset_content",
                detail=LocalText(N_("{value} is listed twice"), {"value": item.asset_content}),
            )
        seen.add(item.asset_content)
    portfolio = CreativePortfolio(
        portfolio_id=new_id(),
        advertiser_id=advertiser.advertiser_id,
        portfolio_type=portfolio_type,
        content=[
            {"asset_content": c.asset_content, "asset_ids": list(c.asset_ids)} for c in content
        ],
        created_at=clock.now(),
    )
    return added(session, portfolio)


def list_portfolios(
    session: Session,
    advertiser: Advertiser,
    *,
    portfolio_ids: Sequence[str] | None = None,
    portfolio_types: Sequence[str] | None = None,
) -> Sequence[CreativePortfolio]:
    query = select(CreativePortfolio).where(
        CreativePortfolio.advertiser_id == advertiser.advertiser_id
    )
    if portfolio_ids is not None:
        query = query.where(CreativePortfolio.portfolio_id.in_(list(portfolio_ids)))
    if portfolio_types is not None:
        query = query.where(CreativePortfolio.portfolio_type.in_(list(portfolio_types)))
    order = (CreativePortfolio.created_at.desc(), CreativePortfolio.portfolio_id)
    return session.scalars(query.order_by(*order)).all()


def get_portfolio(session: Session, advertiser: Advertiser, portfolio_id: str) -> CreativePortfolio:
    found = session.get(CreativePortfolio, portfolio_id)
    if found is None or found.advertiser_id != advertiser.advertiser_id:
        raise SparkadsError("portfolio_not_found", portfolio_id=portfolio_id)
    return found
