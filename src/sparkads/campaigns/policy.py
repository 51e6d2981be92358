"""Content policy rules an operator edits, and the automated check every ad passes before a
reviewer sees it (issue 20). The check is pure: rules and the ad's facts in, findings out, each a
catalogue code with its parameters (shown to the advertiser in EN and FR)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.campaigns.models import PolicyRule
from sparkads.clock import Clock
from sparkads.db.base import added
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.ids import new_id
from sparkads.posts.models import PostFormat


class RuleKind(StrEnum):
    PROHIBITED_WORD = "prohibited_word"  # value: a word or phrase
    PROHIBITED_CATEGORY = "prohibited_category"  # value: "name: word, word"
    AGE_RESTRICTED_CATEGORY = "age_restricted_category"  # value: "name: word, word" (18+ only)
    BLOCKED_DOMAIN = "blocked_domain"  # value: a domain; its subdomains too
    ALLOWED_DOMAIN = "allowed_domain"  # value: a domain; once any exists, only these
    MIN_DURATION = "min_duration"  # value: seconds
    MAX_DURATION = "max_duration"  # value: seconds
    BLOCKED_FORMAT = "blocked_format"  # value: a post format (STANDARD, DUET, STITCH ...)


ADULT_ONLY_MINOR_GROUP = "AGE_13_17"


@dataclass(frozen=True)
class Category:
    name: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Rules:
    """The rules in force, parsed."""

    words: tuple[str, ...] = ()
    prohibited: tuple[Category, ...] = ()
    age_restricted: tuple[Category, ...] = ()
    blocked_domains: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    min_duration: float | None = None
    max_duration: float | None = None
    blocked_formats: tuple[str, ...] = ()


@dataclass(frozen=True)
class AdFacts:
    """What the check looks at: the post's caption, length and format, the landing page, and
    the age groups the ad group reaches (empty: every age)."""

    caption: str
    duration: float | None
    post_format: str
    landing_page_url: str | None
    age_groups: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class Finding:
    code: str
    params: dict[str, object]

    def as_json(self) -> dict[str, object]:
        return {"code": self.code, "params": self.params}


def _kinds() -> str:
    return ", ".join(kind.value for kind in RuleKind)


def _invalid(detail: str, **params: object) -> SparkadsError:
    """A rule refused: `detail` is a catalogue text, shown in the reader's language."""
    return SparkadsError("policy_rule_invalid", detail=LocalText(detail, params), kinds=_kinds())


def _category(value: str) -> Category:
    name, colon, rest = value.partition(":")
    words = tuple(w.strip().lower() for w in rest.split(",") if w.strip())
    if not colon or not name.strip() or not words:
        raise _invalid(N_('{value!r} is not written "name: word, word"'), value=value)
    return Category(name.strip(), words)


def _domain(value: str) -> str:
    domain = value.strip().lower().removeprefix("*.").rstrip(".")
    if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+|localhost", domain):
        raise _invalid(N_("{value!r} is not a domain such as example.com"), value=value)
    return domain


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise _invalid(N_("{value!r} is not a number of seconds"), value=value) from None
    if not 0 < seconds <= 3600:
        raise _invalid(N_("{value!r} is not between 0 and 3600 seconds"), value=value)
    return seconds


def normalize(kind: str, value: str) -> tuple[RuleKind, str]:
    """A rule as stored: its kind checked, its value cleaned (or policy_rule_invalid)."""
    try:
        rule_kind = RuleKind(kind)
    except ValueError:
        raise _invalid(N_("{kind!r} is not a rule kind"), kind=kind) from None
    text = " ".join(value.split())
    if not text or len(text) > 500:
        raise _invalid(N_("the value must have 1 to 500 characters"))
    if rule_kind in (RuleKind.PROHIBITED_CATEGORY, RuleKind.AGE_RESTRICTED_CATEGORY):
        category = _category(text)
        return rule_kind, f"{category.name}: {', '.join(category.words)}"
    if rule_kind in (RuleKind.BLOCKED_DOMAIN, RuleKind.ALLOWED_DOMAIN):
        return rule_kind, _domain(text)
    if rule_kind in (RuleKind.MIN_DURATION, RuleKind.MAX_DURATION):
        return rule_kind, f"{_seconds(text):g}"
    if rule_kind is RuleKind.BLOCKED_FORMAT:
        if text.upper() not in {f.value for f in PostFormat}:
            raise _invalid(
                N_("{value!r} is not a post format ({formats})"),
                value=text,
                formats=", ".join(PostFormat),
            )
        return rule_kind, text.upper()
    return rule_kind, text.lower()


def parse(rows: Iterable[tuple[str, str]]) -> Rules:
    by_kind: dict[RuleKind, list[str]] = {kind: [] for kind in RuleKind}
    for kind, value in rows:
        by_kind[RuleKind(kind)].append(value)
    mins = [float(v) for v in by_kind[RuleKind.MIN_DURATION]]
    maxes = [float(v) for v in by_kind[RuleKind.MAX_DURATION]]
    return Rules(
        words=tuple(by_kind[RuleKind.PROHIBITED_WORD]),
        prohibited=tuple(_category(v) for v in by_kind[RuleKind.PROHIBITED_CATEGORY]),
        age_restricted=tuple(_category(v) for v in by_kind[RuleKind.AGE_RESTRICTED_CATEGORY]),
        blocked_domains=tuple(by_kind[RuleKind.BLOCKED_DOMAIN]),
        allowed_domains=tuple(by_kind[RuleKind.ALLOWED_DOMAIN]),
        min_duration=max(mins) if mins else None,
        max_duration=min(maxes) if maxes else None,
        blocked_formats=tuple(by_kind[RuleKind.BLOCKED_FORMAT]),
    )


def _contains(text: str, phrase: str) -> bool:
    """Whole words (or phrases), case-insensitive, hashtags included: "bet" is in "#bet now"
    but not in "alphabet"."""
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def _first(text: str, words: Iterable[str]) -> str | None:
    return next((w for w in words if _contains(text, w)), None)


def _under(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def check(rules: Rules, ad: AdFacts) -> list[Finding]:
    """Every rule the ad breaks, in a stable order (empty: it passes)."""
    found: list[Finding] = []
    caption = ad.caption.lower()
    word = _first(caption, rules.words)
    if word is not None:
        found.append(Finding("review_prohibited_word", {"word": word}))
    for category in rules.prohibited:
        hit = _first(caption, category.words)
        if hit is not None:
            found.append(
                Finding("review_prohibited_category", {"category": category.name, "word": hit})
            )
    minors = not ad.age_groups or ADULT_ONLY_MINOR_GROUP in ad.age_groups
    for category in rules.age_restricted:
        hit = _first(caption, category.words)
        if hit is not None and minors:
            found.append(
                Finding("review_needs_adult_targeting", {"category": category.name, "word": hit})
            )
    host = (urlsplit(ad.landing_page_url).hostname or "").lower() if ad.landing_page_url else ""
    if host:
        blocked = next((d for d in rules.blocked_domains if _under(host, d)), None)
        if blocked is not None:
            found.append(Finding("review_blocked_domain", {"domain": host}))
        elif rules.allowed_domains and not any(_under(host, d) for d in rules.allowed_domains):
            found.append(Finding("review_domain_not_allowed", {"domain": host}))
    low, high = rules.min_duration, rules.max_duration
    if ad.duration is not None and (
        (low is not None and ad.duration < low) or (high is not None and ad.duration > high)
    ):
        found.append(
            Finding(
                "review_duration_not_allowed",
                {
                    "duration": f"{ad.duration:g}",
                    "low": f"{low:g}" if low is not None else "0",
                    "high": f"{high:g}" if high is not None else "∞",
                },
            )
        )
    if ad.post_format in rules.blocked_formats:
        found.append(Finding("review_format_not_allowed", {"format": ad.post_format}))
    return found


# --- stored rules -----------------------------------------------------------------------------


def list_rules(session: Session) -> Sequence[PolicyRule]:
    return session.scalars(select(PolicyRule).order_by(PolicyRule.kind, PolicyRule.value)).all()


def load(session: Session) -> Rules:
    return parse((row.kind, row.value) for row in list_rules(session))


def add_rule(session: Session, clock: Clock, *, kind: str, value: str) -> PolicyRule:
    """Add a rule (adding one that exists returns it). Ads already reviewed keep their review;
    new and edited ads meet the rule."""
    rule_kind, cleaned = normalize(kind, value)
    existing = session.scalar(
        select(PolicyRule).where(PolicyRule.kind == rule_kind.value, PolicyRule.value == cleaned)
    )
    if existing is not None:
        return existing
    row = PolicyRule(rule_id=new_id(), kind=rule_kind.value, value=cleaned, created_at=clock.now())
    return added(session, row)


def remove_rule(session: Session, rule_id: str) -> PolicyRule:
    row = session.get(PolicyRule, str(rule_id))
    if row is None:
        raise SparkadsError("object_not_found", object_type="policy rule", object_id=rule_id)
    session.delete(row)
    session.flush()
    return row
