"""Where the web app turns errors into responses. Its own route class: a domain error or a web
problem raised anywhere in a page (dependencies included) becomes an HTML page with its cause and
solution in the page's language, never the JSON the APIs answer; a Redirect becomes a 303. A
form's route marked `shows_errors_on(page)` shows a domain error its body raises on that page
instead (the form again, with the error), with no try/except of its own."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine
from typing import ParamSpec

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute

from sparkads.errors import SparkadsError
from sparkads.web.session import Form, PageError, Redirect, Web, web_context

P = ParamSpec("P")
FormPage = Callable[[Web, SparkadsError, Form], Response]


def shows_errors_on(page: FormPage) -> Callable[[Callable[P, Response]], Callable[P, Response]]:
    """Mark a form's route: a SparkadsError raised by its body is answered by `page(web, error,
    form)`; those raised by its dependencies (who is signed in, the CSRF check) get the error
    page."""

    def mark(endpoint: Callable[P, Response]) -> Callable[P, Response]:
        assert not inspect.iscoroutinefunction(endpoint), "form routes run in the thread pool"

        @functools.wraps(endpoint)
        def answer(*args: P.args, **kwargs: P.kwargs) -> Response:
            try:
                return endpoint(*args, **kwargs)
            except SparkadsError as error:
                given = (*args, *kwargs.values())
                web = next(v for v in given if isinstance(v, Web))
                return page(web, error, next(v for v in given if isinstance(v, Form)))

        return answer

    return mark


def _web(request: Request) -> Web:
    cached = getattr(request.state, "web", None)
    if isinstance(cached, Web):
        return cached
    return web_context(request, request.app.state.context)


class WebRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[object, object, Response]]:
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
