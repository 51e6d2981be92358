"""Why an ad group was or was not served, declared once.

`NotServed` is what a request counts for each candidate ad group (the counters' reasons, the
delivery page's rows); `Excluded` is why the compiler left an ad group out of the snapshot. Both
are `StrEnum`s: a member is its wire string (`NotServed.OUTBID == "outbid"`), so counters, Redis
keys, JSON and templates see the same strings as before."""

from __future__ import annotations

from enum import StrEnum


class NotServed(StrEnum):
    """One reason per candidate ad group and request (`served` included, so shares add up)."""

    SERVED = "served"
    OUTBID = "outbid"
    BELOW_RESERVE = "below_reserve"
    PACING = "pacing"
    BUDGET = "budget"
    CAP = "cap"
    SCHEDULE = "schedule"
    AUTHORIZATION_EXPIRED = "authorization_expired"
    TARGETING = "targeting"
    # the viewer is a minor in the EEA, the UK or Switzerland and the targeting profiles
    # (campaigns/minors.py): matched otherwise, but not shown
    MINOR_PROFILING = "minor_profiling"


class Excluded(StrEnum):
    """Why the compiler left an ad group out of the snapshot."""

    SCHEDULE = "schedule"
    AUTHORIZATION_EXPIRED = "authorization_expired"
    AUTHORIZATION_REVOKED = "authorization_revoked"
    AUTHORIZATION_LOST = "authorization_lost"
    POST_UNAVAILABLE = "post_unavailable"
    IN_REVIEW = "in_review"
    REVIEW_REJECTED = "review_rejected"
    NO_ADS = "no_ads"
