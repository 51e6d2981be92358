"""The History page's words: who made a change (the ad account, Business Center or creator by its
name, the operator, the command line, and the person signed in) and with which role, and each field by the label the
other pages give it, its coded values (statuses, budget modes, goals …) by their words."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser, BusinessCenter, Creator, Role, TokenScope, User
from sparkads.db.audit import Actor
from sparkads.web.drafts import FIELD_LABELS
from sparkads.web.i18n import N_, gettext
from sparkads.web.labels import (
    BILLING,
    CALLS_TO_ACTION,
    GOALS,
    OBJECTIVES,
    PROMOTIONS,
    SECONDARY,
)

FIELDS = {
    **FIELD_LABELS,
    "budget_mode": N_("Budget type"),
    "objective_type": N_("Objective"),
    "operation_status": N_("Status"),
    "secondary_status": N_("Delivery status"),
    "billing_event": N_("Billing"),
    "create_time": N_("Created"),
    "comment_disabled": N_("Comments off"),
    "special_industries": N_("Special ad categories"),
    "bid_type": N_("Bid strategy"),
    "pacing": N_("Pacing"),
    "placement_type": N_("Placement type"),
    "placements": N_("Placements"),
    "schedule_type": N_("Schedule type"),
    "targeting": N_("Audience"),
    "advertiser_id": N_("Ad account ID"),
    "campaign_id": N_("Campaign ID"),
    "adgroup_id": N_("Ad group ID"),
    "ad_id": N_("Ad ID"),
}
VALUES: dict[str, dict[str, str]] = {
    "operation_status": {"ENABLE": N_("Active"), "DISABLE": N_("Paused"), "DELETE": N_("Deleted")},
    "budget_mode": {
        "BUDGET_MODE_DAY": N_("Daily budget"),
        "BUDGET_MODE_TOTAL": N_("Lifetime budget"),
    },
    "objective_type": {code: words for code, (words, _) in OBJECTIVES.items()},
    "optimization_goal": GOALS,
    "billing_event": BILLING,
    "promotion_type": PROMOTIONS,
    "call_to_action": CALLS_TO_ACTION,
    "secondary_status": {code: words for code, (words, _) in SECONDARY.items()},
}
YES_NO = {True: N_("Yes"), False: N_("No")}
# who, by the actor's scope (or surface when it has none): (text with the name, text without)
WHO = {
    TokenScope.ADVERTISER.value: (N_("Ad account %(name)s"), N_("Ad account")),
    TokenScope.BUSINESS_CENTER.value: (N_("Business Center %(name)s"), N_("Business Center")),
    TokenScope.CREATOR.value: (N_("Creator %(name)s"), N_("Creator")),
    TokenScope.OPERATOR.value: (N_("Operator"), N_("Operator")),
    TokenScope.FEED.value: (N_("Feed app %(name)s"), N_("Feed app")),
    "cli": (N_("CLI (%(name)s)"), N_("CLI")),
    "system": (N_("System"), N_("System")),
}
# the role of the token a change was made with (Business Center roles, and the platform's reviewer)
ROLES = {
    Role.ADMIN.value: N_("Administrator"),
    Role.OPERATOR.value: N_("Operator"),
    Role.ANALYST.value: N_("Analyst"),
    Role.REVIEWER.value: N_("Reviewer"),
}
NAMES = {
    TokenScope.ADVERTISER.value: (Advertiser, "name"),
    TokenScope.BUSINESS_CENTER.value: (BusinessCenter, "name"),
    TokenScope.CREATOR.value: (Creator, "display_name"),
}


def field_label(code: str, lang: str) -> str:
    """A field by its label in the reader's language; a field without one by its code."""
    return gettext(lang, FIELDS[code]) if code in FIELDS else code


def role_words(code: str, lang: str) -> str:
    """A role in words in the reader's language; a role without words by its code."""
    return gettext(lang, ROLES[code]) if code in ROLES else code


def value_words(code: str, value: object, lang: str) -> str | None:
    """A coded value (a status, a budget mode, a yes/no …) in words, or None if it has none."""
    if isinstance(value, bool):
        return gettext(lang, YES_NO[value])
    words = VALUES.get(code, {}).get(value) if isinstance(value, str) else None
    return None if words is None else gettext(lang, words)


@dataclass
class Who:
    """Who made each change, in words, its names looked up once per page."""

    session: Session
    lang: str
    _names: dict[tuple[str, str], str | None] = field(default_factory=dict)

    def _name(self, kind: str, key: str) -> str | None:
        if (kind, key) not in self._names:
            model, column = NAMES.get(kind, (User, "email"))  # or "person"
            row = self.session.get(model, key)
            self._names[kind, key] = None if row is None else str(getattr(row, column))
        return self._names[kind, key]

    def account(self, actor: Actor) -> str:
        """The account (or surface) a change was made for: "Ad account Acme", "Operator", "CLI"."""
        kind = actor.scope or actor.surface
        if kind not in WHO:
            return actor.label
        named, plain = WHO[kind]
        name = self._name(kind, actor.subject_id) if kind in NAMES else actor.subject_id
        return gettext(self.lang, named, name=name) if name else gettext(self.lang, plain)

    def person(self, actor: Actor) -> str | None:
        """The person signed in (their email), if a person made the change."""
        return self._name("person", actor.user_id) if actor.user_id else None
