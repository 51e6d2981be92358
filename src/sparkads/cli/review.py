"""`sparkads policy` (the content rules ads are checked against) and `sparkads review` (the queue
of ads waiting for a person, appeals of takedowns), through services.reviews."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from sparkads.campaigns.policy import RuleKind
from sparkads.campaigns.review import REVIEWER_REASONS
from sparkads.cli.common import (
    CLOCK,
    DbOpt,
    JsonOpt,
    emit,
    group,
    id_column,
    print_rows,
    settings,
    unit_of_work_factory,
)
from sparkads.services.reviews import Reviews

policy = group(
    help="Content policy rules every new or edited ad is checked against.", no_args_is_help=True
)
review = group(help="Ads waiting for review, and appeals of takedowns.", no_args_is_help=True)

KINDS = ", ".join(kind.value for kind in RuleKind)


@contextmanager
def _reviews(database_url: str | None) -> Iterator[Reviews]:
    with unit_of_work_factory(database_url) as factory:
        yield Reviews(factory, CLOCK, auto_approve=settings(database_url).auto_approve)


@policy.command("list")
def list_rules(as_json: JsonOpt = False, database_url: DbOpt = None) -> None:
    """The rules in force."""
    with _reviews(database_url) as reviews:
        rows = reviews.rules()
    if as_json:
        emit({"rules": [r.__dict__ for r in rows]}, True, "")
        return
    print_rows(
        "Policy rules",
        ("rule_id", "kind", "value"),
        [(r.rule_id, r.kind, r.value) for r in rows],
        none=f"No policy rules yet: add one with `sparkads policy add KIND VALUE` (KIND: {KINDS}).",
    )


@policy.command("add")
def add_rule(
    kind: Annotated[str, typer.Argument(help=f"One of: {KINDS}.")],
    value: Annotated[
        str,
        typer.Argument(
            help='A word; "name: word, word" for categories; a domain; seconds; a post format.'
        ),
    ],
    as_json: JsonOpt = False,
    database_url: DbOpt = None,
) -> None:
    """Add a rule; new and edited ads meet it (ads already reviewed keep their review)."""
    with _reviews(database_url) as reviews:
        rule = reviews.add_rule(kind, value)
    emit(rule.__dict__, as_json, "Policy rule")


@policy.command("remove")
def remove_rule(
    rule_id: Annotated[str, typer.Argument(help="The rule's id (`sparkads policy list`).")],
    as_json: JsonOpt = False,
    database_url: DbOpt = None,
) -> None:
    """Remove a rule."""
    with _reviews(database_url) as reviews:
        rule = reviews.remove_rule(rule_id)
    emit(rule.__dict__, as_json, "Policy rule removed")


@review.command("queue")
def queue(as_json: JsonOpt = False, database_url: DbOpt = None) -> None:
    """Ads waiting for a person, oldest first."""
    with _reviews(database_url) as reviews:
        items = reviews.queue()
    if as_json:
        rows = [{**i.__dict__, "submitted_at": i.submitted_at.isoformat()} for i in items]
        emit({"ads": rows}, True, "")
        return
    print_rows(
        "Review queue",
        # the ad's id is never cut (it is pasted into `review approve`): the others wrap
        (
            id_column("ad_id", [i.ad_id for i in items]),
            "advertiser",
            "caption",
            "landing page",
            "again",
        ),
        [
            (
                i.ad_id,
                i.advertiser,
                i.caption[:60],
                i.landing_page_url or "",
                "yes" if i.again else "",
            )
            for i in items
        ],
        none="No ads waiting for review yet: an ad an advertiser creates or edits (Ads Manager, "
        "ad/create/) waits here when the server reviews by hand (`sparkads serve` outside the "
        "sandbox, or with SPARKADS_AUTO_APPROVE=0).",
    )


@review.command("approve")
def approve(
    ad_id: str,
    reviewer: Annotated[str, typer.Option(help="Who decides.")] = "cli",
    as_json: JsonOpt = False,
    database_url: DbOpt = None,
) -> None:
    """Approve an ad: it serves within a second."""
    with _reviews(database_url) as reviews:
        reviews.approve(ad_id, reviewer=reviewer)
    emit({"ad_id": ad_id, "review_status": "APPROVED"}, as_json, "Approved")


@review.command("reject")
def reject(
    ad_id: str,
    reason: Annotated[
        list[str], typer.Option(help=f"Reason code, repeatable: {', '.join(REVIEWER_REASONS)}.")
    ],
    note: Annotated[str, typer.Option(help="Shown to the advertiser with the reasons.")] = "",
    reviewer: Annotated[str, typer.Option(help="Who decides.")] = "cli",
    as_json: JsonOpt = False,
    database_url: DbOpt = None,
) -> None:
    """Reject an ad with reason codes; the advertiser sees them (Ads Manager, ad/review_info/)."""
    with _reviews(database_url) as reviews:
        reviews.reject(ad_id, reviewer=reviewer, reasons=reason, note=note)
    emit({"ad_id": ad_id, "review_status": "REJECTED"}, as_json, "Rejected")


@review.command("take-down")
def take_down(
    item_id: str,
    reason: Annotated[str, typer.Option(help="The rule the post breaks (shown to all).")],
    as_json: JsonOpt = False,
    database_url: DbOpt = None,
) -> None:
    """Take a post down as non-compliant: every ad on it stops."""
    with _reviews(database_url) as reviews:
        state = reviews.take_down(item_id, reason=reason)
    emit(state.__dict__, as_json, "Taken down")
