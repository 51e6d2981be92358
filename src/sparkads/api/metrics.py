"""Operations endpoints: `/metrics` (Prometheus text format, through prometheus-client),
`/healthz` (the process answers) and `/readyz` (503 until the delivery snapshot is loaded).

What is counted where:

* on the feed path, by the handlers (`api/native/feed.py`), through pre-bound children so a
  decision pays two counter increments and one histogram observation (a few µs; measured in
  bench/README.md): decisions, slots asked and filled (fill rate = filled / requested), time in
  the decision handler, events by status (accepted / duplicate / rejected) and batch time;
* at scrape time, by `LiveCollector`, read from what the process already holds: snapshot loaded,
  version, age and size, change-feed deltas, the rollups' backlog (events not folded yet, and how
  old the oldest is: one indexed query) and the database pool.

Several `serve --workers N` processes: `serve` points prometheus-client's multiprocess mode at a
fresh directory (`PROMETHEUS_MULTIPROC_DIR`, `Settings.metrics_dir`), so counters and histograms
of every worker are summed in whichever worker answers the scrape; the live gauges are that
worker's own (each worker keeps its own snapshot, and shares the database).

`/metrics` is protected: with `SPARKADS_METRICS_TOKEN` set, it needs `Authorization: Bearer
<token>`; without it, only clients on loopback are answered (a Prometheus on the same host, or
behind a proxy that adds the token). Anything else gets `metrics_forbidden` (403)."""

from __future__ import annotations

import hmac
import ipaddress
import time
from collections.abc import Iterator
from datetime import UTC

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.pool import QueuePool

from sparkads.api.context import AppContext, ContextDep, client_address
from sparkads.api.feed_metrics import PROCESS_METRICS
from sparkads.errors import SparkadsError
from sparkads.events.models import Event
from sparkads.reporting.models import RollupState


class LiveCollector(Collector):
    """Gauges read at scrape time from this process's snapshot store and database."""

    def __init__(self, context: AppContext) -> None:
        self.context = context

    def collect(self) -> Iterator[Metric]:
        store = self.context.delivery.store
        snapshot = store.peek()
        yield _gauge(
            "sparkads_ready", "1 once the delivery snapshot is loaded.", snapshot is not None
        )
        if snapshot is not None:
            yield _gauge(
                "sparkads_snapshot_version", "Version of the live snapshot.", snapshot.version
            )
            yield _gauge(
                "sparkads_snapshot_age_seconds",
                "Seconds since the live snapshot was compiled (a delta makes a new one).",
                max(0.0, time.time() - snapshot.built_at),
            )
            yield _gauge(
                "sparkads_snapshot_adgroups", "Live ad groups in the snapshot.", snapshot.size
            )
            yield _gauge(
                "sparkads_snapshot_excluded_adgroups",
                "Enabled ad groups the snapshot leaves out (no valid ad, budget …).",
                len(store.excluded),
            )
        deltas = CounterMetricFamily(
            "sparkads_snapshot_deltas", "Snapshots made from the change feed (not full rebuilds)."
        )
        deltas.add_metric([], store.deltas)
        yield deltas
        yield from self._rollups()
        yield from self._pool()

    def _rollups(self) -> Iterator[Metric]:
        with self.context.uow() as uow:
            read = (
                uow.session.scalar(
                    select(RollupState.last_event_id).where(RollupState.name == "rollups")
                )
                or 0
            )
            unread, oldest = uow.session.execute(
                select(func.count(Event.id), func.min(Event.received_at)).where(Event.id > read)
            ).one()
        yield _gauge(
            "sparkads_rollup_unread_events",
            "Events stored but not yet folded into rollups.",
            unread,
        )
        lag = 0.0
        if oldest is not None:
            at = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)
            lag = max(0.0, (self.context.clock.now() - at).total_seconds())
        yield _gauge(
            "sparkads_rollup_lag_seconds",
            "Age of the oldest event not yet folded into rollups (0 when none is waiting).",
            lag,
        )

    def _pool(self) -> Iterator[Metric]:
        pool = self.context.uow.engine.pool
        if isinstance(pool, QueuePool):
            yield _gauge("sparkads_db_pool_size", "Connections the pool keeps.", pool.size())
            yield _gauge(
                "sparkads_db_pool_checked_out", "Connections in use now.", pool.checkedout()
            )
            yield _gauge(
                "sparkads_db_pool_overflow",
                "Connections open beyond the pool size.",
                pool.overflow(),
            )


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation)
    family.add_metric([], float(value))
    return family


def registry_for(context: AppContext) -> CollectorRegistry:
    """The registry `/metrics` renders for this app."""
    registry = CollectorRegistry(auto_describe=False)
    if context.settings.metrics_dir:
        MultiProcessCollector(registry, path=context.settings.metrics_dir)  # type: ignore[no-untyped-call]
    else:
        for metric in PROCESS_METRICS:
            registry.register(metric)
    registry.register(LiveCollector(context))
    return registry


router = APIRouter(include_in_schema=False)


@router.get("/metrics")
def metrics(request: Request, context: ContextDep) -> Response:
    """Prometheus text format; see the module docstring for who may read it."""
    settings = context.settings
    if not settings.metrics:
        raise SparkadsError("route_not_found", method="GET", path="/metrics")
    token = settings.metrics_token
    if token:
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            raise SparkadsError("metrics_forbidden", given="a wrong token" if given else "no token")
    elif not _loopback(client_address(request)):
        raise SparkadsError("metrics_forbidden", given="not on loopback")
    registry: CollectorRegistry = request.app.state.metrics_registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


@router.get("/healthz")
def healthz() -> JSONResponse:
    """The process is up and answering (no database call: a liveness probe)."""
    return JSONResponse({"status": "ok"})


@router.get("/readyz")
def readyz(context: ContextDep) -> JSONResponse:
    """Ready to serve decisions: the delivery snapshot is loaded (503 until then)."""
    snapshot = context.delivery.store.peek()
    if snapshot is None:
        return JSONResponse({"status": "starting", "snapshot_loaded": False}, status_code=503)
    return JSONResponse(
        {"status": "ready", "snapshot_loaded": True, "snapshot_version": snapshot.version}
    )


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
