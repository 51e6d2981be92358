"""tt_video/*: the advertiser's creative library of Spark posts (R10)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from sparkads.api.context import ContextDep, client_address
from sparkads.api.open_api import envelope, render
from sparkads.api.open_api.deps import PrincipalDep, query_advertiser_id, read_query
from sparkads.api.open_api.openapi_doc import body_doc, query_doc
from sparkads.api.open_api.pagination import offset, page_info
from sparkads.api.open_api.schemas import TtVideoAuthorize, TtVideoInfo, TtVideoList, TtVideoUnbind
from sparkads.services import authorizations
from sparkads.services.authorizations import LibraryQuery

router = APIRouter(prefix="/open_api/v1.3/tt_video", tags=["Spark posts (tt_video)"])


@router.post("/authorize/", openapi_extra=body_doc())
def authorize(
    body: TtVideoAuthorize, principal: PrincipalDep, context: ContextDep, request: Request
) -> JSONResponse:
    """Apply a creator's Spark code: the post joins this ad account's creative library."""
    with context.throttles.guard(
        "code", account=principal.subject_id, address=client_address(request)
    ):
        authorizations.apply_code(
            context.uow, context.clock, context.code_throttle, principal, **body.model_dump()
        )
    return envelope.ok({})


@router.get("/info/", openapi_extra=query_doc(TtVideoInfo))
def info(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """The Spark post a code put in the library, with its authorization window and identity."""
    with context.throttles.guard(
        "code", account=principal.subject_id, address=client_address(request)
    ):
        spark = authorizations.code_info(
            context.uow,
            context.clock,
            principal,
            advertiser_id=query_advertiser_id(request),
            auth_code=lambda: read_query(request, TtVideoInfo).auth_code,
        )
    auth_code = read_query(request, TtVideoInfo).auth_code  # valid by now
    data = render.spark_post(
        spark,
        base=context.settings.public_base_url,
        now=context.clock.now(),
        auth_code=auth_code.strip(),
    )
    return envelope.ok(data)


@router.get("/list/", openapi_extra=query_doc(TtVideoList))
def list_posts(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """Posts authorized to this ad account, filtered by type and keyword (text or item id)."""

    def query() -> LibraryQuery:  # read once the ad account is authorized
        params = read_query(request, TtVideoList)
        return LibraryQuery(
            item_types=[t.value for t in params.item_types],
            keyword=params.keyword,
            offset=offset(params.page, params.page_size),
            limit=params.page_size,
        )

    rows, total = authorizations.library_page(
        context.uow, principal, advertiser_id=query_advertiser_id(request), query=query
    )
    params = read_query(request, TtVideoList)  # valid by now
    now, base = context.clock.now(), context.settings.public_base_url
    return envelope.ok(
        {
            "list": [render.spark_post(row, base=base, now=now) for row in rows],
            "page_info": page_info(params.page, params.page_size, total),
        }
    )


@router.post("/unbind/", openapi_extra=body_doc())
def unbind(body: TtVideoUnbind, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """Remove a post from the library (typically once its authorization expired or was revoked)."""
    authorizations.unbind(context.uow, context.clock, principal, **body.model_dump())
    return envelope.ok({})
