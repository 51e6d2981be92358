"""Who a request acts for (resolved from its token by accounts.tokens), and the checks of its
scope and role that every surface makes before acting."""

from __future__ import annotations

from dataclasses import dataclass

from sparkads.accounts.models import Role, TokenScope
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText

_TOKEN_OF = {
    TokenScope.ADVERTISER: N_("an advertiser token"),
    TokenScope.BUSINESS_CENTER: N_("a Business Center token"),
    TokenScope.CREATOR: N_("a creator token"),
    TokenScope.OPERATOR: N_("an operator token"),
    TokenScope.FEED: N_("a feed token"),
}


def tokens_text(*scopes: TokenScope) -> LocalText:
    """The kinds of token in `scopes` as a reader says them ("an advertiser token or a creator
    token", "un jeton d'annonceur ou un jeton de créateur"): wrong_token_scope's `needed`/`given`."""
    last = LocalText(_TOKEN_OF[scopes[-1]])
    if len(scopes) == 1:
        return last
    return LocalText(N_("{first} or {last}"), {"first": tokens_text(*scopes[:-1]), "last": last})


@dataclass(frozen=True)
class Principal:
    """Who a request acts for, resolved from its token."""

    scope: TokenScope
    subject_id: str
    token_id: str
    role: Role = Role.ADMIN
    # the ad accounts of a Business Center it may act on; None: all of them
    advertisers: frozenset[str] | None = None
    user_id: str | None = None
    app_id: str | None = None  # the developer app that obtained this token, if one did

    def may_write(self) -> bool:
        if self.role is Role.REVIEWER:  # reviews ads (operator tokens); changes nothing else
            return self.scope is TokenScope.OPERATOR
        return self.role is not Role.ANALYST


def require_role_fits(scope: TokenScope, role: Role) -> None:
    """The reviewer role exists only on the platform's operator tokens (it reviews ads)."""
    if role is Role.REVIEWER and scope is not TokenScope.OPERATOR:
        raise SparkadsError(
            "invalid_parameter",
            field="role",
            detail=LocalText(
                N_("reviewer is a role of operator tokens only (sparkads operators create)")
            ),
        )


def require_role(principal: Principal, *roles: Role) -> None:
    if principal.role not in roles:
        raise SparkadsError(
            "role_not_allowed",
            role=principal.role.value,
            needed=" or ".join(r.value for r in roles),
        )


def require_scope(principal: Principal, *scopes: TokenScope) -> None:
    if principal.scope not in scopes:
        raise SparkadsError(
            "wrong_token_scope",
            needed=tokens_text(*scopes),
            given=tokens_text(principal.scope),
        )
