"""identity/*: who an ad can speak as, and the posts behind each identity."""

from __future__ import annotations

from typing import TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser, Creator
from sparkads.api.context import ContextDep
from sparkads.api.open_api import envelope, render
from sparkads.api.open_api.deps import PrincipalDep, query_advertiser, read_query
from sparkads.api.open_api.openapi_doc import body_doc, query_doc
from sparkads.api.open_api.pagination import paged
from sparkads.api.open_api.schemas import (
    IdentityCreate,
    IdentityGet,
    IdentityInfo,
    IdentityRef,
    IdentityVideoGet,
    IdentityVideoInfo,
)
from sparkads.authorizations import library_queries as library
from sparkads.authorizations.identities import (
    custom_identities,
    get_visible_identity,
    visible_identities,
)
from sparkads.authorizations.models import Identity, IdentityType
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.services import identities

router = APIRouter(prefix="/open_api/v1.3/identity", tags=["Identities"])
MAX_VIDEO_COUNT = 20
CUSTOMIZED_USER = "CUSTOMIZED_USER"


def _require_bc_id(identity_type: IdentityType | None, bc_id: str | None) -> None:
    if identity_type is IdentityType.BC_AUTH_TT and not bc_id:
        raise SparkadsError(
            "invalid_parameter",
            field="identity_authorized_bc_id",
            detail=LocalText(N_("required when identity_type is BC_AUTH_TT")),
        )


Ref = TypeVar("Ref", bound=IdentityRef)


def _named_identity(
    request: Request, session: Session, principal: PrincipalDep, model: type[Ref]
) -> tuple[Advertiser, Ref, Identity]:
    """The ad account (its access checked first), then the parameters that name an identity (and
    the endpoint's own checks of them), then that identity, if this ad account can use it."""
    advertiser = query_advertiser(request, session, principal)
    params = read_query(request, model)
    _require_bc_id(params.identity_type, params.identity_authorized_bc_id)
    params.check()
    return advertiser, params, _visible(session, advertiser, params)


def _visible(session: Session, advertiser: Advertiser, params: IdentityRef) -> Identity:
    """The identity the parameters name, if this ad account can use it."""
    return get_visible_identity(
        session,
        advertiser,
        identity_id=params.identity_id,
        identity_type=params.identity_type,
        bc_id=params.identity_authorized_bc_id,
    )


@router.get("/get/", openapi_extra=query_doc(IdentityGet))
def identity_get(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """Identities this ad account can use: AUTH_CODE (creators whose codes it applied), TT_USER
    (its linked account) and BC_AUTH_TT (accounts its Business Center has access to); and the
    CUSTOMIZED_USER identities it created (identity/create/), which ads here cannot use."""
    with context.uow() as uow:
        advertiser = query_advertiser(request, uow.session, principal)
        params = read_query(request, IdentityGet)
        wanted = params.identity_type
        custom = wanted == CUSTOMIZED_USER
        known = wanted if isinstance(wanted, IdentityType) else None
        _require_bc_id(known, params.identity_authorized_bc_id)
        base = context.settings.public_base_url
        listed = [
            render.identity(i, uow.session.get_one(Creator, i.creator_id), base=base)
            for i in ([] if custom else visible_identities(uow.session, advertiser, known))
            if params.identity_authorized_bc_id is None
            or i.bc_id == params.identity_authorized_bc_id
        ]
        if wanted in (None, CUSTOMIZED_USER) and params.identity_authorized_bc_id is None:
            listed += [
                render.custom_identity(i) for i in custom_identities(uow.session, advertiser)
            ]
        return envelope.ok(paged("identity_list", listed, params))


@router.post("/create/", openapi_extra=body_doc())
def identity_create(
    body: IdentityCreate, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """A CUSTOMIZED_USER identity (display name, optional image id). TikTok keeps these for
    non-Spark ads; ads here speak as creators, so ad/create/ refuses this identity type."""
    identity_id = identities.create_custom(
        context.uow, context.clock, principal, **body.model_dump()
    )
    return envelope.ok({"identity_id": identity_id})


@router.get("/info/", openapi_extra=query_doc(IdentityInfo))
def identity_info(request: Request, principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """One identity's details."""
    with context.uow() as uow:
        _, _, found = _named_identity(request, uow.session, principal, IdentityInfo)
        creator = uow.session.get_one(Creator, found.creator_id)
        return envelope.ok(
            {
                "identity_info": render.identity(
                    found, creator, base=context.settings.public_base_url
                )
            }
        )


@router.get("/video/get/", openapi_extra=query_doc(IdentityVideoGet))
def identity_video_get(
    request: Request, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """Posts behind an identity, newest first, paged by cursor (at most 20 per call)."""
    with context.uow() as uow:
        advertiser, params, found = _named_identity(
            request, uow.session, principal, IdentityVideoGet
        )
        rows, cursor, has_more = library.identity_posts(
            uow.session,
            advertiser=advertiser,
            identity=found,
            item_type=params.item_type.value,
            keyword=params.keyword,
            exclude_adsonly=params.exclude_adsonly,
            cursor=params.cursor,
            count=min(params.count, MAX_VIDEO_COUNT),
        )
        now, base = context.clock.now(), context.settings.public_base_url
        return envelope.ok(
            {
                "cursor": cursor,
                "has_more": has_more,
                "video_list": [render.post_info(r, base=base, now=now) for r in rows],
            }
        )


@router.get("/video/info/", openapi_extra=query_doc(IdentityVideoInfo))
def identity_video_info(
    request: Request, principal: PrincipalDep, context: ContextDep
) -> JSONResponse:
    """Details of one post (item_id) or up to 20 (item_ids) under an identity."""
    with context.uow() as uow:
        advertiser, params, found = _named_identity(
            request, uow.session, principal, IdentityVideoInfo
        )
        now, base = context.clock.now(), context.settings.public_base_url
        details = [
            render.post_info(
                library.identity_post(
                    uow.session, advertiser=advertiser, identity=found, item_id=item_id
                ),
                base=base,
                now=now,
            )
            for item_id in (params.item_ids or [params.item_id or ""])
        ]
        if params.item_id is not None:
            return envelope.ok({"video_detail": details[0]})
        return envelope.ok({"video_details": details})
