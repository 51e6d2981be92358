"""Generated media: posters and avatars standing for posts and creators (no media files are stored
yet). The pages people use, the access link's page included, live in `sparkads.web`."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter
from fastapi.responses import Response

from sparkads.accounts.models import Creator
from sparkads.api.context import ContextDep
from sparkads.posts.models import Post
from sparkads.posts.posters import color, poster_svg

router = APIRouter(include_in_schema=False)


@router.get("/media/posts/{item_id}/poster.svg")
def poster(item_id: str, context: ContextDep) -> Response:
    """A generated poster standing for the post's first frame (no media files are stored yet)."""
    with context.uow() as uow:
        post = uow.session.get(Post, item_id)
        caption = post.caption if post else ""
    return Response(poster_svg(item_id, caption), media_type="image/svg+xml")


@router.get("/media/creators/{creator_id}/avatar.svg")
def avatar(creator_id: str, context: ContextDep) -> Response:
    with context.uow() as uow:
        creator = uow.session.get(Creator, creator_id)
        initial = creator.display_name[:1].upper() if creator else "?"
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">'
        f'<circle cx="48" cy="48" r="48" fill="{color(creator_id)}"/>'
        f'<text x="48" y="62" text-anchor="middle" fill="#fff" font-family="sans-serif" '
        f'font-size="40">{escape(initial)}</text></svg>'
    )
    return Response(svg, media_type="image/svg+xml")
