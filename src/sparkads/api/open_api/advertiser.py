"""advertiser/info/ and oauth2/advertiser/get/: the accounts a token may act on, in TikTok's shape
(what Airbyte's TikTok source checks a connection with, and lists advertisers from)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from sparkads.accounts.lookups import advertisers_of, authorize_advertiser, get_business_center
from sparkads.accounts.models import Advertiser
from sparkads.api.context import ContextDep
from sparkads.api.open_api import envelope
from sparkads.api.open_api.deps import PrincipalDep, read_query
from sparkads.api.open_api.openapi_doc import query_doc
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.ids import IdStr
from sparkads.services import oauth

router = APIRouter(prefix="/open_api/v1.3", tags=["Accounts"])
MAX_ADVERTISERS = 100


class AdvertiserInfo(BaseModel):
    model_config = ConfigDict(extra="ignore")

    advertiser_ids: Annotated[list[IdStr], Field(min_length=1)]
    fields: list[str] | None = None


class OAuthAdvertisers(BaseModel):
    model_config = ConfigDict(extra="ignore")

    app_id: Annotated[str, Field(min_length=1, max_length=64)]
    secret: Annotated[str, Field(min_length=1, max_length=256)]


def _timestamp(advertiser: Advertiser) -> int:
    created = advertiser.created_at
    return int(created.timestamp())


def info(advertiser: Advertiser, company: str) -> dict[str, object]:
    """TikTok's advertiser fields. What sparkads does not keep about an account (contact details,
    licences, industry) is null; there is no prepaid balance: spend is billed against budgets."""
    return {
        "advertiser_id": advertiser.advertiser_id,
        "owner_bc_id": advertiser.bc_id,
        "name": advertiser.name,
        "company": company,
        "status": "STATUS_ENABLE",
        "role": "ROLE_ADVERTISER",
        "rejection_reason": "",
        "currency": advertiser.currency,
        "timezone": advertiser.timezone,
        "display_timezone": advertiser.timezone,
        "balance": 0.0,
        "create_time": _timestamp(advertiser),
        "country": None,
        "language": None,
        "industry": None,
        "brand": None,
        "description": None,
        "contacter": None,
        "email": None,
        "cellphone_number": None,
        "telephone_number": None,
        "address": None,
        "license_no": None,
        "license_url": None,
        "license_province": None,
        "license_city": None,
        "promotion_area": None,
        "promotion_center_province": None,
        "promotion_center_city": None,
    }


@router.get("/advertiser/info/", openapi_extra=query_doc(AdvertiserInfo))
def advertiser_info(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """Details of up to 100 advertisers this token may act on (`fields` picks some)."""
    params: AdvertiserInfo = read_query(request, AdvertiserInfo)
    if len(params.advertiser_ids) > MAX_ADVERTISERS:
        raise SparkadsError("too_many_ids", field="advertiser_ids", limit=MAX_ADVERTISERS)
    with context.uow() as uow:
        rows = []
        for advertiser_id in dict.fromkeys(params.advertiser_ids):
            advertiser = authorize_advertiser(uow.session, principal, advertiser_id)
            company = (
                get_business_center(uow.session, advertiser.bc_id).company
                if (advertiser.bc_id)
                else ""
            )
            rows.append(info(advertiser, company))
    if params.fields:
        unknown = [f for f in params.fields if f not in rows[0]]
        if unknown:
            raise SparkadsError(
                "invalid_parameter",
                field="fields",
                detail=LocalText(N_("unknown field(s): {fields}"), {"fields": ", ".join(unknown)}),
            )
        rows = [{f: row[f] for f in params.fields} for row in rows]
    return envelope.ok({"list": rows})


@router.get("/oauth2/advertiser/get/", openapi_extra=query_doc(OAuthAdvertisers))
def oauth_advertisers(
    request: Request, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """The advertisers this token was granted. For a token a developer app obtained
    (oauth2/access_token/), `app_id` and `secret` must be that app's (40101 otherwise); tokens
    made by an operator or in Ads Manager name no app, so any app_id and secret pass."""
    params: OAuthAdvertisers = read_query(request, OAuthAdvertisers)
    if principal.app_id is not None:
        app_id = oauth.check_app(context.uow, app_id=params.app_id, secret=params.secret)
        if app_id != principal.app_id:
            raise SparkadsError("app_credentials_invalid")
    with context.uow() as uow:
        listed = [
            {"advertiser_id": a.advertiser_id, "advertiser_name": a.name}
            for a in advertisers_of(uow.session, principal)
        ]
    return envelope.ok({"list": listed})
