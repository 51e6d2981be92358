"""Custom audiences, for the open API (dmp/custom_audience/*) and the CLI (demo, `jobs
audiences`): upload a customer file, create file, engagement-rule and lookalike audiences, list and
read them, update, refresh and delete. Each use case opens its unit of work, checks the ad account,
calls `audiences` and `marketplace.audience_builder`, and commits writes.

Builds read the traffic (profiles, events), so the open API passes `AppContext.traffic_uow`, a
factory whose units first write the traffic intake's buffer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from sparkads.accounts.service import Principal, authorize_advertiser
from sparkads.audiences import service as audiences
from sparkads.audiences.commands import LookalikeAudience, RuleAudience
from sparkads.audiences.models import Audience, AudienceFile
from sparkads.clock import Clock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.marketplace import audience_builder as builder
from sparkads.marketplace.audience_builder import FileAudience
from sparkads.services.units import Units

__all__ = [
    "AudienceChange",
    "Definition",
    "FileAudience",
    "FileUpload",
    "create",
    "delete",
    "listed",
    "refresh",
    "refresh_due",
    "update",
    "upload_file",
]


@dataclass(frozen=True)
class FileUpload:
    content: bytes
    signature: str  # MD5 of the content, as the client computed it
    calculate_type: str
    file_name: str


@dataclass(frozen=True)
class AudienceChange:
    audience_id: str
    name: str | None
    action: str | None  # APPEND, DELETE or REPLACE, with file_paths
    file_paths: Sequence[str]


def upload_file(
    uow: Units, clock: Clock, principal: Principal, *, advertiser_id: str, upload: FileUpload
) -> AudienceFile:
    with uow() as unit:
        advertiser = authorize_advertiser(unit.session, principal, advertiser_id)
        row = audiences.store_file(
            unit.session,
            clock,
            advertiser_id=advertiser.advertiser_id,
            content=upload.content,
            signature=upload.signature,
            calculate_type=upload.calculate_type,
            file_name=upload.file_name,
        )
        unit.commit()
        return row


Definition = FileAudience | RuleAudience | LookalikeAudience


def create(
    uow: Units, clock: Clock, principal: Principal, *, advertiser_id: str, definition: Definition
) -> Audience:
    """A customer file audience, an engagement audience (`RuleAudience`: its rule is the stored
    definition it is rebuilt from on refresh) or a lookalike of one of the account's audiences."""
    with uow() as unit:
        advertiser = authorize_advertiser(unit.session, principal, advertiser_id)
        if isinstance(definition, FileAudience):
            row = builder.create_file_audience(unit.session, clock, advertiser, definition)
        elif isinstance(definition, RuleAudience):
            row = builder.create_rule_audience(unit.session, clock, advertiser, definition)
        else:
            row = builder.create_lookalike(unit.session, clock, advertiser, definition)
        unit.commit()
        return row


def listed(
    uow: Units,
    principal: Principal,
    *,
    advertiser_id: str,
    audience_ids: Callable[[], Sequence[str] | None],
    field: str = "custom_audience_ids",
) -> list[Audience]:
    """The ad account's audiences, newest first, or those named (each must be the account's).
    `audience_ids` is read once the ad account is authorized (TikTok's order of errors)."""
    with uow() as unit:
        advertiser = authorize_advertiser(unit.session, principal, advertiser_id)
        wanted = audience_ids()
        if wanted:
            return list(
                audiences.get_audiences(
                    unit.session,
                    advertiser_id=advertiser.advertiser_id,
                    audience_ids=list(wanted),
                    field=field,
                )
            )
        return list(audiences.list_audiences(unit.session, advertiser_id=advertiser.advertiser_id))


def refresh(
    uow: Units,
    clock: Clock,
    principal: Principal,
    *,
    advertiser_id: str,
    audience_ids: Sequence[str] | None,
) -> dict[str, Audience]:
    """Rebuild the audiences named (default: every auto-refresh one) from their definition;
    lookalikes built on them follow. Answers each rebuilt audience once, by id."""
    with uow() as unit:
        advertiser = authorize_advertiser(unit.session, principal, advertiser_id)
        if audience_ids:
            rows = audiences.get_audiences(
                unit.session,
                advertiser_id=advertiser.advertiser_id,
                audience_ids=list(audience_ids),
                field="custom_audience_ids",
            )
        else:
            every = audiences.list_audiences(unit.session, advertiser_id=advertiser.advertiser_id)
            rows = [r for r in every if r.auto_refresh]
        done = _refresh(unit, clock, rows, lambda: None)
        unit.commit()
        return done


def _refresh(
    unit: UnitOfWork, clock: Clock, rows: Sequence[Audience], each: Callable[[], None]
) -> dict[str, Audience]:
    done: dict[str, Audience] = {}
    for row in rows:
        if row.audience_id not in done:
            for refreshed in builder.refresh_audience(unit.session, clock, row):
                done[refreshed.audience_id] = refreshed
        each()
    return done


def refresh_due(
    uow: Units,
    clock: Clock,
    *,
    on_total: Callable[[int], None] = lambda _n: None,
    on_each: Callable[[], None] = lambda: None,
) -> dict[str, Audience]:
    """`sparkads jobs audiences`: every auto-refreshing audience of every ad account (`on_total`
    and `on_each` drive a progress bar)."""
    with uow() as unit:
        due = unit.session.scalars(
            select(Audience).where(Audience.auto_refresh.is_(True)).order_by(Audience.audience_id)
        ).all()
        on_total(len(due))
        done = _refresh(unit, clock, due, on_each)
        unit.commit()
        return done


def update(
    uow: Units, clock: Clock, principal: Principal, *, advertiser_id: str, change: AudienceChange
) -> Audience:
    with uow() as unit:
        advertiser = authorize_advertiser(unit.session, principal, advertiser_id)
        (row,) = audiences.get_audiences(
            unit.session,
            advertiser_id=advertiser.advertiser_id,
            audience_ids=[change.audience_id],
            field="custom_audience_id",
        )
        builder.update_audience(
            unit.session,
            clock,
            row,
            name=change.name,
            action=change.action,
            file_paths=change.file_paths,
        )
        unit.commit()
        return row


def delete(
    uow: Units, principal: Principal, *, advertiser_id: str, audience_ids: Sequence[str]
) -> None:
    """Refused (`audience_in_use`), deleting nothing, when a live ad group or a lookalike not
    deleted with it uses one of them."""
    with uow() as unit:
        advertiser = authorize_advertiser(unit.session, principal, advertiser_id)
        builder.delete_audiences(unit.session, advertiser, audience_ids)
        unit.commit()
