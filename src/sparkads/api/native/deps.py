"""Bearer authentication for the native API, with one dependency per kind of account."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sparkads.accounts.models import TokenScope
from sparkads.accounts.service import Principal, require_scope, resolve_token
from sparkads.api.context import ContextDep

bearer = HTTPBearer(auto_error=False, description="Token printed when the account was created.")


def principal(
    context: ContextDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    with context.uow() as uow:
        return resolve_token(uow.session, credentials.credentials if credentials else None)


AnyPrincipal = Annotated[Principal, Depends(principal)]


def _scoped(*scopes: TokenScope):  # type: ignore[no-untyped-def]
    def dependency(who: AnyPrincipal) -> Principal:
        require_scope(who, *scopes)
        return who

    return dependency


CreatorPrincipal = Annotated[Principal, Depends(_scoped(TokenScope.CREATOR))]
OperatorPrincipal = Annotated[Principal, Depends(_scoped(TokenScope.OPERATOR))]
FeedPrincipal = Annotated[Principal, Depends(_scoped(TokenScope.FEED, TokenScope.OPERATOR))]
RequesterPrincipal = Annotated[
    Principal, Depends(_scoped(TokenScope.BUSINESS_CENTER, TokenScope.ADVERTISER))
]
