"""Audience services: the catalogue of an advertiser's audiences (created and removed here, read
in `audiences.queries`), uploaded identifier files, and members. Building members (matching
files, rules over events, lookalikes over the population) needs data from higher layers and lives
in `sparkads.marketplace.audience_builder`; it ends here, in `replace_members`. Functions take a
session, may flush, never commit."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from datetime import timedelta

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from sparkads.audiences.hashing import MD5_TYPES, HashFileError, parse_hash_file
from sparkads.audiences.models import Audience, AudienceFile, AudienceMember

# re-exported: the domain modules that read audiences here (campaigns.adgroups, marketplace)
from sparkads.audiences.queries import dependants as dependants
from sparkads.audiences.queries import find_audiences as find_audiences
from sparkads.audiences.queries import get_audiences as get_audiences
from sparkads.audiences.queries import list_audiences as list_audiences
from sparkads.audiences.queries import member_ids as member_ids
from sparkads.clock import Clock
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.ids import new_id

MAX_FILE_BYTES = 100 * 1024 * 1024


def create_audience(
    session: Session,
    clock: Clock,
    *,
    advertiser_id: str,
    name: str,
    audience_type: str,
    size: int = 0,
    retention_in_days: int | None = None,
    **fields: object,
) -> Audience:
    now = clock.now()
    audience = Audience(
        audience_id=new_id(),
        advertiser_id=advertiser_id,
        name=name,
        audience_type=audience_type,
        size=size,
        created_at=now,
        expires_at=now + timedelta(days=retention_in_days) if retention_in_days else None,
        **fields,
    )
    session.add(audience)
    session.flush()
    return audience


def check_calculate_type(calculate_type: str) -> None:
    if calculate_type in MD5_TYPES:
        raise SparkadsError("calculate_type_not_supported", calculate_type=calculate_type)


def store_file(
    session: Session,
    clock: Clock,
    *,
    advertiser_id: str,
    content: bytes,
    signature: str,
    calculate_type: str,
    file_name: str,
) -> AudienceFile:
    """dmp/custom_audience/file/upload/: check the MD5 signature, keep the distinct digests."""
    check_calculate_type(calculate_type)
    if len(content) > MAX_FILE_BYTES:
        raise SparkadsError("audience_file_invalid", detail=LocalText(N_("larger than 100 MB")))
    digest = hashlib.md5(content, usedforsecurity=False).hexdigest()
    if signature.strip().lower() != digest:
        raise SparkadsError(
            "invalid_parameter",
            field="file_signature",
            detail=LocalText(N_("does not match the MD5 of the file")),
        )
    try:
        parsed = parse_hash_file(content)
    except HashFileError as exc:
        raise SparkadsError("audience_file_invalid", detail=exc.text) from None
    row = AudienceFile(
        file_path=f"dmp/{new_id()}.txt",
        advertiser_id=advertiser_id,
        calculate_type=calculate_type,
        file_name=file_name[:255],
        signature=digest,
        size_bytes=len(content),
        hash_count=parsed.count,
        rejected_lines=parsed.rejected_lines,
        digests=parsed.digests,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    return row


def load_files(
    session: Session, *, advertiser_id: str, file_paths: Sequence[str], calculate_type: str
) -> list[AudienceFile]:
    check_calculate_type(calculate_type)
    wanted = list(dict.fromkeys(file_paths))
    rows = {
        row.file_path: row
        for row in session.scalars(
            select(AudienceFile).where(
                AudienceFile.advertiser_id == advertiser_id, AudienceFile.file_path.in_(wanted)
            )
        )
    }
    missing = [path for path in wanted if path not in rows]
    if missing:
        raise SparkadsError("audience_file_not_found", file_paths=", ".join(missing))
    mismatched = [p for p in wanted if rows[p].calculate_type != calculate_type]
    if mismatched:
        raise SparkadsError(
            "invalid_parameter",
            field="calculate_type",
            detail=LocalText(
                N_("{files} was uploaded as {calculate_type}"),
                {
                    "files": ", ".join(mismatched),
                    "calculate_type": rows[mismatched[0]].calculate_type,
                },
            ),
        )
    return [rows[path] for path in wanted]


def replace_members(
    session: Session, clock: Clock, audience: Audience, viewer_ids: Collection[str]
) -> None:
    """The audience's members become exactly these viewers; its size follows (privacy floor)."""
    session.execute(
        delete(AudienceMember).where(AudienceMember.audience_id == audience.audience_id)
    )
    if viewer_ids:
        session.execute(
            insert(AudienceMember),
            [{"audience_id": audience.audience_id, "viewer_id": v} for v in viewer_ids],
        )
    audience.size = len(viewer_ids)
    audience.revision += 1
    audience.refreshed_at = clock.now()
    session.flush()


def remove_audience(session: Session, audience: Audience) -> None:
    """Delete an audience and its members (checks of who uses it are the caller's)."""
    session.execute(
        delete(AudienceMember).where(AudienceMember.audience_id == audience.audience_id)
    )
    session.delete(audience)
    session.flush()
