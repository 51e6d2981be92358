"""Pages for people: the page an access link (and its QR code) opens, and generated media.

The full web app (Ads Manager, Creator Studio) comes later; these pages are what links already
sent to creators must show."""

from __future__ import annotations

import hashlib
from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sparkads.accounts.models import Advertiser, BusinessCenter, Creator
from sparkads.api.context import ContextDep
from sparkads.authorizations import access
from sparkads.errors import SparkadsError
from sparkads.posts.models import Post

router = APIRouter(include_in_schema=False)

_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;
color:#161823}}h1{{font-size:1.4rem}}.box{{border:1px solid #ddd;border-radius:12px;padding:1rem}}
button{{font:inherit;padding:.5rem 1rem;border-radius:8px;border:0;background:#fe2c55;color:#fff;
cursor:pointer}}button.secondary{{background:#eee;color:#161823}}label{{display:block;margin:.5rem 0}}
input{{font:inherit;width:100%;padding:.4rem;box-sizing:border-box}}#result{{margin-top:1rem}}</style>
</head><body>{body}</body></html>"""


@router.get("/", response_class=HTMLResponse)
def home() -> RedirectResponse:
    return RedirectResponse("/docs")


@router.get("/access/{request_id}", response_class=HTMLResponse)
def access_page(request_id: str, context: ContextDep) -> HTMLResponse:
    """What a creator sees after scanning the QR code: who asks for what, and how to answer."""
    with context.uow() as uow:
        try:
            request = access.get_request(uow.session, request_id)
        except SparkadsError:
            return HTMLResponse(
                _PAGE.format(
                    title="Request not found",
                    body=(
                        "<h1>This access request does not exist</h1><p>Ask the brand for a new link.</p>"
                    ),
                ),
                status_code=404,
            )
        who = (
            uow.session.get_one(BusinessCenter, request.bc_id).name
            if request.bc_id
            else uow.session.get_one(Advertiser, request.advertiser_id).name
        )
        target = uow.session.get(Creator, request.creator_id) if request.creator_id else None
    what = (
        "use your posts in their Spark Ads"
        if request.kind == "BUSINESS_CENTER"
        else "link your account to their ad account"
    )
    body = f"""<h1>{escape(who)} asks for access to {"@" + escape(target.handle) if target else "your account"}</h1>
<div class="box"><p>If you accept, <strong>{escape(who)}</strong> can {what}. Likes, comments and
follows their ads bring stay on your posts. You can end the access at any time.</p>
{f"<p>Message: “{escape(request.message)}”</p>" if request.message else ""}
<p>Status: <strong id="status">{escape(request.status.lower())}</strong></p>
<form id="answer"><label>Your creator access token
<input id="token" name="token" autocomplete="off" required></label>
<button type="submit" data-action="accept">Accept</button>
<button type="submit" class="secondary" data-action="reject">Reject</button></form>
<div id="result" role="status"></div></div>
<script>
const form = document.getElementById('answer');
form.addEventListener('submit', async (event) => {{
  event.preventDefault();
  const action = event.submitter.dataset.action;
  const r = await fetch('/api/v1/access-requests/{escape(request.request_id)}/' + action, {{
    method: 'POST', headers: {{'Authorization': 'Bearer ' + document.getElementById('token').value}}}});
  const data = await r.json();
  document.getElementById('result').textContent = r.ok ? 'Done: ' + data.status.toLowerCase()
    : data.error.message + ' ' + data.error.solution;
  if (r.ok) document.getElementById('status').textContent = data.status.toLowerCase();
}});
</script>"""
    return HTMLResponse(_PAGE.format(title="Account access request", body=body))


def _color(seed: str) -> str:
    return "#" + hashlib.sha256(seed.encode()).hexdigest()[:6]


@router.get("/media/posts/{item_id}/poster.svg")
def poster(item_id: str, context: ContextDep) -> Response:
    """A generated poster standing for the post's first frame (no media files are stored yet)."""
    with context.uow() as uow:
        post = uow.session.get(Post, item_id)
        caption = post.caption[:60] if post else ""
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="270" height="480" viewBox="0 0 270 480">'
        f'<rect width="270" height="480" fill="{_color(item_id)}"/>'
        f'<text x="16" y="440" fill="#fff" font-family="sans-serif" font-size="14">'
        f"{escape(caption)}</text></svg>"
    )
    return Response(svg, media_type="image/svg+xml")


@router.get("/media/creators/{creator_id}/avatar.svg")
def avatar(creator_id: str, context: ContextDep) -> Response:
    with context.uow() as uow:
        creator = uow.session.get(Creator, creator_id)
        initial = creator.display_name[:1].upper() if creator else "?"
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">'
        f'<circle cx="48" cy="48" r="48" fill="{_color(creator_id)}"/>'
        f'<text x="48" y="62" text-anchor="middle" fill="#fff" font-family="sans-serif" '
        f'font-size="40">{escape(initial)}</text></svg>'
    )
    return Response(svg, media_type="image/svg+xml")
