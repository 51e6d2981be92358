"""The */get/ conventions shared by campaigns, ad groups and ads: filtering, primary status,
pagination, `fields` and `exclude_field_types_in_response`, on rendered objects."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.accounts.principal import Principal
from sparkads.api.context import AppContext
from sparkads.api.open_api import envelope
from sparkads.api.open_api.deps import query_advertiser, read_query
from sparkads.api.open_api.pagination import offset, paged
from sparkads.api.open_api.wire import GetParams
from sparkads.clock import Clock
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText

Row = dict[str, Any]
T = TypeVar("T")
Filter = Callable[[Row, Any], bool]
# fields a listing adds to some rendered rows at once (an ad group's delivery): to the page's
# rows only, unless a criterion reads them (`_reads_late`)
Late = Callable[[Session, list[Row]], None]
MAX_FILTER_IDS = 100


def ids_filter(key: str) -> Filter:
    return lambda row, ids: row[key] in {str(i) for i in _id_list(key, ids)}


def _id_list(key: str, ids: Any) -> list[Any]:
    values = ids if isinstance(ids, list) else [ids]
    if len(values) > MAX_FILTER_IDS:
        raise SparkadsError("too_many_ids", field=f"filtering.{key}s", limit=MAX_FILTER_IDS)
    return values


def name_filter(key: str) -> Filter:
    return lambda row, text: str(text).lower() in str(row[key]).lower()


def equals(key: str) -> Filter:
    return lambda row, value: row.get(key) == value


def one_of(key: str) -> Filter:
    return lambda row, values: row.get(key) in (values if isinstance(values, list) else [values])


def _deleted(row: Row) -> bool:
    return row["operation_status"] == "DELETE" or str(row.get("secondary_status", "")).endswith(
        "_DELETE"
    )


def _primary(row: Row, status: str) -> bool:
    deleted = _deleted(row)
    secondary = str(row.get("secondary_status", ""))
    delivering = secondary.endswith(("DELIVERY_OK", "CAMPAIGN_STATUS_ENABLE"))
    if row.get("primary_status") is not None:  # an ad group's delivery, from facts
        delivering = row["primary_status"] == "STATUS_DELIVERY_OK"
    checks: dict[str, bool] = {
        "STATUS_ALL": True,
        "STATUS_NOT_DELETE": not deleted,
        "STATUS_DELETE": deleted,
        "STATUS_DELIVERY_OK": delivering,
        "STATUS_DISABLE": row["operation_status"] == "DISABLE",
        "STATUS_NOT_DELIVERY": not deleted and not delivering,
        "STATUS_TIME_DONE": secondary.endswith(("TIME_DONE", "AD_STATUS_DONE")),
        # states sparkads has no way into (reach & frequency, frozen accounts, catalogs): none
        "STATUS_RF_CLOSED": False,
        "STATUS_FROZEN": False,
        "STATUS_DELIVERY_PARTIAL": False,
        "STATUS_DELIVERY_CATALOG": False,
    }
    if status not in checks:
        raise SparkadsError("field_not_supported", field=f"filtering.primary_status={status}")
    return checks[status]


SECONDARY_PREFIXES = ("CAMPAIGN_STATUS_", "ADGROUP_STATUS_", "AD_STATUS_")


def _secondary(row: Row, status: Any) -> bool:
    """TikTok's secondary statuses: `*_STATUS_ALL` is every object, deleted ones too;
    `*_STATUS_NOT_DELETE` every live one; `*_STATUS_DELETE` every deleted one (also through its
    campaign or ad group); any other value is that exact status."""
    value = str(status)
    kind = next((p for p in SECONDARY_PREFIXES if value.startswith(p)), None)
    rest = value.removeprefix(kind) if kind else ""
    if rest == "ALL":
        return True
    if rest == "NOT_DELETE":
        return not _deleted(row)
    if rest == "DELETE":
        return _deleted(row)
    return bool(row.get("secondary_status") == value)


def _shows_deleted(criteria: dict[str, Any]) -> bool:
    """A secondary status that names deleted objects lifts the default `STATUS_NOT_DELETE`."""
    value = str(criteria.get("secondary_status") or "")
    return value.endswith(("_STATUS_ALL", "_DELETE"))


COMMON: dict[str, Filter] = {
    "primary_status": _primary,
    "secondary_status": _secondary,
    "creation_filter_start_time": lambda row, t: row["create_time"] >= str(t),
    "creation_filter_end_time": lambda row, t: row["create_time"] <= str(t),
    "modified_after": lambda row, t: row["modify_time"] >= str(t),
    "buying_types": lambda row, values: "AUCTION" in values,
    "campaign_system_origins": lambda row, values: "TT_ADS_PLATFORM" in values,
    "campaign_ids": ids_filter("campaign_id"),
    "objective_type": equals("objective_type"),
}


def in_language(
    render: Callable[[Session, Clock, T, str], Row], lang: str
) -> Callable[[Session, Clock, T], Row]:
    """A row renderer writing its texts (warnings) in the request's language, for `get_page`."""
    return lambda session, clock, row: render(session, clock, row, lang)


def get_page(
    request: Request,
    principal: Principal,
    context: AppContext,
    filters: dict[str, Filter],
    rows: Callable[[Session, str], Iterable[T]],
    render: Callable[[Session, Clock, T], Row],
    late: Late | None = None,
) -> JSONResponse:
    """A */get/ answer: the advertiser checked, the parameters read, the advertiser's `rows`
    rendered, filtered and paged (with their `late` fields, see `select_page`)."""
    with context.uow() as uow:
        advertiser: Advertiser = query_advertiser(request, uow.session, principal)
        params = read_query(request, GetParams)
        params.check_fields()
        rendered = [
            render(uow.session, context.clock, row)
            for row in rows(uow.session, advertiser.advertiser_id)
        ]
        return envelope.ok(select_page(rendered, params, filters, late, uow.session))


def select_page(
    rows: Sequence[Row],
    params: GetParams,
    filters: dict[str, Filter],
    late: Late | None = None,
    session: Session | None = None,
) -> Row:
    """The page of the `rows` the criteria keep; the `late` fields are added (in `session`) to
    the page's rows only, or to every row first when a criterion reads them."""
    available = {**COMMON, **filters}
    default = "STATUS_ALL" if _shows_deleted(params.filtering) else "STATUS_NOT_DELETE"
    criteria = {"primary_status": default, **params.filtering}
    for key in criteria:
        if key not in available:
            raise SparkadsError("field_not_supported", field=f"filtering.{key}")
    if late is not None and session is not None and _reads_late(criteria):
        late(session, list(rows))
        late = None
    kept = [
        row
        for row in rows
        if all(available[key](row, value) for key, value in criteria.items() if value is not None)
    ]
    if late is not None and session is not None:
        start = offset(params.page, params.page_size)
        late(session, kept[start : start + params.page_size])
    return paged("list", kept, params, lambda row: _shape(row, params))


def _reads_late(criteria: dict[str, Any]) -> bool:
    """Whether a criterion reads a delivery: a primary status delivering or not, or an exact
    secondary status (the deleted or not ones only read the configuration)."""
    primary = criteria.get("primary_status")
    secondary = criteria.get("secondary_status")
    exact = secondary is not None and not str(secondary).endswith(
        ("_STATUS_ALL", "_STATUS_NOT_DELETE", "_STATUS_DELETE")
    )
    return primary in ("STATUS_DELIVERY_OK", "STATUS_NOT_DELIVERY") or exact


def _shape(row: Row, params: GetParams) -> Row:
    if params.fields:
        unknown = [f for f in params.fields if f not in row]
        if unknown:
            raise SparkadsError(
                "invalid_parameter",
                field="fields",
                detail=LocalText(N_("unknown field(s): {fields}"), {"fields": ", ".join(unknown)}),
            )
        row = {f: row[f] for f in params.fields}
    if params.exclude_field_types_in_response and "NULL_FIELD" in (
        params.exclude_field_types_in_response
    ):
        row = {k: v for k, v in row.items() if v is not None}
    return row
