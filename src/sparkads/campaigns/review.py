"""Ad review (issue 20): every new or edited ad is checked against the policy rules, then approved
by the rules (when auto-approval is on), or waits for a reviewer who approves or rejects it with
reason codes. Only an APPROVED ad is compiled into the delivery snapshot; the change feed records
the ad's row when its review changes, so a decision is live within the snapshot's refresh."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.campaigns import policy
from sparkads.campaigns.enums import OperationStatus
from sparkads.campaigns.enums import ReviewStatus as ReviewStatus  # compile.py reads it here
from sparkads.campaigns.models import Ad, AdGroup
from sparkads.clock import Clock, format_tiktok_time
from sparkads.errors import SparkadsError
from sparkads.posts.models import Post

# What a reviewer may give as the reason of a rejection (catalogue codes, EN and FR).
REVIEWER_REASONS = (
    "review_misleading",
    "review_inappropriate",
    "review_intellectual_property",
    "review_low_quality",
    "review_prohibited_word",
    "review_prohibited_category",
)
AUTOMATED = "policy rules"


def facts(ad: Ad, post: Post, adgroup: AdGroup) -> policy.AdFacts:
    ages = adgroup.targeting.get("age_groups") or ()
    return policy.AdFacts(
        caption=post.caption,
        duration=post.duration,
        post_format=post.format,
        landing_page_url=ad.landing_page_url,
        age_groups=tuple(str(a).strip() for a in ages),
    )


def submit(
    session: Session,
    clock: Clock,
    ad: Ad,
    post: Post,
    adgroup: AdGroup,
    *,
    auto_approve: bool,
    edited: bool,
) -> None:
    """Send a new (or edited) ad through review: a broken rule rejects it with its reasons; else
    it is approved by the rules when auto-approval is on, or waits for a reviewer."""
    if edited:
        ad.review_round += 1
    findings = policy.check(policy.load(session), facts(ad, post, adgroup))
    now = clock.now()
    if findings:
        ad.review_status = ReviewStatus.REJECTED
        ad.review_reasons = [f.as_json() for f in findings]
        ad.reviewed_at, ad.reviewed_by = now, AUTOMATED
    elif auto_approve:
        ad.review_status = ReviewStatus.APPROVED
        ad.review_reasons = []
        ad.reviewed_at, ad.reviewed_by = now, AUTOMATED
    else:
        ad.review_status = ReviewStatus.IN_REVIEW
        ad.review_reasons = []
        ad.reviewed_at, ad.reviewed_by = None, ""


def need_audit(ads: Sequence[Ad]) -> bool:
    """TikTok's `need_audit` on ad/create: whether any created ad still waits for a person."""
    return any(ad.review_status == ReviewStatus.IN_REVIEW for ad in ads)


def _pending(session: Session, ad_id: str) -> Ad:
    ad = session.get(Ad, str(ad_id))
    if ad is None:
        raise SparkadsError("object_not_found", object_type="ad", object_id=ad_id)
    if ad.review_status != ReviewStatus.IN_REVIEW or ad.operation_status == OperationStatus.DELETE:
        raise SparkadsError("ad_not_in_review", ad_id=ad.ad_id)
    return ad


def approve(session: Session, clock: Clock, ad_id: str, *, reviewer: str) -> Ad:
    ad = _pending(session, ad_id)
    ad.review_status = ReviewStatus.APPROVED
    ad.review_reasons = []
    ad.reviewed_at, ad.reviewed_by = clock.now(), reviewer[:100]
    session.flush()
    return ad


def reject(
    session: Session,
    clock: Clock,
    ad_id: str,
    *,
    reviewer: str,
    reasons: Sequence[str],
    note: str = "",
) -> Ad:
    codes = list(dict.fromkeys(r for r in reasons if r))
    if not codes or any(code not in REVIEWER_REASONS for code in codes):
        raise SparkadsError("review_reason_required", known=", ".join(REVIEWER_REASONS))
    ad = _pending(session, ad_id)
    cleaned = " ".join(note.split())[:300]
    ad.review_status = ReviewStatus.REJECTED
    shown = cleaned or "—"
    ad.review_reasons = [
        {"code": code, "params": {"note": cleaned, "word": shown, "category": shown}}
        for code in codes
    ]
    ad.reviewed_at, ad.reviewed_by = clock.now(), reviewer[:100]
    session.flush()
    return ad


def queue(session: Session, limit: int = 200) -> Sequence[Ad]:
    """Ads waiting for a reviewer, oldest first."""
    return session.scalars(
        select(Ad)
        .where(
            Ad.review_status == ReviewStatus.IN_REVIEW,
            Ad.operation_status != OperationStatus.DELETE,
        )
        .order_by(Ad.modify_time, Ad.ad_id)
        .limit(limit)
    ).all()


def reasons(ad: Ad) -> list[SparkadsError]:
    """The ad's rejection reasons as catalogue entries, to render in any language."""
    return [SparkadsError(r["code"], **r.get("params", {})) for r in ad.review_reasons]


def rendered_reasons(ad: Ad, lang: str) -> list[dict[str, str]]:
    return [reason.render(lang) for reason in reasons(ad)]


def secondary(ad: Ad) -> str | None:
    """TikTok's review statuses, or None once approved."""
    if ad.review_status == ReviewStatus.REJECTED:
        return "AD_STATUS_AUDIT_DENY"
    if ad.review_status == ReviewStatus.IN_REVIEW:
        return "AD_STATUS_REAUDIT" if ad.review_round > 1 else "AD_STATUS_AUDIT"
    return None


def review_info(ad: Ad, lang: str) -> dict[str, object]:
    """One ad of ad/review_info/, in TikTok's shape as far as its public clients show it (the
    reference subset does not define it): `is_approved`, `review_status` (ALL_AVAILABLE,
    UNAVAILABLE, or IN_REVIEW while a person has not decided), `reject_info` with each reason's
    text and suggestion; sparkads adds `reason_code` (the catalogue code) and `audit_status`
    (the ad's review secondary status)."""
    status = {
        ReviewStatus.APPROVED: "ALL_AVAILABLE",
        ReviewStatus.REJECTED: "UNAVAILABLE",
        ReviewStatus.IN_REVIEW: "IN_REVIEW",
    }[ad.review_status]
    return {
        "ad_id": ad.ad_id,
        "review_status": status,
        "is_approved": ad.review_status == ReviewStatus.APPROVED,
        "audit_status": secondary(ad) or "AD_STATUS_AUDIT_PASS",
        "review_time": format_tiktok_time(ad.reviewed_at) if ad.reviewed_at else None,
        "reject_info": [
            {
                "reason_code": r["code"],
                "reasons": [r["message"], r["cause"]],
                "suggestion": r["solution"],
            }
            for r in rendered_reasons(ad, lang)
        ],
    }
