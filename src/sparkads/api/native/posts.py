"""Creator endpoints: publish and manage posts, enable and revoke ad authorization (R7, R9)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from sparkads.api.context import ContextDep
from sparkads.api.native.deps import CreatorPrincipal
from sparkads.api.native.schemas import (
    AuthorizationCreate,
    AuthorizationCreated,
    AuthorizationRead,
    HistoryEntry,
    PostPage,
    PostRead,
)
from sparkads.api.native.views import authorization_read, post_read
from sparkads.clock import as_utc
from sparkads.errors import negotiate_language
from sparkads.posts.schemas import PostCreate, PostUpdate
from sparkads.services import authorizations, posts

router = APIRouter(prefix="/api/v1", tags=["Creators: posts and Spark codes"])


@router.post("/posts", status_code=201)
def publish_post(body: PostCreate, who: CreatorPrincipal, context: ContextDep) -> PostRead:
    """Publish a post (video or carousel; standard, story, duet, stitch or carousel duet)."""
    return post_read(
        posts.publish(context.uow, context.clock, creator_id=who.subject_id, data=body.command())
    )


@router.get("/posts")
def list_posts(
    who: CreatorPrincipal,
    context: ContextDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
    include_deleted: bool = False,
) -> PostPage:
    rows, total = posts.own_posts(
        context.uow,
        creator_id=who.subject_id,
        include_deleted=include_deleted,
        offset=(page - 1) * page_size,
        limit=page_size,
    )
    return PostPage(posts=[post_read(p) for p in rows], total=total, page=page, page_size=page_size)


@router.get("/posts/{item_id}")
def get_post(item_id: str, who: CreatorPrincipal, context: ContextDep) -> PostRead:
    return post_read(posts.own_post(context.uow, creator_id=who.subject_id, item_id=item_id))


@router.get("/posts/{item_id}/history")
def post_history(item_id: str, who: CreatorPrincipal, context: ContextDep) -> list[HistoryEntry]:
    found = posts.own_post_history(context.uow, creator_id=who.subject_id, item_id=item_id)
    return [HistoryEntry(at=as_utc(h.at), kind=h.kind, detail=h.detail) for h in found.history]


@router.patch("/posts/{item_id}")
def edit_post(
    item_id: str, body: PostUpdate, who: CreatorPrincipal, context: ContextDep
) -> PostRead:
    """Edit caption, visibility or anchors. The caption is locked once the post is authorized."""
    post = posts.edit(
        context.uow,
        context.clock,
        creator_id=who.subject_id,
        item_id=item_id,
        update=body.command(),
    )
    return post_read(post)


@router.delete("/posts/{item_id}", status_code=204)
def delete_post(item_id: str, who: CreatorPrincipal, context: ContextDep) -> Response:
    posts.delete(context.uow, context.clock, creator_id=who.subject_id, item_id=item_id)
    return Response(status_code=204)


@router.post("/posts/{item_id}/authorizations", status_code=201)
def enable_authorization(
    item_id: str,
    body: AuthorizationCreate,
    who: CreatorPrincipal,
    context: ContextDep,
    request: Request,
) -> AuthorizationCreated:
    """Creator tools → ad authorization: a code valid 7, 30, 60 or 365 days, bound to this post.
    The code is shown only in this response; warnings say why a brand would still be refused."""
    lang = negotiate_language(request.headers.get("accept-language"))
    issued = authorizations.generate_code(
        context.uow,
        context.clock,
        creator_id=who.subject_id,
        item_id=item_id,
        duration_days=body.duration_days,
    )
    read = authorization_read(issued.row, context.clock.now())
    return AuthorizationCreated(
        **read.model_dump(),
        auth_code=issued.code,
        warnings=[w.render(lang) for w in issued.warnings],
    )


@router.get("/posts/{item_id}/authorizations")
def list_post_authorizations(
    item_id: str, who: CreatorPrincipal, context: ContextDep
) -> list[AuthorizationRead]:
    rows = authorizations.codes(context.uow, creator_id=who.subject_id, item_id=item_id)
    now = context.clock.now()
    return [authorization_read(r, now) for r in rows]


@router.get("/authorizations")
def list_authorizations(who: CreatorPrincipal, context: ContextDep) -> list[AuthorizationRead]:
    now = context.clock.now()
    return [
        authorization_read(r, now)
        for r in authorizations.codes(context.uow, creator_id=who.subject_id)
    ]


@router.delete("/authorizations/{auth_code}")
def revoke_authorization(
    auth_code: str, who: CreatorPrincipal, context: ContextDep
) -> AuthorizationRead:
    """Revoke by the code or its authorization_id; ads using it stop being delivered."""
    row = authorizations.revoke_code(
        context.uow, context.clock, creator_id=who.subject_id, ref=auth_code
    )
    return authorization_read(row, context.clock.now())
