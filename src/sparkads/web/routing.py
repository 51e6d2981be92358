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
from sparkads.web.session import PageError, Redirect, Web, web_context


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


def web_router() -> APIRouter:
    return APIRouter(route_class=WebRoute, include_in_schema=False)
