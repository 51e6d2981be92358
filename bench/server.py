"""The real app under uvicorn, for the HTTP benchmark: `python -m bench.server URL PORT`.

It adds two routes to this process's app only (src is not changed), both synchronous like the
decision endpoint, so they run through the same middleware and thread pool:
- POST /api/v1/feed/bench-noop: returns a constant, reads nothing: the no-op baseline;
- POST /api/v1/feed/bench-auth-noop: the feed token check (the decision endpoint's dependency,
  one database read), then a constant: to split the decision cost into auth and decide.
Both sit under /api/v1/feed/ because the app marks the delivery snapshot stale after every non-GET
request outside its hot paths; elsewhere the no-op would force a snapshot rebuild on the next
decision."""

from __future__ import annotations

import os
import sqlite3
import sys

import uvicorn

import sparkads.db.engine
from sparkads.api.app import create_app
from sparkads.api.native.deps import FeedPrincipal
from sparkads.config import Settings

NOOP = "/api/v1/feed/bench-noop"
AUTH_NOOP = "/api/v1/feed/bench-auth-noop"


def main() -> None:
    url, port = sys.argv[1], int(sys.argv[2])
    # --fd=N: accept on a listening socket the benchmark opened (several processes share it)
    fd = next((int(a.removeprefix("--fd=")) for a in sys.argv[3:] if a.startswith("--fd=")), None)
    # the durability comparison runs the same server with synchronous=NORMAL
    sparkads.db.engine.SQLITE_SYNCHRONOUS = os.environ.get("SPARKADS_BENCH_SYNCHRONOUS", "FULL")
    if os.environ.get("SPARKADS_BENCH_BUSY_HANDLER") == "1":  # writers as before db.write_lock
        sparkads.db.engine.SQLITE_CONNECTION = sqlite3.Connection
    settings = Settings(
        database_url=url,
        public_base_url=f"http://127.0.0.1:{port}",
        sandbox=False,
        seed=7,
        # the events benchmark runs the store as `sparkads serve` does (the snapshot compiled in the
        # background at start, so billing finds its ad groups there, not in the database)
        background_refresh=os.environ.get("SPARKADS_BENCH_REFRESH") == "1",
        keys_json=os.environ.get("SPARKADS_KEYS", ""),  # the events benchmark signs its own tokens
    )
    app = create_app(settings)

    def noop() -> dict[str, bool]:
        return {"ok": True}

    def auth_noop(who: FeedPrincipal) -> dict[str, bool]:
        return {"ok": True}

    app.add_api_route(NOOP, noop, methods=["POST"], include_in_schema=False)
    app.add_api_route(AUTH_NOOP, auth_noop, methods=["POST"], include_in_schema=False)
    if fd is not None:
        uvicorn.run(app, fd=fd, log_level="warning", access_log=False)
    else:
        uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
