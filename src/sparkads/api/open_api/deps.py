"""Authentication for the v1.3 surface: the `Access-Token` header (query `access_token` accepted)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.accounts.service import Principal, authorize_advertiser
from sparkads.api.context import ContextDep, check_role, resolve_principal
from sparkads.api.validation import decode_query, parse_model
from sparkads.errors import SparkadsError


async def open_api_principal(request: Request, context: ContextDep) -> Principal:
    token = request.headers.get("access-token") or request.query_params.get("access_token")
    return check_role(request, resolve_principal(context, token))


PrincipalDep = Annotated[Principal, Depends(open_api_principal)]


def read_query(request: Request, model: type[Any]) -> Any:
    """GET parameters decoded the TikTok way, then validated by the endpoint's model."""
    data = decode_query(request.query_params.multi_items())
    data.pop("access_token", None)
    return parse_model(model, data)


def query_advertiser_id(request: Request) -> str:
    """The query's advertiser_id, for a service that authorizes it before reading the other
    parameters (TikTok's order: token, then advertiser access 40001, then parameters 40002)."""
    raw = request.query_params.get("advertiser_id")
    if not raw:
        raise SparkadsError("invalid_parameter", field="advertiser_id", detail="Field required")
    return raw


def query_advertiser(request: Request, session: Session, principal: Principal) -> Advertiser:
    """Token first, then advertiser access (40001), then the other parameters (40002), as TikTok."""
    return authorize_advertiser(session, principal, query_advertiser_id(request))
