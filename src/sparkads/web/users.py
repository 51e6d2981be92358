"""Who is signed in to the web app: a creator, an operator or reviewer, or an advertiser or
Business Center user with the ad accounts they may work on (and the one chosen)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sparkads.accounts.models import Advertiser, Role, TokenScope
from sparkads.accounts.principal import Principal
from sparkads.services import sign_in
from sparkads.services.units import Units
from sparkads.web.i18n import N_


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
    signed_in_with: str | None = None  # the API token pasted to open this session, if one was

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

    @property
    def home(self) -> str:
        """Where this user's app opens: the review queue (a reviewer), the console (an operator),
        the studio (a creator) or the Ads Manager (an advertiser or Business Center user)."""
        if self.is_operator:
            return "/review" if self.is_reviewer else "/console"
        return "/studio" if self.is_creator else "/ads"


def load_user(uow: Units, token: str | None, chosen: str | None, now: datetime) -> WebUser | None:
    """The signed-in user, or None when the cookie holds no valid web session any more (signed
    out, expired, idle too long, password changed)."""
    found = sign_in.signed_in(uow, now, token)
    if found is None:
        return None
    principal, opened_with = found.principal, found.opened_with
    if principal.scope is TokenScope.OPERATOR:
        name = N_("Reviewer") if principal.role is Role.REVIEWER else N_("Operator")
        return WebUser(principal, name, signed_in_with=opened_with)
    if principal.scope is TokenScope.CREATOR:
        return WebUser(principal, found.name, signed_in_with=opened_with)
    accounts = tuple(AdAccount.of(row) for row in found.advertisers)
    current = next((a for a in accounts if a.advertiser_id == chosen), None) or (
        accounts[0] if accounts else None
    )
    return WebUser(principal, found.name, accounts, current, opened_with)
