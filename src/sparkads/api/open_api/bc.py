"""bc/*: the Business Center, and its "request access to a TikTok account" link (R11)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from sparkads.accounts.service import business_center_of
from sparkads.api.context import ContextDep
from sparkads.api.open_api import envelope
from sparkads.api.open_api.deps import PrincipalDep, read_query
from sparkads.api.open_api.openapi_doc import query_doc
from sparkads.api.open_api.pagination import page_info
from sparkads.api.open_api.schemas import BcAccountAuthorization, BcGet
from sparkads.authorizations.access import accept_link, request_bc_access

router = APIRouter(prefix="/open_api/v1.3/bc", tags=["Business Center"])


@router.get("/get/", openapi_extra=query_doc(BcGet))
def bc_get(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """The Business Center this token belongs to."""
    with context.uow() as uow:
        params = read_query(request, BcGet)
        bc = business_center_of(uow.session, principal, params.bc_id)
        info = {
            "bc_id": bc.bc_id,
            "name": bc.name,
            "company": bc.company,
            "currency": bc.currency,
            "timezone": bc.timezone,
            "status": "ENABLE",
            "type": "NORMAL",
            "registered_area": "",
            "verification_status": "VERIFIED",
        }
        return envelope.ok(
            {
                "list": [
                    {
                        "bc_info": info,
                        "user_role": "ADMIN",
                        "ext_user_role": {"finance_role": "MANAGER"},
                    }
                ],
                "page_info": page_info(params.page, params.page_size, 1),
            }
        )


@router.get("/asset/account/authorization/", openapi_extra=query_doc(BcAccountAuthorization))
def account_authorization(
    request: Request, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """An open invitation link: the creator who opens it can grant this Business Center access to
    their account. Show it as a QR code (the native API also serves the QR as PNG and SVG)."""
    with context.uow() as uow:
        params = read_query(request, BcAccountAuthorization)
        bc = business_center_of(uow.session, principal, params.bc_id)
        access = request_bc_access(uow.session, context.clock, bc=bc, handle=None)
        uow.commit()
    return envelope.ok(
        {"bc_auth_qr_code": accept_link(context.settings.public_base_url, access.request_id)}
    )
