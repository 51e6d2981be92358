"""The states of a Spark code and the checks it must pass before an advertiser can use it: pure
functions of the rows, which every surface may read (no session, nothing written)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sparkads.authorizations.models import SparkCode
from sparkads.clock import as_utc, format_rfc3339
from sparkads.errors import SparkadsError
from sparkads.posts.models import Post
from sparkads.posts.rules import facts, spark_blocker

DURATIONS = (7, 30, 60, 365)


class CodeState(StrEnum):
    """TikTok's ad_auth_status values for a code."""

    AUTHORIZED = "AUTHORIZED"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"


def code_state(spark_code: SparkCode, now: datetime) -> CodeState:
    if spark_code.revoked_at is not None:
        return CodeState.REVOKED
    if now >= as_utc(spark_code.ends_at):
        return CodeState.EXPIRED
    return CodeState.AUTHORIZED


def check_usable(spark_code: SparkCode, post: Post, now: datetime) -> None:
    """Raise the first reason this code cannot put its post in a library right now (R12, R15)."""
    state = code_state(spark_code, now)
    if state is CodeState.REVOKED:
        assert spark_code.revoked_at is not None
        raise SparkadsError("auth_code_revoked", revoked_at=format_rfc3339(spark_code.revoked_at))
    if state is CodeState.EXPIRED:
        raise SparkadsError(
            "auth_code_expired",
            duration_days=spark_code.duration_days,
            ended_at=format_rfc3339(spark_code.ends_at),
        )
    blocker = spark_blocker(facts(post))
    if blocker is not None:
        raise SparkadsError(blocker[0], **blocker[1])
