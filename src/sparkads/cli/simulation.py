"""`sparkads simulate` and `sparkads forecast`: the sandbox's traffic and what a budget would buy."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Annotated

import typer
from rich.table import Column, Table

from sparkads.accounts.lookups import get_advertiser
from sparkads.campaigns import rules
from sparkads.campaigns.enums import BidType, BillingEvent
from sparkads.campaigns.queries import validated_targeting
from sparkads.cli.common import (
    DbOpt,
    console,
    language,
    print_rows,
    progress,
    sealing_keys,
    settings,
    unit_of_work,
    unit_of_work_factory,
)
from sparkads.clock import TestClock
from sparkads.db import migrate
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.money import from_micros, shown, to_micros
from sparkads.services import forecasts
from sparkads.simulation import population as synthetic
from sparkads.simulation.simulator import Summary, post_profiles, simulate
from sparkads.simulation.summary import campaign_kpis
from sparkads.simulation.traffic import OverHttp, Transport, open_in_process


def run_simulation(
    database_url: str,
    transport: Transport,
    *,
    days: float,
    viewers: int,
    seed: int,
    requests_per_day: int | None,
    quiet: bool = False,
) -> Summary:
    people = synthetic.generate(viewers, seed)
    with unit_of_work(database_url) as uow:
        profiles = post_profiles(uow.session)
    per_day = requests_per_day or max(1, viewers // 5)
    with progress(quiet=quiet) as bar:
        task = bar.add_task(f"Simulating {days:.1f} days of feed traffic", total=None)
        summary = simulate(
            transport,
            people,
            profiles,
            days=days,
            requests_per_day=per_day,
            seed=seed,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    transport.refresh()  # the last hour's reasons saved too (in process; a server saves its own)
    return summary


def print_summary(database_url: str, summary: Summary) -> None:
    assert summary.started_at is not None
    assert summary.ended_at is not None
    console.print(
        f"{summary.requests:,} requests, {summary.fills:,} filled "
        f"({summary.fill_rate:.1%}); events: "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(summary.events.items()))
    )
    columns = ("impressions", "clicks", "CTR", "conversions", "spend", "CPA")
    with unit_of_work(database_url) as uow:
        kpis = campaign_kpis(uow.session, summary.started_at, summary.ended_at)
    print_rows(
        "Campaigns over the simulated period",
        ("campaign", "objective", *(Column(c, justify="right") for c in columns)),
        [
            (
                row.name,
                row.objective,
                f"{row.impressions:,}",
                f"{row.clicks:,}",
                f"{row.ctr:.2%}",
                f"{row.conversions:,}",
                f"{row.spend:,.2f}",
                f"{row.cpa:,.2f}" if row.cpa is not None else "–",
            )
            for row in kpis
        ],
        none="No campaign delivered over the simulated period: create one first "
        "(`sparkads demo` builds a world with campaigns of every objective).",
    )


def simulate_command(
    days: Annotated[float, typer.Option(help="Simulated days.")] = 1.0,
    viewers: Annotated[int, typer.Option(help="Synthetic population size.")] = 100_000,
    seed: Annotated[int, typer.Option(help="Same seed, same world and outcome.")] = 7,
    requests_per_day: Annotated[int | None, typer.Option(help="Default: viewers / 5.")] = None,
    server: Annotated[
        str | None,
        typer.Option(help="Drive a running sandbox server over HTTP instead of in process."),
    ] = None,
    feed_token: Annotated[str | None, typer.Option(help="Feed token for --server.")] = None,
    operator_token: Annotated[
        str | None, typer.Option(help="Operator token for --server (it moves the clock).")
    ] = None,
    database_url: DbOpt = None,
) -> None:
    """Simulate feed traffic (decisions and events) on the sandbox clock and print KPIs."""
    url = settings(database_url).database_url
    migrate.upgrade(url)
    if server:
        if not feed_token or not operator_token:
            raise typer.BadParameter(
                "--server needs --feed-token (sparkads feeds create) and --operator-token "
                "(sparkads operators create)"
            )
        transport: Transport = OverHttp(server, feed_token, operator_token)
    else:
        transport = open_in_process(
            url, TestClock(datetime.now(UTC)), seed, sealing=sealing_keys(url)
        )
    summary = run_simulation(
        url, transport, days=days, viewers=viewers, seed=seed, requests_per_day=requests_per_day
    )
    print_summary(url, summary)


def forecast_command(
    advertiser_id: Annotated[str, typer.Option(help="Ad account planning the ad group.")],
    targeting: Annotated[
        str,
        typer.Option(
            help='Targeting JSON, e.g. {"location_ids": ["3017382"], "age_groups": ["AGE_18_24"]}'
        ),
    ],
    budget: Annotated[float, typer.Option(help="Daily budget in the account currency.")],
    bid: Annotated[float, typer.Option(help="Bid (CPM/CPC/CPV) or target cost per result.")] = 1.0,
    billing_event: Annotated[str, typer.Option(help="CPM, CPC, CPV or OCPM.")] = "CPC",
    optimization_goal: Annotated[str, typer.Option(help="e.g. CLICK, REACH, CONVERT.")] = "CLICK",
    viewers: int = 100_000,
    seed: int = 7,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    database_url: DbOpt = None,
) -> None:
    """Forecast daily reach, impressions, clicks, conversions, spend and CPA for a draft ad group,
    by replaying the traffic log of the last 7 days (refused without enough traffic)."""
    url = settings(database_url).database_url
    transport = open_in_process(url, TestClock(datetime.now(UTC)), seed, sealing=sealing_keys(url))
    with unit_of_work(url) as uow:
        advertiser = get_advertiser(uow.session, advertiser_id)
        _check_bid(billing_event, to_micros(bid))  # as the API and the wizard check it
        spec = validated_targeting(uow.session, advertiser, json.loads(targeting)).model_dump(
            mode="json"
        )
        currency = advertiser.currency
        result = forecasts.outlook(
            uow.session,
            advertiser,
            forecasts.DraftGroup(
                targeting=spec,
                goal=optimization_goal,
                billing=billing_event,
                bid_type="BID_TYPE_CUSTOM",
                bid=to_micros(bid),
                daily_budget=to_micros(budget),
            ),
            snapshot=transport.store.snapshot,
            history=transport.counters.stats_snapshot(),
            now=datetime.now(UTC),
        )
    report: dict[str, object] = {
        "audience_size": result.audience.size,
        "known_viewers": result.audience.known_viewers,
        "logged_requests": result.basis.requests,
        "days": result.basis.days,
    }
    for name, r in result.daily.items():  # counts as whole numbers, money as amounts
        whole = name in forecasts.COUNTS
        report[name] = [int(v) if whole else v for v in r] if r is not None else None
    report["currency"] = currency
    report["reach_standard_error"] = result.reach_error
    zero = result.zero
    if zero is not None:  # the wizard's words (one source: services.forecasts.ZeroReason)
        amount = zero.winning_amount
        report["zero_reason"] = {
            **zero.render(language()),
            "winning_bid": float(amount) if amount is not None else None,
        }
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    table = Table(title=f"Daily forecast ({currency}), ranges over {result.basis.days} logged days")
    table.add_column("metric")
    table.add_column("low–high", justify="right")
    for row in forecast_cells(report, currency, result.zero_because):
        table.add_row(*row)
    console.print(table)
    if zero is not None:
        texts = zero.render(language())
        console.print(f"[bold]{texts['message']}[/bold] ({texts['code']})\n{texts['solution']}")


def _check_bid(billing_event: str, amount: int) -> None:
    if billing_event not in set(BillingEvent):
        choices = ", ".join(BillingEvent)
        detail = LocalText(N_("one of {choices}"), {"choices": choices})
        raise SparkadsError("invalid_parameter", field="billing_event", detail=detail)
    billing = BillingEvent(billing_event)
    conversion = billing is BillingEvent.OCPM  # a target cost per result, else a price per event
    rules.check_bid(
        rules.Bid(
            BidType.CUSTOM, billing, None if conversion else amount, amount if conversion else None
        )
    )


MONEY = ("spend", "cpa")
NO_DELIVERY = {
    "targeting": "no logged viewer matches the targeting",
    "bid": "the bid won no auction",
    "budget": "the daily budget pays for no auction it wins",
}


def forecast_cells(
    report: dict[str, object], currency: str, zero_because: str | None
) -> list[tuple[str, str]]:
    """The forecast's rows as people read them: money to the cent (or the currency's digits),
    counts grouped by thousands, and an absent value as "—" with the reason."""
    rows = []
    for key, value in report.items():
        if key in ("currency", "zero_reason"):  # the reason is told in words under the table
            continue
        if value is None:
            why = NO_DELIVERY.get(zero_because or "", "")
            if key == "cpa":
                why = why or "no conversion forecast, so no cost per conversion"
            rows.append((key, f"— ({why})" if why else "—"))
        elif isinstance(value, list):
            parts = [shown(v, currency) if key in MONEY else f"{int(v):,}" for v in value]
            rows.append((key, "–".join(parts)))
        else:
            text = f"{value:,.0f}" if isinstance(value, float) else str(value)
            rows.append((key, f"{value:,}" if isinstance(value, int) else text))
    if zero_because:
        rows.append(("no delivery", NO_DELIVERY.get(zero_because, zero_because)))
    return rows


def backtest_command(
    day: Annotated[
        str | None,
        typer.Option(help="Day D to forecast and compare (YYYY-MM-DD); default: yesterday (UTC)."),
    ] = None,
    days: Annotated[int, typer.Option(help="Days of traffic log before D to replay.")] = 7,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    database_url: DbOpt = None,
) -> None:
    """Forecast day D of every ad group that delivered on D from the traffic log of the days
    before D, and compare with what the engine actually delivered on D."""
    url = settings(database_url).database_url
    target = date.fromisoformat(day) if day else (datetime.now(UTC) - timedelta(days=1)).date()
    transport = open_in_process(url, TestClock(datetime.now(UTC)), 7, sealing=sealing_keys(url))
    with unit_of_work_factory(url) as uow:
        rows = forecasts.backtest_day(
            uow,
            transport.store.snapshot,
            target,
            history=transport.counters.stats_snapshot(),
            days=days,
        )
    report: list[dict[str, object]] = []
    for r in rows:
        # spend is in micros of the ad group's currency: shown in units
        unit = (lambda v: float(from_micros(int(v)))) if r.metric == "spend" else float
        low, high, mean, actual = (round(unit(v), 2) for v in (r.low, r.high, r.mean, r.actual))
        report.append(
            {"adgroup_id": r.adgroup_id, "metric": r.metric, "forecast": [low, high],
             "forecast_mean": mean, "actual": actual, "within_range": r.within,
             "error": None if r.error is None else round(r.error, 3)}
        )  # fmt: skip
    if as_json:
        typer.echo(json.dumps({"day": target.isoformat(), "comparisons": report}, indent=2))
        return
    print_rows(
        f"Backtest of {target}: forecast from the {days} days before",
        ("ad group", "metric", "forecast (low–high)", "mean", "actual", "error"),
        [
            (r.adgroup_id, r.metric, "–".join(map(str, item["forecast"])),  # type: ignore[call-overload]
             str(item["forecast_mean"]), str(item["actual"]),
             "—" if r.error is None else f"{r.error:+.0%}")
            for r, item in zip(rows, report, strict=True)
        ],
        none=f"No ad group delivered on {target}: nothing to compare. Log traffic first "
        "(`sparkads simulate`, or `sparkads demo`), or pick a day with --day YYYY-MM-DD.",
    )  # fmt: skip
