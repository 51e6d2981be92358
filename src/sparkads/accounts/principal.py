"""Who a request acts for (resolved from its token by accounts.tokens), and the checks of its
scope and role that every surface makes before acting."""

from __future__ import annotations

from dataclasses import dataclass

from sparkads.accounts.models import Role, TokenScope
from sparkads.errors import SparkadsError


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
            detail="reviewer is a role of operator tokens only (sparkads operators create)",
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
            needed=" or ".join(s.value for s in scopes),
            given=principal.scope.value,
        )
