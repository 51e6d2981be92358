"""report/integrated/get/: the synchronous report, in TikTok's shape (reference §3.22); and the
asynchronous one, report/task/create|check/ with its CSV download (services.report_tasks)."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from sparkads.accounts.lookups import authorize_advertiser
from sparkads.accounts.principal import Principal
from sparkads.api.context import AppContext, ContextDep
from sparkads.api.open_api import envelope
from sparkads.api.open_api.deps import PrincipalDep, read_query
from sparkads.api.open_api.openapi_doc import body_doc, query_doc
from sparkads.attributes import from_attributes
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.ids import IdStr
from sparkads.reporting.report_query import (
    FILTER_FIELDS,
    STATUS_FIELDS,
    STATUS_VALUES,
    ReportQuery,
)
from sparkads.services import report_tasks
from sparkads.services.reports import ROLLED_UP_TO_HEADER, read_report

router = APIRouter(prefix="/open_api/v1.3/report", tags=["Reports"])
MAX_FILTER_IDS = 100


class Filter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field_name: str
    filter_type: Literal[
        "IN", "MATCH", "GREATER_EQUAL", "GREATER_THAN", "LOWER_EQUAL", "LOWER_THAN", "BETWEEN"
    ]
    filter_value: str


class IntegratedReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    advertiser_id: IdStr | None = None
    advertiser_ids: Annotated[list[IdStr] | None, Field(max_length=5)] = None
    report_type: str
    data_level: str = "AUCTION_AD"
    service_type: Literal["AUCTION"] = "AUCTION"
    dimensions: Annotated[list[str], Field(min_length=1, max_length=4)]
    metrics: list[str] = ["spend", "impressions"]
    start_date: date | None = None
    end_date: date | None = None
    query_lifetime: bool = False
    enable_total_metrics: bool = False
    multi_adv_report_in_utc_time: bool = False
    filtering: list[Filter] = []
    order_field: str | None = None
    order_type: Literal["ASC", "DESC"] = "DESC"
    query_mode: Literal["REGULAR"] = "REGULAR"
    page: Annotated[int, Field(ge=1, le=100_000)] = 1
    page_size: Annotated[int, Field(ge=1, le=1000)] = 10
    # Not TikTok parameters, yet Airbyte's source sends them (`filters` with lifetime and
    # audience reports, `lifetime` with its lifetime audience report): TikTok ignores them, and so
    # does sparkads (`query_lifetime` is TikTok's lifetime switch).
    filters: object = None
    lifetime: object = None


def _array(text: str) -> object:
    """A JSON array in a string; also with its quotes escaped (`[\\"1\\"]`), as clients that
    escape twice send it and TikTok reads it."""
    for candidate in (text, text.replace('\\"', '"')):
        try:
            return json.loads(candidate)
        except json.JSONDecodeError:
            continue
    return None


def _filters(filtering: list[Filter]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Id filters, and status filters (one status each)."""
    found: dict[str, list[str]] = {}
    statuses: dict[str, str] = {}
    for item in filtering:
        known = item.field_name in FILTER_FIELDS or item.field_name in STATUS_FIELDS
        if not known or item.filter_type != "IN":
            raise SparkadsError(
                "field_not_supported", field=f"filtering {item.field_name} {item.filter_type}"
            )
        values = _array(item.filter_value)
        if not isinstance(values, list) or not all(isinstance(v, str | int) for v in values):
            raise SparkadsError(
                "invalid_parameter",
                field="filtering.filter_value",
                detail=LocalText(N_('a JSON array of ids as a string, e.g. "[\\"123\\"]"')),
            )
        if item.field_name in STATUS_FIELDS:
            if len(values) != 1 or values[0] not in STATUS_VALUES:
                raise SparkadsError(
                    "invalid_parameter",
                    field=f"filtering {item.field_name}",
                    detail=LocalText(
                        N_('one of {choices}, e.g. "[\\"STATUS_ALL\\"]"'),
                        {"choices": ", ".join(STATUS_VALUES)},
                    ),
                )
            statuses[item.field_name] = str(values[0])
            continue
        if len(values) > MAX_FILTER_IDS:
            raise SparkadsError("too_many_ids", field=item.field_name, limit=MAX_FILTER_IDS)
        found[item.field_name] = [str(v) for v in values]
    return found, statuses


def _advertiser_id(params: IntegratedReport) -> str:
    advertiser_id = params.advertiser_id or next(iter(params.advertiser_ids or []), None)
    if advertiser_id is None:
        raise SparkadsError(
            "invalid_parameter", field="advertiser_id", detail=LocalText(N_("Field required"))
        )
    if params.advertiser_ids and len(params.advertiser_ids) > 1:
        raise SparkadsError("field_not_supported", field="advertiser_ids (more than one)")
    return advertiser_id


def _prepared(params: IntegratedReport, principal: Principal, context: AppContext) -> ReportQuery:
    """Token first (40001), then the query (the rollups are kept current by the folder)."""
    advertiser_id = _advertiser_id(params)
    with context.uow() as uow:
        advertiser = authorize_advertiser(uow.session, principal, advertiser_id)
    filters, statuses = _filters(params.filtering)
    # the other parameters a `ReportQuery` takes as they are, under the same names (not `filters`
    # nor `lifetime`: those are Airbyte's, ignored; TikTok's are `filtering` and `query_lifetime`)
    return from_attributes(
        ReportQuery,
        params,
        advertiser=advertiser,
        start=params.start_date,
        end=params.end_date,
        lifetime=params.query_lifetime,
        totals=params.enable_total_metrics,
        filters=filters,
        statuses=statuses,
    )


@router.get("/integrated/get/", openapi_extra=query_doc(IntegratedReport))
def integrated_get(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """BASIC and AUDIENCE reports at advertiser, campaign, ad group and ad level, by day or hour
    (advertiser's timezone), with TikTok's metric names; numbers as strings, as TikTok sends."""
    params: IntegratedReport = read_query(request, IntegratedReport)
    answer = read_report(context.uow, context.rollups, _prepared(params, principal, context))
    response = envelope.ok(answer.data)
    # TikTok's body has no room for it: how fresh the rollups are goes in a header
    response.headers[ROLLED_UP_TO_HEADER] = answer.rolled_up_to_text
    return response


class ReportTaskCreate(IntegratedReport):
    """report/task/create/: the parameters of report/integrated/get/ (every page is kept)."""

    file_name: Annotated[str, Field(max_length=200)] = ""
    # CSV_STRING is the SDK's default; every format here is one CSV file (no XLSX)
    output_format: Literal["CSV_STRING", "CSV_DOWNLOAD", "CSV"] = "CSV_STRING"
    enable_report_title_translation: bool = False


class ReportTaskRef(BaseModel):
    model_config = ConfigDict(extra="ignore")

    advertiser_id: IdStr
    task_id: IdStr


@router.post("/task/create/", openapi_extra=body_doc())
def task_create(
    body: ReportTaskCreate, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """An asynchronous report: every row of the report as a CSV file, checked with
    report/task/check/ and downloaded from the `download_url` it gives."""
    query = _prepared(body, principal, context)
    # an asynchronous report may take its time: every event committed so far is in it
    if not context.rollups.fold_soon():  # the folder is busy or stuck: fold here
        context.rollups.fold_now()
    task_id = report_tasks.create(
        context.uow, context.clock, query, file_name=body.file_name.strip()
    )
    return envelope.ok({"task_id": task_id})


def _task_ref(request: Request, principal: Principal, context: AppContext) -> ReportTaskRef:
    params: ReportTaskRef = read_query(request, ReportTaskRef)
    with context.uow() as uow:
        authorize_advertiser(uow.session, principal, params.advertiser_id)
    return params


@router.get("/task/check/", openapi_extra=query_doc(ReportTaskRef))
def task_check(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """The task's status (SUCCESS once run), its row count and where to download its CSV."""
    ref = _task_ref(request, principal, context)
    status = report_tasks.check(context.uow, advertiser_id=ref.advertiser_id, task_id=ref.task_id)
    query = urlencode({"advertiser_id": ref.advertiser_id, "task_id": ref.task_id})
    base = (context.settings.public_base_url or str(request.base_url)).rstrip("/")
    return envelope.ok(
        {
            "task_id": status.task_id,
            "status": status.status,
            "message": status.message,
            "file_name": status.file_name,
            "output_format": "CSV",
            "total_number": status.rows,
            "download_url": f"{base}/open_api/v1.3/report/task/download/?{query}",
        }
    )


@router.get("/task/download/", openapi_extra=query_doc(ReportTaskRef))
def task_download(request: Request, principal: PrincipalDep, context: ContextDep) -> Response:
    """The task's CSV (Access-Token as for every call): dimensions then metrics, one row per
    report row; cells a spreadsheet would run as formulas are neutralised."""
    ref = _task_ref(request, principal, context)
    name, text = report_tasks.content(
        context.uow, advertiser_id=ref.advertiser_id, task_id=ref.task_id
    )
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "report"
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{safe}.csv"'},
    )
