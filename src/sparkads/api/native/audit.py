"""The audit log through the native API: who changed what and when, before and after, per object
or per ad account, as JSON or CSV (`services/audit.py` says who may read what)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import Response

from sparkads.api.context import ContextDep
from sparkads.api.native.deps import AnyPrincipal
from sparkads.api.native.media import answered_in
from sparkads.services import audit

router = APIRouter(prefix="/api/v1", tags=["Audit log"])


@router.get(
    "/audit",
    response_class=Response,
    responses=answered_in(
        "application/json",
        "text/csv",
        description="Entries newest first, as JSON, or as CSV (a line per changed field).",
    ),
)
def audit_log(
    who: AnyPrincipal,
    context: ContextDep,
    advertiser_id: str | None = None,
    entity: str | None = None,
    entity_id: str | None = None,
    limit: int = 1_000,
    before_id: int | None = None,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """Changes to campaigns, ad groups, ads, authorizations, access grants and roles: who
    (surface, account, person), when, and each field before and after. Advertisers and Business
    Centers name the ad account (`advertiser_id`); operators may read everything."""
    query = audit.Query(advertiser_id, entity, entity_id, limit, before_id)
    with context.uow() as uow:
        entries = audit.read(uow.session, who, query)
        if format == "csv":
            name = audit.export_name(query, "csv", context.clock.now())
            return Response(
                audit.to_csv(entries),
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="{name}"'},
            )
        return Response(audit.to_json(entries), media_type="application/json")
