"""Operators register developer apps over HTTP as with `sparkads apps` (operator token)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from sparkads.api.context import ContextDep
from sparkads.api.native.deps import OperatorPrincipal
from sparkads.services import oauth

router = APIRouter(prefix="/api/v1/operator/apps", tags=["Sandbox and operators"])


class AppCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=100)]
    redirect_uris: Annotated[list[Annotated[str, Field(max_length=500)]], Field(min_length=1)]


class AppRead(BaseModel):
    app_id: str
    name: str
    redirect_uris: list[str]
    disabled: bool = False
    secret: str | None = Field(default=None, description="Only in the answer to the creation.")


class AppDisabled(BaseModel):
    app_id: str
    tokens_revoked: int


def _read(app: oauth.RegisteredApp) -> AppRead:
    return AppRead(
        app_id=app.app_id,
        name=app.name,
        redirect_uris=list(app.redirect_uris),
        disabled=app.disabled,
        secret=app.secret or None,
    )


@router.post("", status_code=201)
def create_app(body: AppCreate, who: OperatorPrincipal, context: ContextDep) -> AppRead:
    """Register an app; the answer holds its secret, which is never shown again."""
    return _read(
        oauth.register(context.uow, context.clock, name=body.name, redirect_uris=body.redirect_uris)
    )


@router.get("")
def list_apps(who: OperatorPrincipal, context: ContextDep) -> list[AppRead]:
    return [_read(app) for app in oauth.registered(context.uow)]


@router.post("/{app_id}/disable")
def disable_app(app_id: str, who: OperatorPrincipal, context: ContextDep) -> AppDisabled:
    """No more authorizations; every token the app obtained is revoked."""
    revoked = oauth.disable(context.uow, context.clock, app_id)
    context.principals.clear()
    return AppDisabled(app_id=app_id, tokens_revoked=revoked)
