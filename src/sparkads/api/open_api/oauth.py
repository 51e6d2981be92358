"""oauth2/access_token/ and oauth2/revoke_token/: a developer app trades the auth_code of an
approval (the web app's authorization page) for an access token, and gives tokens back. Neither
takes an Access-Token: the app authenticates with its app_id and secret (40101)."""

from __future__ import annotations

import json
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from sparkads.api.context import ContextDep
from sparkads.api.open_api import envelope
from sparkads.api.validation import parse_model
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.ids import IdStr
from sparkads.services import oauth

router = APIRouter(prefix="/open_api/v1.3/oauth2", tags=["Accounts"])


class AccessTokenBody(BaseModel):
    model_config = ConfigDict(extra="ignore")

    app_id: IdStr
    secret: Annotated[str, Field(min_length=1, max_length=256)]
    auth_code: Annotated[str, Field(min_length=1, max_length=256)]


class RevokeTokenBody(BaseModel):
    model_config = ConfigDict(extra="ignore")

    app_id: IdStr
    secret: Annotated[str, Field(min_length=1, max_length=256)]
    access_token: Annotated[str, Field(min_length=1, max_length=256)]


def _doc(model: type[BaseModel]) -> dict[str, object]:
    """No Access-Token here: the body is the whole request."""
    schema = {"application/json": {"schema": model.model_json_schema()}}
    return {"requestBody": {"required": True, "content": schema}}


async def _body(request: Request) -> dict[str, object]:
    """JSON as the SDK sends it, or a form as some clients do."""
    raw = await request.body()
    if "application/x-www-form-urlencoded" in request.headers.get("content-type", ""):
        return dict(parse_qsl(raw.decode("utf-8", "replace")))
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        raise SparkadsError(
            "invalid_parameter", field="body", detail=LocalText(N_("not JSON"))
        ) from None
    if not isinstance(data, dict):
        raise SparkadsError(
            "invalid_parameter", field="body", detail=LocalText(N_("a JSON object"))
        )
    return data


@router.post("/access_token/", openapi_extra=_doc(AccessTokenBody))
async def access_token(request: Request, context: ContextDep) -> JSONResponse:
    """Exchange an auth_code (single use, 10 minutes) for a long-lived access token scoped to the
    ad accounts the person approved, with the person's role; `scope` lists permission groups
    (1 accounts, 2 ads, 3 audiences, 4 reports; an analyst's token gets 1 and 4)."""
    body = parse_model(AccessTokenBody, await _body(request))
    grant = oauth.access_token(context.uow, context.clock, **body.model_dump())
    return envelope.ok(
        {
            "access_token": grant.access_token,
            "advertiser_ids": list(grant.advertiser_ids),
            "scope": list(grant.scope),
        }
    )


@router.post("/revoke_token/", openapi_extra=_doc(RevokeTokenBody))
async def revoke_token(request: Request, context: ContextDep) -> JSONResponse:
    """Revoke a token this app obtained: it stops working at once."""
    body = parse_model(RevokeTokenBody, await _body(request))
    token_id = oauth.revoke(context.uow, context.clock, **body.model_dump())
    context.principals.forget(token_id)
    return envelope.ok({})
