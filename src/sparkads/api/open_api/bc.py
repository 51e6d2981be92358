"""bc/*: the Business Center, and its "request access to a TikTok account" link (R11)."""

from __future__ import annotations

from typing import Annotated, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from sparkads.accounts.lookups import business_center_of
from sparkads.api.context import ContextDep
from sparkads.api.open_api import envelope
from sparkads.api.open_api.deps import PrincipalDep, read_query
from sparkads.api.open_api.openapi_doc import body_doc, query_doc
from sparkads.api.open_api.pagination import page_info, paged
from sparkads.api.open_api.schemas import (
    BcAccountAuthorization,
    BcAssetAssign,
    BcAssetGet,
    BcAssetMemberGet,
    BcAssetUnassign,
    BcGet,
    BcMemberGet,
)
from sparkads.authorizations import bc_assets
from sparkads.authorizations.qr import accept_link
from sparkads.errors import SparkadsError
from sparkads.ids import IdStr
from sparkads.services import authorizations, partners

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
    params = read_query(request, BcAccountAuthorization)
    request_id = authorizations.invitation(
        context.uow, context.clock, principal, bc_id=params.bc_id
    )
    return envelope.ok(
        {"bc_auth_qr_code": accept_link(context.settings.public_base_url, request_id)}
    )


ASSET_FILTERS = ("keyword", "user_id", "user_email", "relation_status", "relation_type")
MEMBER_FILTERS = ("keyword", "user_role", "relation_status")


def _unknown_filters(filtering: dict[str, object], known: tuple[str, ...]) -> None:
    for key in filtering:
        if key not in known:
            raise SparkadsError("field_not_supported", field=f"filtering.{key}")


def _child_bc(child_bc_id: str | None) -> None:
    if child_bc_id is not None:
        raise SparkadsError("field_not_supported", field="child_bc_id (no child Business Centers)")


def _filtered(
    rows: list[dict[str, object]],
    filtering: dict[str, object],
    searched: tuple[str, ...],
    equal: tuple[str, ...],
) -> list[dict[str, object]]:
    """The rows whose `searched` fields contain the `keyword` filter (any case) and whose `equal`
    fields have the value their filter gives, where it gives one."""
    keyword = str(filtering.get("keyword") or "").lower()
    return [
        row
        for row in rows
        if keyword in " ".join(str(row[key]) for key in searched).lower()
        and all(filtering.get(key) in (None, row[key]) for key in equal)
    ]


Listing = TypeVar("Listing", BcAssetGet, BcMemberGet)


def _listing(request: Request, model: type[Listing], filters: tuple[str, ...]) -> Listing:
    """A listing's parameters: no child Business Center, known filters only."""
    params = read_query(request, model)
    _child_bc(params.child_bc_id)
    _unknown_filters(params.filtering, filters)
    return params


def _assets(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    with context.uow() as uow:
        params = _listing(request, BcAssetGet, ASSET_FILTERS)
        bc = business_center_of(uow.session, principal, params.bc_id)
        shared = bc_assets.assignments(uow.session, bc)
        user = params.filtering.get("user_id")
        if params.filtering.get("user_email"):
            user = ""  # members have no e-mail address: no asset is shared with one
        rows = []
        for asset in bc_assets.assets(uow.session, bc, params.asset_type):
            roles = shared.get((str(user), asset.asset_type, asset.asset_id)) if user else None
            if user is not None and roles is None:
                continue
            info: dict[str, object] = {
                "asset_id": asset.asset_id,
                "asset_name": asset.asset_name,
                "asset_type": asset.asset_type,
                "relation_type": asset.relation_type,
                "relation_status": asset.relation_status,
                "owner_bc_name": bc.name if asset.relation_type == "OWNER_BC" else None,
            }
            if asset.asset_type == "ADVERTISER":
                info["advertiser_status"] = "STATUS_ENABLE"
                info["advertiser_role"] = roles[0] if roles else "ADMIN"
            else:
                info["tt_account_roles"] = roles or ["POST"]
            rows.append(info)
    rows = _filtered(
        rows, params.filtering, ("asset_name", "asset_id"), ("relation_status", "relation_type")
    )
    return envelope.ok(paged("list", rows, params))


@router.get("/asset/get/", openapi_extra=query_doc(BcAssetGet))
def asset_get(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """The Business Center's assets of one type: its ad accounts (ADVERTISER) and the creator
    accounts it has access to (TT_ACCOUNT); `filtering.user_id` lists those shared with a member,
    with the member's roles."""
    return _assets(request, principal, context)


@router.get("/asset/admin/get/", openapi_extra=query_doc(BcAssetGet))
def asset_admin_get(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """The same assets as an admin sees them: every one of the type, shared or not."""
    return _assets(request, principal, context)


@router.post("/asset/assign/", openapi_extra=body_doc())
def asset_assign(body: BcAssetAssign, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """Share an ad account (`advertiser_role` ADMIN, OPERATOR or ANALYST) or a creator's TikTok
    account (`tt_account_roles` POST, LIVE, DIRECT_MESSAGE) with a member."""
    roles = [body.advertiser_role] if body.advertiser_role else body.tt_account_roles
    authorizations.assign_asset(
        context.uow, context.clock, principal, bc_id=body.bc_id, user_id=body.user_id,
        asset_type=body.asset_type, asset_id=body.asset_id, roles=roles,
    )  # fmt: skip
    return envelope.ok({})


@router.get("/member/get/", openapi_extra=query_doc(BcMemberGet))
def member_get(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """The Business Center's members: its access tokens (each an ADMIN: a token acts for the
    whole Business Center)."""
    with context.uow() as uow:
        params = _listing(request, BcMemberGet, MEMBER_FILTERS)
        bc = business_center_of(uow.session, principal, params.bc_id)
        rows = [bc_assets.member_info(m, bc) for m in bc_assets.members(uow.session, bc)]
    rows = _filtered(
        rows, params.filtering, ("user_name", "user_id"), ("user_role", "relation_status")
    )
    return envelope.ok(paged("list", rows, params))


@router.post("/asset/unassign/", openapi_extra=body_doc())
def asset_unassign(
    body: BcAssetUnassign, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """Stop sharing an asset with a member."""
    authorizations.unassign_asset(
        context.uow, principal, bc_id=body.bc_id, user_id=body.user_id,
        asset_type=body.asset_type, asset_id=body.asset_id,
    )  # fmt: skip
    return envelope.ok({})


@router.get("/asset/member/get/", openapi_extra=query_doc(BcAssetMemberGet))
def asset_member_get(
    request: Request, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """The members an asset is shared with, and their roles on it."""
    with context.uow() as uow:
        params: BcAssetMemberGet = read_query(request, BcAssetMemberGet)
        _unknown_filters(params.filtering, MEMBER_FILTERS)
        bc = business_center_of(uow.session, principal, params.bc_id)
        if params.asset_id not in {
            a.asset_id for a in bc_assets.assets(uow.session, bc, params.asset_type)
        }:
            raise SparkadsError(
                "no_permission", what=f"{params.asset_type} asset {params.asset_id}"
            )
        shared = bc_assets.assignments(uow.session, bc)
        rows = []
        for member in bc_assets.members(uow.session, bc):
            roles = shared.get((member.token_id, params.asset_type, params.asset_id))
            if roles is None:
                continue
            info = bc_assets.member_info(member, bc)
            key = "advertiser_role" if params.asset_type == "ADVERTISER" else "tt_account_roles"
            info[key] = roles[0] if params.asset_type == "ADVERTISER" else roles
            rows.append(info)
    rows = _filtered(rows, params.filtering, ("user_name", "user_id"), ())
    return envelope.ok(paged("list", rows, params))


class BcPartnerAdd(BaseModel):
    model_config = ConfigDict(extra="ignore")

    bc_id: IdStr
    partner_id: IdStr
    asset_type: Annotated[str, Field(max_length=20)]
    asset_ids: Annotated[list[IdStr], Field(min_length=1)]
    advertiser_role: str | None = None


@router.post("/partner/add/", openapi_extra=body_doc())
def partner_add(body: BcPartnerAdd, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """Share ad accounts (`asset_type` ADVERTISER) with a partner Business Center, whose tokens
    then act on them with `advertiser_role` ADMIN or OPERATOR; admins of the owner only."""
    partners.add(context.uow, context.clock, principal, **body.model_dump())
    return envelope.ok({})
