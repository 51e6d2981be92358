"""When an audience expires (its `retention_in_days` ran out) or is about to: pure functions of the
row, read by every surface that shows audiences."""

from __future__ import annotations

from datetime import datetime, timedelta

from sparkads.audiences.models import Audience
from sparkads.clock import as_utc

EXPIRING_WITHIN = timedelta(days=60)  # TikTok flags is_expiring 60 days ahead


def is_expired(audience: Audience, now: datetime) -> bool:
    return audience.expires_at is not None and as_utc(audience.expires_at) <= now


def is_expiring(audience: Audience, now: datetime) -> bool:
    return audience.expires_at is not None and as_utc(audience.expires_at) - now <= EXPIRING_WITHIN
