"""Creator side of Spark authorization (R9): enable ad authorization on a post for 7, 30, 60 or 365
days, list and revoke codes; and the checks a code must pass before an advertiser can use it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.authorizations import codes

# re-exported for the domain modules that read them here (campaigns.ads, reporting, marketplace)
from sparkads.authorizations.code_states import DURATIONS as DURATIONS
from sparkads.authorizations.code_states import CodeState as CodeState
from sparkads.authorizations.code_states import check_usable as check_usable
from sparkads.authorizations.code_states import code_state as code_state
from sparkads.authorizations.models import SparkCode
from sparkads.clock import Clock
from sparkads.errors import SparkadsError
from sparkads.ids import new_id
from sparkads.posts.models import Post, PostStatus
from sparkads.posts.rules import facts, spark_blocker
from sparkads.posts.service import get_own_post, get_post, lock_caption, unavailable


def enable_authorization(
    session: Session, clock: Clock, *, creator_id: str, item_id: str, duration_days: int
) -> tuple[SparkCode, str, list[SparkadsError]]:
    """Issue a code bound to one post. Returns the row, the code (shown once) and warnings: reasons
    an advertiser will be refused (private post, unsupported format) that the creator can still fix
    or should know about."""
    if duration_days not in DURATIONS:
        raise SparkadsError("invalid_authorization_duration", duration_days=duration_days)
    post = get_own_post(session, creator_id=creator_id, item_id=item_id)
    if post.status != PostStatus.ACTIVE:
        raise unavailable(post)
    blocker = spark_blocker(facts(post))
    warnings = [SparkadsError(blocker[0], **blocker[1])] if blocker else []
    code = codes.generate()
    now = clock.now()
    row = SparkCode(
        authorization_id=new_id(),
        code_digest=codes.digest(code),
        code_hint=codes.hint(code),
        item_id=post.item_id,
        creator_id=creator_id,
        duration_days=duration_days,
        starts_at=now,
        ends_at=now + timedelta(days=duration_days),
        created_at=now,
    )
    session.add(row)
    lock_caption(session, clock, post, because=f"authorization {row.authorization_id}")
    session.flush()
    return row, code, warnings


def list_authorizations(
    session: Session, *, creator_id: str, item_id: str | None = None
) -> Sequence[SparkCode]:
    query = select(SparkCode).where(SparkCode.creator_id == creator_id)
    if item_id is not None:
        get_own_post(session, creator_id=creator_id, item_id=item_id)
        query = query.where(SparkCode.item_id == item_id)
    return session.scalars(query.order_by(SparkCode.created_at.desc())).all()


def find_code(session: Session, code: str) -> SparkCode | None:
    return session.scalar(select(SparkCode).where(SparkCode.code_digest == codes.digest(code)))


def revoke_authorization(session: Session, clock: Clock, *, creator_id: str, ref: str) -> SparkCode:
    """Revoke by the code itself or by its authorization id; ads using it stop at once."""
    row: SparkCode | None
    try:
        row = find_code(session, codes.parse(ref))
    except codes.CodeFormatError:
        row = session.get(SparkCode, ref)
    if row is None or row.creator_id != creator_id:
        raise SparkadsError(
            "authorization_not_found", ref=codes.hint(ref) if len(ref) > 12 else ref
        )
    if row.revoked_at is None:
        row.revoked_at = clock.now()
        session.flush()
    return row


def resolve_code(session: Session, raw: str) -> SparkCode:
    """The code's row, or the error a user pasting it should see (format before lookup)."""
    try:
        code = codes.parse(raw)
    except codes.CodeFormatError as exc:
        raise SparkadsError("auth_code_format_error", detail=exc.text) from None
    row = find_code(session, code)
    if row is None:
        raise SparkadsError("auth_code_not_found")
    return row


def post_of(session: Session, spark_code: SparkCode) -> Post:
    return get_post(session, spark_code.item_id)
