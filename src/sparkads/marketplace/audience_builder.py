"""Building audience members from what sparkads knows about viewers: customer files matched by
hashed identifier, engagement rules over events, lookalikes over the features of the viewers seen
in the traffic (profiles). Members are viewer keys.

It sits above `sparkads.audiences` because it reads profiles and events (higher layers); the
audiences it builds are stored there. Each audience keeps its definition, so
`refresh_audience` rebuilds it as data grows (new viewers in events, new engagement, a changed
seed), and lookalikes built on it follow."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.audiences import lookalike as similar
from sparkads.audiences.commands import EngagementRules, Lookalike, LookalikeAudience, RuleAudience
from sparkads.audiences.hashing import split_digests
from sparkads.audiences.models import Audience, AudienceKind
from sparkads.audiences.rules import EventQuery, compile_rule
from sparkads.audiences.service import (
    create_audience,
    dependants,
    get_audiences,
    load_files,
    member_ids,
    remove_audience,
    replace_members,
)
from sparkads.campaigns.models import AdGroup
from sparkads.clock import Clock
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.marketplace import viewers
from sparkads.posts.models import Post
from sparkads.traffic.columns import ViewerColumns


@dataclass(frozen=True)
class FileAudience:
    """A customer file audience to create: the viewers whose hashed identifier is in the files."""

    name: str
    file_paths: Sequence[str]
    calculate_type: str  # the identifiers' kind, as the files were uploaded with
    sub_type: str = "NORMAL"
    retention_in_days: int | None = None


def create_file_audience(
    session: Session, clock: Clock, advertiser: Advertiser, command: FileAudience
) -> Audience:
    """dmp/custom_audience/create/: the viewers whose hashed identifier is in the files."""
    definition = {"file_paths": list(dict.fromkeys(command.file_paths))}
    members, submitted = _file_members(
        session, advertiser.advertiser_id, definition["file_paths"], command.calculate_type
    )
    audience = create_audience(
        session,
        clock,
        advertiser_id=advertiser.advertiser_id,
        name=command.name,
        audience_type=AudienceKind.CUSTOMER_FILE.value,
        retention_in_days=command.retention_in_days,
        audience_sub_type=command.sub_type,
        calculate_type=command.calculate_type,
        submitted=submitted,
        definition=definition,
    )
    replace_members(session, clock, audience, members)
    return audience


def _file_members(
    session: Session,
    advertiser_id: str,
    file_paths: Sequence[str],
    calculate_type: str,
    removed_paths: Sequence[str] = (),
) -> tuple[set[str], int]:
    """Viewers matched by the files' identifiers, less those of the removed files."""

    def digests(paths: Sequence[str]) -> set[bytes]:
        files = load_files(
            session, advertiser_id=advertiser_id, file_paths=paths, calculate_type=calculate_type
        )
        return {d for f in files for d in split_digests(f.digests)}

    kept = digests(file_paths) - (digests(removed_paths) if removed_paths else set())
    return viewers.match_digests(session, kept), len(kept)


def update_audience(
    session: Session,
    clock: Clock,
    audience: Audience,
    *,
    name: str | None,
    action: str | None,
    file_paths: Sequence[str],
) -> list[Audience]:
    """dmp/custom_audience/update/: rename, and for customer file audiences APPEND the files'
    identifiers, DELETE them (they stay out until a later APPEND or REPLACE names the file
    again) or REPLACE every file. Members are rebuilt, then the lookalikes built on them.
    `action` without `file_paths` changes nothing."""
    if name is not None:
        audience.name = name
    if not file_paths:  # an action alone changes nothing (the official SDK sends REPLACE)
        session.flush()
        return [audience]
    if audience.audience_type != AudienceKind.CUSTOMER_FILE.value:
        raise SparkadsError(
            "invalid_parameter",
            field="file_paths",
            detail=LocalText(
                N_(
                    "only customer file audiences are made of files; "
                    "rule and lookalike audiences follow their definition (dmp/custom_audience/refresh/)"
                )
            ),
        )
    if action is None:
        raise SparkadsError(
            "invalid_parameter",
            field="action",
            detail=LocalText(N_("APPEND, DELETE or REPLACE with file_paths")),
        )
    new = list(dict.fromkeys(file_paths))
    load_files(  # every path must exist, uploaded with the audience's calculate_type
        session,
        advertiser_id=audience.advertiser_id,
        file_paths=new,
        calculate_type=audience.calculate_type or "",
    )
    definition = audience.definition or {}
    paths = list(definition.get("file_paths", []))
    removed = list(definition.get("removed_file_paths", []))
    if action == "APPEND":
        paths = list(dict.fromkeys([*paths, *new]))
        removed = [p for p in removed if p not in new]
    elif action == "REPLACE":
        paths, removed = new, []
    else:  # DELETE
        removed = list(dict.fromkeys([*removed, *new]))
    audience.definition = {"file_paths": paths, "removed_file_paths": removed}
    return refresh_audience(session, clock, audience)


def delete_audiences(session: Session, advertiser: Advertiser, audience_ids: Sequence[str]) -> None:
    """dmp/custom_audience/delete/: gone with their members. An audience that a live ad group
    targets or excludes, or that a lookalike not deleted with it is built on, stays."""
    rows = get_audiences(
        session,
        advertiser_id=advertiser.advertiser_id,
        audience_ids=list(dict.fromkeys(audience_ids)),
        field="custom_audience_ids",
    )
    doomed = {row.audience_id for row in rows}
    live_groups = session.scalars(
        select(AdGroup).where(
            AdGroup.advertiser_id == advertiser.advertiser_id, AdGroup.operation_status != "DELETE"
        )
    )
    for group in live_groups:
        spec = group.targeting or {}
        used = doomed & {*spec.get("audience_ids", []), *spec.get("excluded_audience_ids", [])}
        if used:
            raise SparkadsError(
                "audience_in_use", audience_id=sorted(used)[0], by=f"ad group {group.adgroup_id}"
            )
    for row in rows:
        for lookalike in dependants(session, row):
            if lookalike.audience_id not in doomed:
                raise SparkadsError(
                    "audience_in_use",
                    audience_id=row.audience_id,
                    by=f"lookalike audience {lookalike.audience_id}",
                )
    for row in rows:
        remove_audience(session, row)


def create_rule_audience(
    session: Session, clock: Clock, advertiser: Advertiser, body: RuleAudience
) -> Audience:
    """dmp/custom_audience/rule/create/: viewers who engaged with this advertiser's ads."""
    include, exclude = compile_rule(body.rules)
    _check_sources(session, advertiser.advertiser_id, [*include, *exclude])
    audience = create_audience(
        session,
        clock,
        advertiser_id=advertiser.advertiser_id,
        name=body.name,
        audience_type=AudienceKind.ENGAGEMENT.value,
        retention_in_days=body.retention_in_days,
        audience_sub_type=body.sub_type,
        auto_refresh=body.auto_refresh,
        definition=dict(body.definition),
    )
    replace_members(session, clock, audience, _rule_members(session, clock, audience))
    return audience


def _check_sources(session: Session, advertiser_id: str, queries: Sequence[EventQuery]) -> None:
    groups = {g for q in queries for g in q.adgroup_ids}
    items = {i for q in queries for i in q.item_ids}
    known_groups = set(
        session.scalars(
            select(AdGroup.adgroup_id).where(
                AdGroup.advertiser_id == advertiser_id, AdGroup.adgroup_id.in_(groups)
            )
        )
    )
    known_items = set(session.scalars(select(Post.item_id).where(Post.item_id.in_(items))))
    unknown = sorted((groups - known_groups) | (items - known_items))
    if unknown:
        raise SparkadsError(
            "engagement_rule_invalid",
            detail=LocalText(
                N_("unknown event_source_ids for this ad account: {ids}"),
                {"ids": ", ".join(unknown)},
            ),
        )


def _rule_members(session: Session, clock: Clock, audience: Audience) -> set[str]:
    include, exclude = compile_rule(EngagementRules.of_stored(audience.definition or {}))
    now, advertiser_id = clock.now(), audience.advertiser_id

    def union(queries: list[EventQuery]) -> set[str]:
        found: set[str] = set()
        for query in queries:
            found |= viewers.engaged_viewers(
                session, advertiser_id=advertiser_id, query=query, now=now
            )
        return found

    return union(include) - union(exclude)


def create_lookalike(
    session: Session, clock: Clock, advertiser: Advertiser, body: LookalikeAudience
) -> Audience:
    """dmp/custom_audience/lookalike/create/: the viewers most like the source audience."""
    spec = body.spec
    [source] = get_audiences(
        session,
        advertiser_id=advertiser.advertiser_id,
        audience_ids=[spec.source_audience_id],
        field="lookalike_spec.source_audience_id",
    )
    if source.audience_type == AudienceKind.LOOKALIKE.value:
        raise SparkadsError("lookalike_source_not_allowed", audience_id=source.audience_id)
    members = _lookalike_members(session, source, spec)
    audience = create_audience(
        session,
        clock,
        advertiser_id=advertiser.advertiser_id,
        name=body.name,
        audience_type=AudienceKind.LOOKALIKE.value,
        audience_sub_type=body.sub_type,
        source_audience_id=source.audience_id,
        auto_refresh=True,
        definition=spec.stored(),
    )
    replace_members(session, clock, audience, members)
    return audience


def _lookalike_members(session: Session, source: Audience, spec: Lookalike) -> set[str]:
    seed_ids = member_ids(session, source.audience_id)
    people = viewers.known(session)
    seed = people.rows(set(seed_ids))
    if seed.size < similar.MIN_SEED:
        raise SparkadsError(
            "lookalike_seed_too_small",
            audience_id=source.audience_id,
            size=int(seed.size),
            minimum=similar.MIN_SEED,
        )
    columns = people.columns
    candidates = viewers.location_mask(columns, spec.location_ids)
    candidates &= viewers.os_mask(columns, spec.mobile_os)
    if not candidates.any():
        raise SparkadsError(
            "invalid_parameter",
            field="lookalike_spec.location_ids",
            detail=LocalText(
                N_("no viewer seen in the traffic lives there; viewers seen live in {places}"),
                {"places": ", ".join(_home(columns))},
            )
            if people.size
            else LocalText(N_("no viewer seen in the traffic lives there")),
        )
    share = similar.share_of(
        spec.audience_size, spec.audience_share / 100 if spec.audience_share else None
    )
    chosen = similar.lookalike(viewers.columns_features(columns), seed, candidates, share)
    members = {people.keys[int(i)] for i in chosen}
    return members | set(seed_ids) if spec.include_source else members


def _home(columns: ViewerColumns) -> list[str]:
    return sorted({columns.countries[int(c)] for c in set(columns.country.tolist()) if c >= 0})


def refresh_audience(session: Session, clock: Clock, audience: Audience) -> list[Audience]:
    """Rebuild an audience from its definition, then the lookalikes built on it. Audiences made
    without a definition (fixtures, imports) are left as they are."""
    definition = audience.definition
    if not definition:
        return []
    if audience.audience_type == AudienceKind.CUSTOMER_FILE.value:
        members, audience.submitted = _file_members(
            session,
            audience.advertiser_id,
            definition["file_paths"],
            audience.calculate_type or "",
            definition.get("removed_file_paths", ()),
        )
    elif audience.audience_type == AudienceKind.ENGAGEMENT.value:
        members = _rule_members(session, clock, audience)
    else:
        source = session.get_one(Audience, audience.source_audience_id)
        members = _lookalike_members(session, source, Lookalike.of_stored(definition))
    replace_members(session, clock, audience, members)
    refreshed = [audience]
    for lookalike in dependants(session, audience):
        refreshed += refresh_audience(session, clock, lookalike)
    return refreshed
