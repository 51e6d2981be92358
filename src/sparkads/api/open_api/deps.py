"""Authentication for the v1.3 surface: the `Access-Token` header (query `access_token` accepted)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from sparkads.accounts.lookups import authorize_advertiser
from sparkads.accounts.models import Advertiser
from sparkads.accounts.principal import Principal
from sparkads.api.context import AppContext, ContextDep, check_role, resolve_principal
from sparkads.api.open_api.wire import StatusUpdate
from sparkads.api.validation import M, decode_query, parse_model
from sparkads.errors import SparkadsError, negotiate_language
from sparkads.i18n import N_, LocalText
from sparkads.services.campaigns import Campaigns


async def open_api_principal(request: Request, context: ContextDep) -> Principal:
    token = request.headers.get("access-token") or request.query_params.get("access_token")
    return check_role(request, resolve_principal(context, token))


PrincipalDep = Annotated[Principal, Depends(open_api_principal)]


def request_language(request: Request) -> str:
    """The language the request asks for (Accept-Language): errors and warnings are written in
    it, with no second language beside them."""
    return negotiate_language(request.headers.get("accept-language"))


LangDep = Annotated[str, Depends(request_language)]


def campaigns_of(context: AppContext, principal: Principal, advertiser_id: str) -> Campaigns:
    """The application service campaign/, adgroup/ and ad/ changes go through, once the
    principal's access to the advertiser is checked (40001 before the body's other fields)."""
    campaigns = Campaigns(context.uow, context.clock, auto_approve=context.settings.auto_approve)
    campaigns.check_access(principal, advertiser_id)
    return campaigns


def for_status_change(context: AppContext, principal: Principal, body: StatusUpdate) -> Campaigns:
    """`campaigns_of`, then the status body's fields checked (after access, as TikTok)."""
    campaigns = campaigns_of(context, principal, body.advertiser_id)
    body.check_fields()
    return campaigns


def read_query(request: Request, model: type[M]) -> M:
    """GET parameters decoded the TikTok way, then validated by the endpoint's model."""
    data = decode_query(request.query_params.multi_items())
    data.pop("access_token", None)
    return parse_model(model, data)


def query_advertiser_id(request: Request) -> str:
    """The query's advertiser_id, for a service that authorizes it before reading the other
    parameters (TikTok's order: token, then advertiser access 40001, then parameters 40002)."""
    raw = request.query_params.get("advertiser_id")
    if not raw:
        raise SparkadsError(
            "invalid_parameter", field="advertiser_id", detail=LocalText(N_("Field required"))
        )
    return raw


def query_advertiser(request: Request, session: Session, principal: Principal) -> Advertiser:
    """Token first, then advertiser access (40001), then the other parameters (40002), as TikTok."""
    return authorize_advertiser(session, principal, query_advertiser_id(request))
