"""Where the web app turns errors into responses: its own route class. A domain error or a web
problem raised anywhere in a page (dependencies included) becomes an HTML page with its cause and
solution in the page's language, never the JSON the APIs answer; a Redirect becomes a 303. A form
refused this way goes back to the page it was sent from (POST-redirect-GET), where the problem is
shown once. The few forms that must come back filled in (sign-in, publish, paste a code, ...) are
marked `shows_errors_on(page)`: a domain error their body raises is shown on that page instead (the
form again, with the error, status 400), with no try/except of their own."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine
from typing import ParamSpec
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute

from sparkads.errors import SparkadsError
from sparkads.web.forms import Form
from sparkads.web.problems import PageError, Redirect, safe_next
from sparkads.web.session import Web, WebDep, web_context

P = ParamSpec("P")
FormPage = Callable[[Web, SparkadsError, Form], Response]


def shows_errors_on(page: FormPage) -> Callable[[Callable[P, Response]], Callable[P, Response]]:
    """Mark a form's route: a SparkadsError raised by its body is answered by `page(web, error,
    form)` (the form again, filled in, or `back_to` a page; a GET form's fields are its query);
    those raised by its dependencies (who is signed in, the CSRF check), or raised again by
    `page` (it checks who may see it, as the route did), are answered by the route class."""

    def mark(endpoint: Callable[P, Response]) -> Callable[P, Response]:
        assert not inspect.iscoroutinefunction(endpoint), "form routes run in the thread pool"

        @functools.wraps(endpoint)
        def answer(*args: P.args, **kwargs: P.kwargs) -> Response:
            try:
                return endpoint(*args, **kwargs)
            except SparkadsError as error:
                given = (*args, *kwargs.values())
                web = next(v for v in given if isinstance(v, Web))
                form = next((v for v in given if isinstance(v, Form)), None)
                return page(web, error, form or Form(web.request.query_params.multi_items()))

        return answer

    return mark


def _go_back(web: Web, error: SparkadsError | PageError, page: str) -> Response:
    web.flash_problem(error)  # POST-redirect-GET, refusals included: shown once on the page
    return web.redirect(page)


def back_to(page: str) -> FormPage:
    """For `shows_errors_on`: a refusal goes back to `page` (a path, formatted with the route's
    path parameters) with the problem, even when the browser sent no Referer."""

    def answer(web: Web, error: SparkadsError, form: Form) -> Response:
        return _go_back(web, error, page.format(**web.request.path_params))

    return answer


def _web(request: Request) -> Web:
    cached = getattr(request.state, "web", None)
    if isinstance(cached, Web):
        return cached
    return web_context(request, request.app.state.context)


FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _form_page(request: Request) -> str | None:
    """The page a refused form was sent from (same site), to go back to with its problem; None
    for anything but a browser's form (a script's JSON keeps its error answer)."""
    if request.method != "POST" or not request.headers.get("content-type", "").startswith(FORMS):
        return None
    sent_from = urlsplit(request.headers.get("referer", ""))
    if sent_from.netloc != request.url.netloc or sent_from.path == request.url.path:
        return None
    return (
        safe_next(sent_from.path + (f"?{sent_from.query}" if sent_from.query else ""), "") or None
    )


class WebRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[object, object, Response]]:
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                return await handler(request)
            except Redirect as redirect:
                return RedirectResponse(redirect.url, status_code=303)
            except (SparkadsError, PageError) as error:
                web = _web(request)
                back = _form_page(request)
                if back is None:
                    return web.error_page(error)
                return _go_back(web, error, back)

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


def shows_page(router: APIRouter, path: str, page: Callable[[Web], Response]) -> None:
    """GET `path` answers `page(web)`: a page whose forms, when refused, render it again with
    the error (its `shows_errors_on` answer calls `page` with a status and the form's values)."""

    def show(web: WebDep) -> Response:
        return page(web)

    router.add_api_route(path, show, methods=["GET"], name=page.__name__)
