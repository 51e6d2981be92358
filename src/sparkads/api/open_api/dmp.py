"""dmp/custom_audience/*: customer file, engagement and lookalike audiences (reference §3.23).

Audiences answer in the v1.3 Audience shape; `cover_num` is the number of matched viewers, and an
audience under 1,000 of them is not `is_valid` (it cannot be targeted). `refresh/` is a sparkads
addition: it rebuilds audiences from their definition as data grows (lookalikes built on them
follow)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, TypeVar

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse

from sparkads.accounts.principal import Principal
from sparkads.api.context import AppContext, ContextDep
from sparkads.api.open_api import envelope
from sparkads.api.open_api.deps import PrincipalDep, query_advertiser_id, read_query
from sparkads.api.open_api.openapi_doc import body_doc, query_doc
from sparkads.api.open_api.pagination import paged
from sparkads.audiences.expiry import is_expired, is_expiring
from sparkads.audiences.models import MIN_TARGETABLE_SIZE, Audience, AudienceKind
from sparkads.audiences.schemas import (
    AudienceCreate,
    AudienceDelete,
    AudienceGet,
    AudienceList,
    AudienceRefresh,
    AudienceUpdate,
    CalculateType,
    LookalikeCreate,
    RuleCreate,
)
from sparkads.clock import format_tiktok_time
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.services import audiences
from sparkads.services.audiences import AudienceChange, Definition, FileAudience, FileUpload

router = APIRouter(prefix="/open_api/v1.3/dmp/custom_audience", tags=["Audiences (DMP)"])


def _message(row: Audience) -> str:
    if row.audience_type == AudienceKind.CUSTOMER_FILE.value:
        text = f"{row.size:,} of {row.submitted:,} identifiers matched"
    else:
        text = f"{row.size:,} viewers"
    if row.size < MIN_TARGETABLE_SIZE:
        text += f"; under {MIN_TARGETABLE_SIZE:,}, it cannot be targeted"
    return text


def audience(row: Audience, now: datetime) -> dict[str, object]:
    """The v1.3 Audience object."""
    definition = row.definition or {}
    expired = is_expired(row, now)
    is_rule = row.audience_type == AudienceKind.ENGAGEMENT.value
    return {
        "audience_id": row.audience_id,
        "name": row.name,
        "audience_type": row.audience_type,
        "audience_sub_type": row.audience_sub_type,
        "calculate_type": row.calculate_type,
        "cover_num": row.size,
        "shared": False,
        "is_creator": True,
        "is_valid": row.size >= MIN_TARGETABLE_SIZE and not expired,
        "is_expiring": is_expiring(row, now) and not expired,
        "is_auto_refresh": row.auto_refresh,
        "owner_id": row.advertiser_id,
        "rule": json.dumps(definition.get("rule_spec")) if is_rule else None,
        "lookalike_spec": definition if row.audience_type == AudienceKind.LOOKALIKE.value else None,
        "msg": "expired" if expired else _message(row),
        "error_msg": "",
        "create_time": format_tiktok_time(row.created_at),
        "expired_time": format_tiktok_time(row.expires_at) if row.expires_at else None,
        "refresh_time": format_tiktok_time(row.refreshed_at) if row.refreshed_at else None,
    }


def _history(row: Audience, size: int) -> list[dict[str, str]]:
    """Newest first: the creation, then the last rebuild if there was one."""
    entries = [("CREATE", row.created_at)]
    if row.refreshed_at and row.revision > 1:
        entries.append(("REFRESH", row.refreshed_at))
    return [
        {
            "action": action,
            "action_detail": action.lower(),
            "editor": "open_api",
            "msg": _message(row),
            "opt_time": format_tiktok_time(moment),
        }
        for action, moment in reversed(entries)
    ][:size]


@router.post("/file/upload/", openapi_extra=body_doc())
def file_upload(
    principal: PrincipalDep,
    context: ContextDep,
    advertiser_id: Annotated[str, Form()],
    file: Annotated[UploadFile, File(description=".txt or .csv of SHA-256 hashes")],
    file_signature: Annotated[str, Form(description="MD5 of the file")],
    calculate_type: Annotated[CalculateType | None, Form()] = None,
    caculate_type: Annotated[CalculateType | None, Form(description="bububa's spelling")] = None,
    file_name: Annotated[str | None, Form()] = None,
) -> JSONResponse:
    """Upload a file of hashed identifiers; create audiences from its `file_path`."""
    kind = calculate_type or caculate_type
    if kind is None:
        raise SparkadsError(
            "invalid_parameter", field="calculate_type", detail=LocalText(N_("Field required"))
        )
    upload = FileUpload(
        content=file.file.read(),
        signature=file_signature,
        calculate_type=kind.value,
        file_name=file_name or file.filename or "",
    )
    row = audiences.upload_file(
        context.uow, context.clock, principal, advertiser_id=advertiser_id, upload=upload
    )
    return envelope.ok(
        {
            "file_path": row.file_path,
            "identifier_count": row.hash_count,
            "rejected_lines": row.rejected_lines,
        }
    )


def _created(
    context: AppContext, principal: Principal, advertiser_id: str, definition: Definition
) -> JSONResponse:
    """Create the audience (its build reads the traffic) and answer its id, size and validity."""
    row = audiences.create(
        context.traffic_uow, context.clock, principal, advertiser_id=advertiser_id,
        definition=definition,
    )  # fmt: skip
    return envelope.ok(
        {
            "custom_audience_id": row.audience_id,
            "cover_num": row.size,
            "is_valid": row.size >= MIN_TARGETABLE_SIZE,
        }
    )


@router.post("/create/", openapi_extra=body_doc())
def create(body: AudienceCreate, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """A customer file audience: the viewers whose hashed identifier is in the files."""
    command = FileAudience(
        name=body.custom_audience_name,
        file_paths=body.file_paths,
        calculate_type=body.calculate_type.value,
        sub_type=body.audience_sub_type.value,
        retention_in_days=body.retention_in_days,
    )
    return _created(context, principal, body.advertiser_id, command)


@router.post("/rule/create/", openapi_extra=body_doc())
def rule_create(body: RuleCreate, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """An engagement audience: viewers who watched 6 s, clicked, liked, commented, shared or
    followed on this ad account's ads in the rule's look-back."""
    return _created(context, principal, body.advertiser_id, body.command())


@router.post("/lookalike/create/", openapi_extra=body_doc())
def lookalike_create(
    body: LookalikeCreate, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """A lookalike: the viewers of the locations most similar to the source audience, 1 %
    (NARROW), 5 % (BALANCED) or 10 % (BROAD) of their population, or `audience_share` %."""
    return _created(context, principal, body.advertiser_id, body.command())


Listing = TypeVar("Listing", AudienceList, AudienceGet)


def _listed(
    request: Request, principal: Principal, context: AppContext, model: type[Listing]
) -> tuple[list[Audience], Listing]:
    """The audiences named (else all the ad account's, newest first), then the parameters: they
    are read once the ad account is authorized (TikTok's order of errors), so valid by then."""
    rows = audiences.listed(
        context.uow,
        principal,
        advertiser_id=query_advertiser_id(request),
        audience_ids=lambda: read_query(request, model).custom_audience_ids,
    )
    return rows, read_query(request, model)


@router.get("/list/", openapi_extra=query_doc(AudienceList))
def list_audiences(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """This ad account's audiences, newest first."""
    rows, params = _listed(request, principal, context, AudienceList)
    now = context.clock.now()
    return envelope.ok(paged("list", rows, params, lambda r: audience(r, now)))


@router.get("/get/", openapi_extra=query_doc(AudienceGet))
def get(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """Details of up to 100 audiences, with their change history."""
    rows, params = _listed(request, principal, context, AudienceGet)
    now = context.clock.now()
    return envelope.ok(
        {
            "list": [
                {
                    "audience_details": audience(r, now),
                    "audience_history": _history(r, params.history_size),
                }
                for r in rows
            ]
        }
    )


@router.post("/refresh/", openapi_extra=body_doc())
def refresh(body: AudienceRefresh, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """sparkads: rebuild audiences from their definition (default: every auto-refresh audience)
    so they follow new events and viewers; lookalikes built on them are rebuilt after them."""
    done = audiences.refresh(
        context.traffic_uow,
        context.clock,
        principal,
        advertiser_id=body.advertiser_id,
        audience_ids=body.custom_audience_ids,
    )
    now = context.clock.now()
    return envelope.ok(
        {"custom_audience_ids": list(done), "list": [audience(r, now) for r in done.values()]}
    )


@router.post("/update/", openapi_extra=body_doc())
def update(body: AudienceUpdate, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """Rename an audience; for a customer file audience, `action` APPEND, DELETE or REPLACE with
    `file_paths` changes its identifiers (members are rebuilt, and lookalikes built on it)."""
    change = AudienceChange(
        audience_id=body.custom_audience_id,
        name=body.custom_audience_name,
        action=body.action,
        file_paths=body.file_paths,
    )
    row = audiences.update(
        context.traffic_uow,
        context.clock,
        principal,
        advertiser_id=body.advertiser_id,
        change=change,
    )
    return envelope.ok(audience(row, context.clock.now()))


@router.post("/delete/", openapi_extra=body_doc())
def delete(body: AudienceDelete, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """Delete up to 100 audiences and their members; one that a live ad group or another
    lookalike uses is refused (`audience_in_use`) and nothing is deleted."""
    audiences.delete(
        context.uow,
        principal,
        advertiser_id=body.advertiser_id,
        audience_ids=body.custom_audience_ids,
    )
    return envelope.ok({})
