"""Who is signed in to the web app: a creator, an operator or reviewer, or an advertiser or
Business Center user with the ad accounts they may work on (and the one chosen)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser, Role, TokenScope
from sparkads.accounts.service import (
    Principal,
    get_advertiser,
    get_business_center,
    get_creator,
    resolve_token,
)
from sparkads.errors import SparkadsError
from sparkads.web.i18n import N_

WEB_SCOPES = (
    TokenScope.ADVERTISER,
    TokenScope.BUSINESS_CENTER,
    TokenScope.CREATOR,
    TokenScope.OPERATOR,  # operators (console, review queue) and reviewers (review queue)
)


@dataclass(frozen=True)
class AdAccount:
    advertiser_id: str
    name: str
    currency: str
    timezone: str
    bc_id: str | None

    @classmethod
    def of(cls, row: Advertiser) -> AdAccount:
        return cls(row.advertiser_id, row.name, row.currency, row.timezone, row.bc_id)


@dataclass(frozen=True)
class WebUser:
    principal: Principal
    name: str
    accounts: tuple[AdAccount, ...] = ()
    current: AdAccount | None = None

    @property
    def scope(self) -> str:
        return self.principal.scope.value

    @property
    def is_creator(self) -> bool:
        return self.principal.scope is TokenScope.CREATOR

    @property
    def is_operator(self) -> bool:
        """A platform operator or reviewer (operator token): reviews ads and appeals."""
        return self.principal.scope is TokenScope.OPERATOR

    @property
    def is_reviewer(self) -> bool:
        """A reviewer's operator token: the review queue only."""
        return self.is_operator and self.principal.role is Role.REVIEWER

    @property
    def is_advertiser(self) -> bool:
        return not self.is_creator and not self.is_operator


def _accounts(session: Session, principal: Principal) -> tuple[str, Sequence[Advertiser]]:
    if principal.scope is TokenScope.ADVERTISER:
        advertiser = get_advertiser(session, principal.subject_id)
        return advertiser.name, [advertiser]
    bc = get_business_center(session, principal.subject_id)
    rows = session.scalars(
        select(Advertiser).where(Advertiser.bc_id == bc.bc_id).order_by(Advertiser.name)
    ).all()
    return bc.name, rows


def load_user(
    session: Session, token: str | None, chosen: str | None, now: datetime
) -> WebUser | None:
    """The signed-in user, or None when the cookie holds no valid web session any more (signed
    out, expired, idle too long, password changed)."""
    if not token:
        return None
    try:
        principal = resolve_token(session, token, now, web=True)
        if principal.scope not in WEB_SCOPES:
            return None
        if principal.scope is TokenScope.CREATOR:
            creator = get_creator(session, principal.subject_id)
            return WebUser(principal, "@" + creator.handle)
        if principal.scope is TokenScope.OPERATOR:
            return WebUser(
                principal, N_("Reviewer") if principal.role is Role.REVIEWER else N_("Operator")
            )
        name, rows = _accounts(session, principal)
    except SparkadsError:
        return None
    if principal.advertisers is not None:
        rows = [row for row in rows if row.advertiser_id in principal.advertisers]
    accounts = tuple(AdAccount.of(row) for row in rows)
    current = next((a for a in accounts if a.advertiser_id == chosen), None)
    return WebUser(principal, name, accounts, current or (accounts[0] if accounts else None))
