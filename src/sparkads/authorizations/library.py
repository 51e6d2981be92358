"""Advertiser side of Spark authorization (R10): apply a creator's code to put the post in the
creative library, and unbind it. Reading the library is in `authorizations.library_queries`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.authorizations.code_states import check_usable
from sparkads.authorizations.library_queries import bound_items
from sparkads.authorizations.models import Identity, IdentityType, LibraryItem, SparkCode
from sparkads.authorizations.new_identities import get_or_create_identity
from sparkads.authorizations.spark_codes import post_of, resolve_code
from sparkads.authorizations.throttle import FailureThrottle
from sparkads.clock import Clock
from sparkads.errors import SparkadsError
from sparkads.posts.models import PostFormat

# Failures that look like guessing count towards the throttle; a real code that expired does not.
_GUESS_ERRORS = {"auth_code_format_error", "auth_code_not_found"}
_NEEDS_ORIGINAL = {PostFormat.DUET.value, PostFormat.STITCH.value}
ORIGINAL_CODE = "original_post_auth_code"  # its wire name; the library page shows its label


def apply_code(
    session: Session,
    clock: Clock,
    throttle: FailureThrottle,
    *,
    advertiser: Advertiser,
    auth_code: str,
    original_post_auth_code: str | None = None,
) -> LibraryItem:
    """tt_video/authorize: validate the code (and the original post's, for duets and stitches),
    then bind the post to the advertiser under an AUTH_CODE identity for its creator."""
    key, now = advertiser.advertiser_id, clock.now()
    retry_after = throttle.retry_after(key, now)
    if retry_after:
        raise SparkadsError(
            "too_many_failed_attempts",
            retry_after=retry_after,
            failures=throttle.max_failures,
            window=int(throttle.window.total_seconds()),
        )
    try:
        spark_code, original = _validate(session, now, auth_code, original_post_auth_code)
    except SparkadsError as exc:
        if exc.code in _GUESS_ERRORS:
            throttle.fail(key, now)
        raise
    identity = get_or_create_identity(
        session,
        clock,
        identity_type=IdentityType.AUTH_CODE,
        creator_id=spark_code.creator_id,
        advertiser_id=advertiser.advertiser_id,
    )
    return _bind(session, clock, advertiser, spark_code, original, identity)


def _validate(
    session: Session, now: datetime, auth_code: str, original_code: str | None
) -> tuple[SparkCode, SparkCode | None]:
    spark_code = resolve_code(session, auth_code)
    post = post_of(session, spark_code)
    check_usable(spark_code, post, now)
    if post.format not in _NEEDS_ORIGINAL:
        if original_code:
            raise SparkadsError(
                "original_post_auth_not_needed", field=ORIGINAL_CODE, format=post.format.lower()
            )
        return spark_code, None
    if not original_code:
        raise SparkadsError(
            "original_post_auth_required", field=ORIGINAL_CODE, format=post.format.lower()
        )
    original = resolve_code(session, original_code)
    if original.item_id != post.original_item_id:
        raise SparkadsError(
            "original_post_mismatch",
            field=ORIGINAL_CODE,
            format=post.format.lower(),
            given_item_id=original.item_id,
            expected_item_id=post.original_item_id,
        )
    check_usable(original, post_of(session, original), now)
    return spark_code, original


def _bind(
    session: Session,
    clock: Clock,
    advertiser: Advertiser,
    spark_code: SparkCode,
    original: SparkCode | None,
    identity: Identity,
) -> LibraryItem:
    item = session.scalar(
        select(LibraryItem).where(
            LibraryItem.advertiser_id == advertiser.advertiser_id,
            LibraryItem.item_id == spark_code.item_id,
        )
    )
    if item is None:
        item = LibraryItem(
            advertiser_id=advertiser.advertiser_id,
            item_id=spark_code.item_id,
            authorization_id=spark_code.authorization_id,
            identity_id=identity.identity_id,
            bound_at=clock.now(),
        )
        session.add(item)
    # Applying a newer code for the same post renews the binding (and revives its ads).
    item.authorization_id = spark_code.authorization_id
    item.original_authorization_id = original.authorization_id if original else None
    item.identity_id = identity.identity_id
    item.unbound_at = None
    session.flush()
    return item


def unbind(session: Session, clock: Clock, *, advertiser: Advertiser, item_id: str) -> None:
    item = session.scalar(bound_items(advertiser).where(LibraryItem.item_id == str(item_id)))
    if item is None:
        raise SparkadsError("post_not_found", item_id=item_id)
    item.unbound_at = clock.now()
    session.flush()
