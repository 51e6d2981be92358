"""Reading a report: what `report/integrated/get`, the native reports and the web's report page all
run, the recommendations and library scores that the native API and the web show, and what
sponsorship brought a creator (Creator Studio's sponsorships, GET /api/v1/creator/sponsorships). The
rollups are kept current by the folder (`reporting/folder.py`), which folds here only where it
does not run in the background (or in the sandbox); the answer says how fresh they are. The jobs
a deployment runs from cron (`sparkads jobs rollups`, `jobs event-partitions`) fold and keep the
events' day partitions here too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sparkads.accounts.lookups import get_creator
from sparkads.accounts.models import Advertiser
from sparkads.accounts.principal import Principal
from sparkads.accounts.service import authorize_advertiser
from sparkads.clock import Clock, as_utc
from sparkads.errors import SparkadsError
from sparkads.events import partitions
from sparkads.events.partitions import Maintenance
from sparkads.i18n import N_, LocalText
from sparkads.reporting import recommendation_dismissals as dismissals
from sparkads.reporting import rollups
from sparkads.reporting.creator_results import CreatorResults, Period, creator_results
from sparkads.reporting.folder import RollupFolder, rolled_up_to
from sparkads.reporting.post_scores import score_library
from sparkads.reporting.recommendation_better import BETTER_POST_MIN_VIEWS
from sparkads.reporting.recommendation_length import LENGTH_MIN_IMPRESSIONS
from sparkads.reporting.recommendations import Recommendation as Recommendation
from sparkads.reporting.recommendations import recommend
from sparkads.reporting.report import ReportQuery, run
from sparkads.services.units import Units
from sparkads.traffic.store import MIN_AGGREGATE

# Every report answer (TikTok's, the native JSON and CSV) carries its freshness in this header.
ROLLED_UP_TO_HEADER = "X-Sparkads-Rolled-Up-To"


@dataclass(frozen=True)
class ReportAnswer:
    data: dict[str, Any]  # `report.run`'s answer: list, page_info, totals
    rolled_up_to: datetime | None  # every event committed by then is counted (UTC)

    @property
    def rolled_up_to_text(self) -> str:
        """ISO 8601 with its offset, or an empty string before the first fold."""
        return self.rolled_up_to.isoformat() if self.rolled_up_to else ""


def read_report(uow: Units, folder: RollupFolder, query: ReportQuery) -> ReportAnswer:
    folder.before_read()
    with uow() as unit:
        data = run(unit.session, query)
        fresh = rolled_up_to(unit.session)
    return ReportAnswer(data, as_utc(fresh) if fresh else None)


def recommendations(
    uow: Units, folder: RollupFolder, clock: Clock, principal: Principal, advertiser_id: str
) -> tuple[Advertiser, list[Recommendation]]:
    """What to change in an ad account, and why, highest expected impact first and the cards it
    dismissed last (flagged): its access checked first, then the rollups folded where no thread
    keeps them current."""
    with uow() as unit:
        authorize_advertiser(unit.session, principal, advertiser_id)
    folder.before_read()
    with uow() as unit:
        advertiser = unit.session.get_one(Advertiser, advertiser_id)
        items = recommend(unit.session, advertiser, clock.now())
        dismissals.mark_dismissed(unit.session, advertiser_id, items)
        return advertiser, items


def minimums() -> dict[str, int]:
    """The least data a rule needs before it makes a card, for the page to state."""
    return {"impressions": LENGTH_MIN_IMPRESSIONS, "views": BETTER_POST_MIN_VIEWS,
            "viewers": MIN_AGGREGATE}  # fmt: skip


@dataclass(frozen=True)
class Card:
    """One recommendation named as the web and the API name it: its object and kind."""

    object_id: str
    kind: str


def dismiss_recommendation(
    uow: Units, folder: RollupFolder, clock: Clock, principal: Principal, advertiser_id: str,
    card: Card,
) -> None:  # fmt: skip
    """Dismiss a card as it reads now (audited); refused when the account has no such card."""
    _, items = recommendations(uow, folder, clock, principal, advertiser_id)
    item = next((i for i in items if (i.object_id, i.kind) == (card.object_id, card.kind)), None)
    if item is None:
        raise SparkadsError(
            "invalid_parameter",
            field="kind",
            detail=LocalText(N_("this ad account has no such recommendation now")),
        )
    with uow() as unit:
        dismissals.dismiss(unit.session, advertiser_id, item, clock.now())
        unit.commit()


def undo_dismissal(uow: Units, principal: Principal, advertiser_id: str, card: Card) -> None:
    """Show a dismissed card again (audited); refused when it was not dismissed."""
    with uow() as unit:
        authorize_advertiser(unit.session, principal, advertiser_id)
        if not dismissals.undo(unit.session, advertiser_id, card.object_id, card.kind):
            raise SparkadsError(
                "invalid_parameter",
                field="kind",
                detail=LocalText(N_("this recommendation is not dismissed")),
            )
        unit.commit()


def library_scores(uow: Units, principal: Principal, advertiser_id: str) -> list[dict[str, object]]:
    """The ad account's authorized posts ranked by expected performance."""
    with uow() as unit:
        advertiser = authorize_advertiser(unit.session, principal, advertiser_id)
        return score_library(unit.session, advertiser)


def sponsorship_results(
    uow: Units, folder: RollupFolder, clock: Clock, *, creator_id: str, days: int | None
) -> CreatorResults:
    """A creator's posts authorized for ads, the brands using each, and what their ads brought
    over the last `days` days of each brand (None: since the start), by brand and in total; the
    rollups folded first where no thread keeps them current."""
    folder.before_read()
    with uow() as unit:
        get_creator(unit.session, creator_id)
        return creator_results(unit.session, creator_id, clock.now(), Period(days))


def fold_rollups(uow: Units, clock: Clock, *, rebuild: bool = False) -> int:
    """Fold the events not read yet into the hourly and daily rollups (`rebuild`: throw them away
    and fold every event again), committed; how many events were read."""
    with uow() as unit:
        read = (rollups.rebuild if rebuild else rollups.refresh)(unit.session, clock)
        unit.commit()
    return read


def maintain_event_partitions(uow: Units, clock: Clock, retention_days: int | None) -> Maintenance:
    """PostgreSQL: the events' day partitions for the week ahead made, those past the retention
    folded into the rollups and dropped (`events.partitions.maintain`); SQLite: nothing."""
    with uow() as unit:
        return partitions.maintain(unit.session, clock, retention_days, rollups.refresh)
