"""The web app's own route class: a domain error or a web problem raised anywhere in a page
(dependencies included) becomes an HTML page with its cause and solution in the page's language,
never the JSON the APIs answer; a Redirect becomes a 303."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute

from sparkads.errors import SparkadsError
from sparkads.web.problems import PageError, Redirect
from sparkads.web.session import Web, web_context


def _web(request: Request) -> Web:
    cached = getattr(request.state, "web", None)
    if isinstance(cached, Web):
        return cached
    return web_context(request, request.app.state.context)


class WebRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                return await handler(request)
            except Redirect as redirect:
                return RedirectResponse(redirect.url, status_code=303)
            except (SparkadsError, PageError) as error:
                return _web(request).error_page(error)

        return page


# Paths answered by the APIs and machines: their errors stay JSON (or plain text for assets).
MACHINE_PATHS = ("/open_api/", "/api/", "/openapi.json", "/static/", "/media/", "/docs/assets/")


def is_page_path(path: str) -> bool:
    """Whether an unknown path belongs to the web app, which answers people with an HTML page."""
    return not path.startswith(MACHINE_PATHS)


def error_page(request: Request, error: SparkadsError, status: int) -> Response:
    """The web app's error page (in the reader's language) for a path no route matched."""
    return _web(request).error_page(error, status)


def web_router() -> APIRouter:
    return APIRouter(route_class=WebRoute, include_in_schema=False)
