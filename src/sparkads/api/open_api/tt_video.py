"""tt_video/*: the advertiser's creative library of Spark posts (R10)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from sparkads.accounts.service import authorize_advertiser
from sparkads.api.context import ContextDep, client_address
from sparkads.api.open_api import envelope, render
from sparkads.api.open_api.deps import PrincipalDep, query_advertiser, read_query
from sparkads.api.open_api.openapi_doc import body_doc, query_doc
from sparkads.api.open_api.pagination import offset, page_info
from sparkads.api.open_api.schemas import TtVideoAuthorize, TtVideoInfo, TtVideoList, TtVideoUnbind
from sparkads.authorizations import library

router = APIRouter(prefix="/open_api/v1.3/tt_video", tags=["Spark posts (tt_video)"])


@router.post("/authorize/", openapi_extra=body_doc())
def authorize(
    body: TtVideoAuthorize, principal: PrincipalDep, context: ContextDep, request: Request
) -> JSONResponse:
    """Apply a creator's Spark code: the post joins this ad account's creative library."""
    with (
        context.throttles.guard(
            "code", account=principal.subject_id, address=client_address(request)
        ),
        context.uow() as uow,
    ):
        advertiser = authorize_advertiser(uow.session, principal, body.advertiser_id)
        library.apply_code(
            uow.session,
            context.clock,
            context.code_throttle,
            advertiser=advertiser,
            auth_code=body.auth_code,
            original_post_auth_code=body.original_post_auth_code,
        )
        uow.commit()
    return envelope.ok({})


@router.get("/info/", openapi_extra=query_doc(TtVideoInfo))
def info(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """The Spark post a code put in the library, with its authorization window and identity."""
    with (
        context.throttles.guard(
            "code", account=principal.subject_id, address=client_address(request)
        ),
        context.uow() as uow,
    ):
        advertiser = query_advertiser(request, uow.session, principal)
        params = read_query(request, TtVideoInfo)
        spark = library.info_by_code(
            uow.session, context.clock, advertiser=advertiser, auth_code=params.auth_code
        )
        data = render.spark_post(
            spark,
            base=context.settings.public_base_url,
            now=context.clock.now(),
            auth_code=params.auth_code.strip(),
        )
    return envelope.ok(data)


@router.get("/list/", openapi_extra=query_doc(TtVideoList))
def list_posts(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """Posts authorized to this ad account, filtered by type and keyword (text or item id)."""
    with context.uow() as uow:
        advertiser = query_advertiser(request, uow.session, principal)
        params = read_query(request, TtVideoList)
        rows, total = library.list_library(
            uow.session,
            advertiser=advertiser,
            item_types=[t.value for t in params.item_types],
            keyword=params.keyword,
            offset=offset(params.page, params.page_size),
            limit=params.page_size,
        )
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
    with context.uow() as uow:
        advertiser = authorize_advertiser(uow.session, principal, body.advertiser_id)
        library.unbind(uow.session, context.clock, advertiser=advertiser, item_id=body.item_id)
        uow.commit()
    return envelope.ok({})
