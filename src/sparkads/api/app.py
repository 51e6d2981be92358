"""The ASGI application: one FastAPI app serving the open API, the native API and pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sparkads import __version__
from sparkads.api import docs, pages
from sparkads.api import metrics as operations
from sparkads.api.body_limits import BodyLimitMiddleware
from sparkads.api.context import AppContext
from sparkads.api.error_responses import error_response
from sparkads.api.feed_lane import PATH as DECISIONS_PATH
from sparkads.api.feed_lane import DecisionLane
from sparkads.api.native import feed as native_feed
from sparkads.api.native import router as native_router
from sparkads.api.open_api import envelope
from sparkads.api.open_api import router as open_api_router
from sparkads.api.request_log import RequestLogMiddleware, configure_json_logging
from sparkads.api.security_headers import SecurityHeadersMiddleware
from sparkads.api.validation import validation_error
from sparkads.clock import Clock, SystemClock, TestClock
from sparkads.config import Settings
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.errors import SparkadsError
from sparkads.events.warmup import warm_counters
from sparkads.traffic import store as traffic_store
from sparkads.web.router import router as web_router
from sparkads.web.routing import error_page, is_page_path

DESCRIPTION = """
sparkads serves two APIs:

* **TikTok Marketing API v1.3, Spark subset** under `/open_api/v1.3/…/` — same paths, parameters,
  envelope `{code, message, request_id, data}` and numeric codes as TikTok's, authenticated with the
  `Access-Token` header. Point an existing TikTok client at this server.
* **Native API** under `/api/v1/…` for creators, Business Centers, feeds and operators,
  authenticated with `Authorization: Bearer <token>`, with HTTP statuses and
  `{"error": {"code", "message", "cause", "solution"}}` bodies.

Errors are answered in English or French following `Accept-Language`.
"""


def create_app(settings: Settings, clock: Clock | None = None) -> SparkadsApp:
    clock = clock or (TestClock() if settings.sandbox else SystemClock())
    if not settings.public_base_url:
        settings = settings.with_(public_base_url="http://127.0.0.1:8000")
    engine = make_engine(settings.database_url)
    context = AppContext.build(settings, clock, UnitOfWorkFactory(engine))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Budgets, caps and predictions carry on from what is durable; then keep the snapshot
        # fresh in the background.
        with context.uow() as uow:
            warm_counters(uow.session, context.delivery.counters, context.clock)
        follower = None
        if settings.background_refresh:
            context.delivery.store.start()
            follower = traffic_store.warm(
                context.uow, context.clock, settings.traffic_checkpoints()
            )  # and saves the traffic it holds for the next start
            context.rollups.start()  # reports read rollups this keeps current
        context.traffic.start()
        yield
        context.traffic.stop()
        if follower is not None:
            follower.stop()
        context.rollups.stop()
        context.delivery.store.stop()
        engine.dispose()

    app = SparkadsApp(
        title="sparkads",
        version=__version__,
        description=DESCRIPTION,
        redirect_slashes=False,
        lifespan=lifespan,
        docs_url=None,  # served offline by api/docs.py
        redoc_url=None,
    )
    app.state.context = context
    app.state.metrics_registry = operations.registry_for(context)
    app.include_router(operations.router)
    app.include_router(open_api_router.router)
    app.include_router(native_router.router)
    app.include_router(pages.router)
    app.include_router(docs.router)
    app.include_router(web_router)
    _install_error_handlers(app)
    app.add_middleware(Surfaces, feed=_feed_app(context), context=context)
    app.add_middleware(BodyLimitMiddleware)  # before anything reads a body
    app.add_middleware(SecurityHeadersMiddleware)  # on every answer, 413s included
    if settings.log_format == "json":
        configure_json_logging()
    app.front(DecisionLane(app.stack, context), log_requests=settings.log_format == "json")
    return app


class SparkadsApp(FastAPI):
    """The FastAPI app with a front door, pure ASGI: `POST /api/v1/feed/decisions` goes to the
    lean lane (`feed_lane.py`) before FastAPI's middleware stack (error, telemetry and body-limit
    layers, the security headers, `Surfaces`), which the lane falls back to for anything it does
    not answer; with JSON logs, every request is logged and given its id here, in front of both."""

    _entry: ASGIApp | None = None
    lane: ASGIApp | None = None  # the decision lane (`front`), in front of `stack`

    def front(self, lane: ASGIApp, log_requests: bool) -> None:
        self.lane = lane
        self._entry = RequestLogMiddleware(self._dispatch) if log_requests else self._dispatch

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await (self._entry or self.stack)(scope, receive, send)

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.lane is not None and scope["type"] == "http" and scope["path"] == DECISIONS_PATH:
            await self.lane(scope, receive, send)
        else:
            await self.stack(scope, receive, send)

    async def stack(self, scope: Scope, receive: Receive, send: Send) -> None:
        """FastAPI's own entry: its middleware stack, routes and lifespan."""
        await super().__call__(scope, receive, send)


def app_from_environment() -> FastAPI:
    """The app of one `serve --workers N` process, from the settings the CLI passed down."""
    return create_app(Settings.from_env())


def _feed_app(context: AppContext) -> FastAPI:
    """The feed's own small app: a decision or an event batch is matched against the four feed
    routes, not the ~140 of every surface. Same routes, dependencies and errors as in the main
    app (where they stay, for the OpenAPI document)."""
    feed = FastAPI(redirect_slashes=False, openapi_url=None, docs_url=None, redoc_url=None)
    feed.state.context = context
    feed.include_router(native_feed.router)
    _install_error_handlers(feed)
    return feed


# Requests a feed sends, at volume: served by the feed app.
FEED_PATHS = frozenset({"/api/v1/feed/decisions", "/api/v1/events"})
# Writes that cannot change which ads are live: the change feed is not read sooner after them.
_HOT_PATHS = ("/api/v1/feed/", "/api/v1/events", "/api/v1/conversions")


class Surfaces:
    """The one middleware, pure ASGI (no `BaseHTTPMiddleware`: no task, no stream wrapping per
    request). It sends feed requests to the feed app (decisions the lean lane in front of the app
    did not answer, `SparkadsApp`); accepts TikTok paths without their final
    '/' rather than redirecting; and after a successful write elsewhere (campaigns, codes, posts,
    the sandbox clock) asks the snapshot store to read the change feed at once."""

    def __init__(self, app: ASGIApp, feed: ASGIApp, context: AppContext) -> None:
        self.app, self.feed, self.store = app, feed, context.delivery.store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path in FEED_PATHS:
            await self.feed(scope, receive, send)
            return
        if path.startswith("/open_api/") and not path.endswith("/"):
            scope["path"] = path + "/"
        if scope["method"] == "GET" or path.startswith(_HOT_PATHS):
            await self.app(scope, receive, send)
            return
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, receive, sending)
        if status < 400:
            self.store.mark_dirty()


def _render(request: Request, error: SparkadsError) -> JSONResponse:
    return error_response(error, request.url.path, request.headers.get("accept-language"))


def _install_error_handlers(app: FastAPI) -> None:
    async def on_domain_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, SparkadsError)
        return _render(request, exc)

    async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return _render(request, validation_error(exc.errors()))

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code in (404, 405):
            path = request.url.path
            if is_page_path(path):  # a person's browser: an HTML page, in their language
                return error_page(request, SparkadsError("page_not_found", path=path), 404)
            return _render(
                request, SparkadsError("route_not_found", method=request.method, path=path)
            )
        return _render(
            request, SparkadsError("invalid_parameter", field="request", detail=str(exc.detail))
        )

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        request_id = envelope.new_request_id()
        return _render(request, SparkadsError("internal_error", request_id=request_id))

    app.add_exception_handler(SparkadsError, on_domain_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)
