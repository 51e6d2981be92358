"""Ads Manager → dashboard: the KPIs of R17 (impressions, clicks, CTR, conversions, CPA, spend) for
the ad account, over 1, 7 or 30 days, with charts per day and a line per campaign."""

from __future__ import annotations

from babel.dates import format_skeleton
from babel.numbers import format_currency, format_decimal
from fastapi.responses import Response
from markupsafe import Markup

from sparkads.campaigns import queries
from sparkads.money import from_micros
from sparkads.web.charts import Series, bars_and_line
from sparkads.web.first_account import first_account_page
from sparkads.web.forms import number_among
from sparkads.web.i18n import gettext
from sparkads.web.kpis import Dashboard, account_dashboard
from sparkads.web.routing import web_router
from sparkads.web.session import WebDep

router = web_router()
PERIODS = (1, 7, 30)


def _charts(board: Dashboard, lang: str, currency: str) -> list[Markup]:
    days = [format_skeleton("MMMd", day, locale=lang) for day, _ in board.days]  # "Dec 6"
    impressions = [float(k.impressions) for _, k in board.days]
    clicks = [float(k.clicks) for _, k in board.days]
    spend = [float(from_micros(k.spend)) for _, k in board.days]
    conversions = [float(k.conversions) for _, k in board.days]

    def numbers(values: list[float]) -> list[str]:
        return [format_decimal(v, locale=lang) for v in values]

    first = bars_and_line(
        "reach-chart", gettext(lang, "Impressions (bars) and clicks (line) per day"), days,
        Series("impressions", impressions, "#93c5fd", ""), Series("clicks", clicks, "#be123c", ""),
        (numbers(impressions), numbers(clicks)), lang,
    )  # fmt: skip
    second = bars_and_line(
        "spend-chart", gettext(lang, "Spend (bars) and conversions (line) per day"), days,
        Series("spend", spend, "#a7f3d0", ""), Series("conversions", conversions, "#1d4ed8", ""),
        ([format_currency(v, currency, locale=lang) for v in spend], numbers(conversions)), lang,
    )  # fmt: skip
    # Built from numbers and escaped text only: safe to inline.
    return [Markup(first), Markup(second)]  # noqa: S704


@router.get("/ads")
def dashboard(web: WebDep, days: str = "7") -> Response:
    """The ad account's dashboard; a Business Center with no ad account yet gets its first run
    (web.first_account) here, at its home address."""
    if web.user is not None and web.user.is_advertiser and web.user.current is None:
        return first_account_page(web)
    period = number_among(days, PERIODS, 7)
    with web.uow() as uow:
        advertiser = web.advertiser(uow.session)
        board = account_dashboard(
            uow.session, advertiser.advertiser_id, web.context.clock.now(), period,
            advertiser.timezone,
        )  # fmt: skip
        names = {
            c.campaign_id: c.campaign_name
            for c in queries.list_campaigns(uow.session, advertiser.advertiser_id)
        }
    rows = sorted(
        ((names.get(cid, cid), kpis) for cid, kpis in board.campaigns.items()),
        key=lambda row: -row[1].impressions,
    )
    return web.render(
        "ads/dashboard.html", section="dashboard", board=board, period=period, periods=PERIODS,
        currency=advertiser.currency, charts=_charts(board, web.lang, advertiser.currency),
        rows=rows,
    )  # fmt: skip
