"""The web wizard's drafts: a campaign being built step by step, kept server-side between the
steps so that every step is a POST answered by a redirect to a GET of the next one (a reload or a
language switch re-sends nothing). A draft belongs to the web session that started it (its id is
looked up among that session's only) and to the ad account it was saved for; it holds the form
state and the problem to show on a step (a catalogue error, shown in whichever language the
reader has then). Drafts left for a day are dropped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete

from sparkads.accounts.service import Principal
from sparkads.campaigns.models import CampaignDraft
from sparkads.clock import Clock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.errors import CATALOGUE, SparkadsError
from sparkads.i18n import portable_params, restored_params

State = dict[str, list[str]]
LIFETIME = timedelta(days=1)


@dataclass(frozen=True)
class Draft:
    draft_id: str
    state: State
    problem_step: str | None = None
    problem: SparkadsError | None = None


def _problem(saved: dict[str, object] | None) -> tuple[str | None, SparkadsError | None]:
    if not saved or saved.get("code") not in CATALOGUE:
        return None, None
    params = saved.get("params")
    return str(saved.get("step")), SparkadsError(
        str(saved["code"]), **(restored_params(params) if isinstance(params, dict) else {})
    )


def load(
    uow: Callable[[], UnitOfWork], principal: Principal, *, advertiser_id: str, draft_id: str
) -> Draft | None:
    """The draft, or None when there is none of this web session and ad account (expired,
    launched, or another person's)."""
    with uow() as unit:
        row = unit.session.get(CampaignDraft, (principal.token_id, draft_id))
        if row is None or row.advertiser_id != advertiser_id:
            return None
        step, problem = _problem(row.problem)
        return Draft(row.draft_id, dict(row.state), step, problem)


def save(
    uow: Callable[[], UnitOfWork],
    clock: Clock,
    principal: Principal,
    *,
    advertiser_id: str,
    draft_id: str,
    state: State,
    problem: tuple[str, SparkadsError] | None = None,
) -> None:
    """Keep the draft's state (and the problem to show on a step); drop drafts a day old."""
    now = clock.now()
    saved: dict[str, object] | None = None
    if problem is not None:
        step, error = problem
        # parameters as JSON can hold them (moments become their text; a LocalText stays one,
        # shown in the reader's language when the step is shown again)
        params = portable_params(error.params)
        saved = {"step": step, "code": error.code, "params": params}
    with uow() as unit:
        unit.session.execute(delete(CampaignDraft).where(CampaignDraft.updated_at < now - LIFETIME))
        row = unit.session.get(CampaignDraft, (principal.token_id, draft_id))
        if row is None:
            row = CampaignDraft(owner_token_id=principal.token_id, draft_id=draft_id)
            unit.session.add(row)
        row.advertiser_id, row.state, row.problem, row.updated_at = (
            advertiser_id,
            state,
            saved,
            now,
        )
        unit.commit()


def discard(uow: Callable[[], UnitOfWork], principal: Principal, *, draft_id: str) -> None:
    """Forget a launched draft."""
    with uow() as unit:
        unit.session.execute(
            delete(CampaignDraft).where(
                CampaignDraft.draft_id == draft_id,
                CampaignDraft.owner_token_id == principal.token_id,
            )
        )
        unit.commit()
