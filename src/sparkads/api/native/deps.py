"""Bearer authentication for the native API, with one dependency per kind of account."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sparkads.accounts.models import Role, TokenScope
from sparkads.accounts.principal import Principal, require_scope
from sparkads.api.context import ContextDep, check_role, resolve_principal
from sparkads.errors import SparkadsError

bearer = HTTPBearer(auto_error=False, description="Token printed when the account was created.")


async def principal(
    request: Request,
    context: ContextDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    who = resolve_principal(context, credentials.credentials if credentials else None)
    return check_role(request, who)


AnyPrincipal = Annotated[Principal, Depends(principal)]


def _scoped(*scopes: TokenScope):  # type: ignore[no-untyped-def]
    async def dependency(who: AnyPrincipal) -> Principal:
        require_scope(who, *scopes)
        return who

    return dependency


async def _operator(who: AnyPrincipal) -> Principal:
    """A platform operator; a reviewer's operator token reviews ads and nothing else."""
    require_scope(who, TokenScope.OPERATOR)
    if who.role is Role.REVIEWER:
        raise SparkadsError("role_not_allowed", role=who.role.value, needed="an operator token")
    return who


CreatorPrincipal = Annotated[Principal, Depends(_scoped(TokenScope.CREATOR))]
OperatorPrincipal = Annotated[Principal, Depends(_operator)]
# Operators and reviewers (operator tokens with the reviewer role) review ads and appeals.
ReviewerPrincipal = Annotated[Principal, Depends(_scoped(TokenScope.OPERATOR))]


async def _feed(who: AnyPrincipal) -> Principal:
    """A feed, or an operator trying the feed out; never a reviewer (its traffic is billed)."""
    require_scope(who, TokenScope.FEED, TokenScope.OPERATOR)
    if who.role is Role.REVIEWER:
        raise SparkadsError("role_not_allowed", role=who.role.value, needed="a feed token")
    return who


FeedPrincipal = Annotated[Principal, Depends(_feed)]
RequesterPrincipal = Annotated[
    Principal, Depends(_scoped(TokenScope.BUSINESS_CENTER, TokenScope.ADVERTISER))
]
