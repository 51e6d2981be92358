"""Settings read once from the environment; nothing else in the package reads os.environ."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy.engine import make_url

DEFAULT_VAR_DIR = Path("var")


def _flag(value: str) -> bool:
    return value.lower() in {"1", "true", "yes", "on"}


def _default_database_url() -> str:
    return f"sqlite:///{DEFAULT_VAR_DIR / 'sparkads.db'}"


@dataclass(frozen=True)
class Settings:
    """Process-wide settings. Build with `Settings.from_env()`, override with `with_()`."""

    database_url: str = field(default_factory=_default_database_url)
    public_base_url: str = ""  # empty: derived from where the server listens
    sandbox: bool = False
    # Failed Spark code attempts one advertiser may make per window before being throttled (40100).
    auth_code_max_failures: int = 10
    auth_code_failure_window_seconds: int = 600
    # Seed of the delivery engine's random generator (tie-breaks, pacing draws); None = random.
    seed: int | None = None
    # Rebuild the delivery snapshot in a background thread (off in tests that rebuild by hand).
    background_refresh: bool = True
    # Seconds between two folds of new events into the report rollups by the background folder
    # (`reporting/folder.py`, runs with `background_refresh`).
    rollup_interval_seconds: float = 2.0
    # Redis shared by several `serve` processes for spend and frequency caps; empty = in-process.
    redis_url: str = ""
    # Share of feed decision requests written to the traffic log (None: 0.1, or every request in
    # the sandbox, which sees little traffic), and how long it (and viewer profiles) are kept.
    # Profiles are updated from every request whatever the rate.
    traffic_sample_rate: float | None = None
    traffic_retention_days: int = 30
    # Off: no traffic log and no viewer profiles at all (SPARKADS_TRAFFIC_LOG=off): forecasts and
    # audience estimates then say they have no basis. For a deployment that must keep nothing
    # about viewers, and to measure what the log costs against the same server without it.
    traffic_log: bool = True
    # Where serve saves the columnar checkpoint of the traffic log and profiles it holds, which
    # the next start reads instead of the tables (`traffic/checkpoint.py`): empty means next to a
    # SQLite file (`<database>-traffic`), else in the var directory (a local cache); "off": none.
    traffic_checkpoint_dir: str = ""
    # Signing and sealing keys (sparkads.keys): JSON from SPARKADS_KEYS, else this file (0600),
    # made on first run. Never in the database.
    keys_file: str = str(DEFAULT_VAR_DIR / "keys.json")
    keys_json: str = ""
    # Where password reset links go (sparkads.accounts.people.sender_from): console or file:<path>
    reset_sender: str = "console"
    # Operations (api/metrics.py, api/request_log.py): /metrics on or off; the bearer token it
    # needs (empty: loopback clients only); prometheus-client's multiprocess directory (set by
    # `serve --workers N`); log format, "text" or "json" (one JSON object a line, with request ids).
    metrics: bool = True
    metrics_token: str = ""
    metrics_dir: str = ""
    log_format: str = "text"
    # Ad review (campaigns/review.py): an ad that passes the policy rules is approved at once
    # (True), or waits for a reviewer (False). Built directly (tests): on. From the environment
    # (`serve`): SPARKADS_AUTO_APPROVE, else on in the sandbox and OFF in production, where a
    # person looks at every ad before it serves (docs/review.md).
    auto_approve: bool = True

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        base = cls()
        return replace(
            base,
            database_url=env.get("SPARKADS_DATABASE_URL", base.database_url),
            public_base_url=env.get("SPARKADS_PUBLIC_BASE_URL", base.public_base_url).rstrip("/"),
            sandbox=env.get("SPARKADS_SANDBOX", "").lower() in {"1", "true", "yes"},
            redis_url=env.get("SPARKADS_REDIS_URL", base.redis_url),
            keys_file=env.get("SPARKADS_KEYS_FILE", base.keys_file),
            keys_json=env.get("SPARKADS_KEYS", base.keys_json),
            reset_sender=env.get("SPARKADS_RESET_SENDER", base.reset_sender),
            metrics=env.get("SPARKADS_METRICS", "1").lower() not in {"0", "false", "no"},
            metrics_token=env.get("SPARKADS_METRICS_TOKEN", base.metrics_token),
            metrics_dir=env.get("PROMETHEUS_MULTIPROC_DIR", base.metrics_dir),
            log_format=env.get("SPARKADS_LOG_FORMAT", base.log_format).lower(),
            auto_approve=_flag(env.get("SPARKADS_AUTO_APPROVE", ""))
            if env.get("SPARKADS_AUTO_APPROVE")
            else env.get("SPARKADS_SANDBOX", "").lower() in {"1", "true", "yes"},
            seed=int(env["SPARKADS_SEED"]) if env.get("SPARKADS_SEED") else None,
            traffic_sample_rate=float(env["SPARKADS_TRAFFIC_SAMPLE_RATE"])
            if env.get("SPARKADS_TRAFFIC_SAMPLE_RATE")
            else None,
            traffic_retention_days=int(
                env.get("SPARKADS_TRAFFIC_RETENTION_DAYS", base.traffic_retention_days)
            ),
            traffic_log=env.get("SPARKADS_TRAFFIC_LOG", "on").lower() not in {"off", "0", "false"},
            traffic_checkpoint_dir=env.get(
                "SPARKADS_TRAFFIC_CHECKPOINT_DIR", base.traffic_checkpoint_dir
            ),
            rollup_interval_seconds=float(
                env.get("SPARKADS_ROLLUP_INTERVAL_SECONDS", base.rollup_interval_seconds)
            ),
            auth_code_max_failures=int(
                env.get("SPARKADS_AUTH_CODE_MAX_FAILURES", base.auth_code_max_failures)
            ),
        )

    def as_env(self) -> dict[str, str]:
        """What `from_env` reads back as these settings (for worker processes)."""
        env = {
            "SPARKADS_DATABASE_URL": self.database_url,
            "SPARKADS_PUBLIC_BASE_URL": self.public_base_url,
            "SPARKADS_SANDBOX": "1" if self.sandbox else "",
            "SPARKADS_REDIS_URL": self.redis_url,
            "SPARKADS_AUTH_CODE_MAX_FAILURES": str(self.auth_code_max_failures),
            "SPARKADS_TRAFFIC_RETENTION_DAYS": str(self.traffic_retention_days),
            "SPARKADS_TRAFFIC_LOG": "on" if self.traffic_log else "off",
            "SPARKADS_TRAFFIC_CHECKPOINT_DIR": self.traffic_checkpoint_dir,
            "SPARKADS_METRICS": "1" if self.metrics else "0",
            "SPARKADS_METRICS_TOKEN": self.metrics_token,
            "SPARKADS_LOG_FORMAT": self.log_format,
            "SPARKADS_AUTO_APPROVE": "1" if self.auto_approve else "0",
            "SPARKADS_ROLLUP_INTERVAL_SECONDS": str(self.rollup_interval_seconds),
        }
        if self.metrics_dir:
            env["PROMETHEUS_MULTIPROC_DIR"] = self.metrics_dir
        if self.traffic_sample_rate is not None:
            env["SPARKADS_TRAFFIC_SAMPLE_RATE"] = str(self.traffic_sample_rate)
        if self.seed is not None:
            env["SPARKADS_SEED"] = str(self.seed)
        return env

    def traffic_checkpoints(self) -> Path | None:
        """The directory of the traffic checkpoints (None: off, or an in-memory database)."""
        if self.traffic_checkpoint_dir:
            off = self.traffic_checkpoint_dir.lower() == "off"
            return None if off else Path(self.traffic_checkpoint_dir)
        url = make_url(self.database_url)
        if url.get_backend_name() == "sqlite":
            memory = not url.database or url.database == ":memory:"
            return None if memory else Path(f"{url.database}-traffic")
        where = hashlib.sha256(url.render_as_string(hide_password=True).encode()).hexdigest()
        return Path(self.keys_file).parent / f"traffic-checkpoint-{where[:12]}"

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]
