"""`sparkads serve --workers N`: N processes accept on one port, sharing counters through Redis;
more than one worker without Redis (or in the sandbox) is refused with a clear error."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from factories.redis_server import throwaway_redis
from factories.server import free_port, hermetic_env, tail

pytestmark = pytest.mark.e2e


def _serve(workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sparkads", "serve", "--database-url",
         f"sqlite:///{workdir / 'w.db'}", *args],
        capture_output=True, text=True, cwd=workdir, env=hermetic_env(), timeout=60,
    )  # fmt: skip


def test_more_than_one_worker_without_redis_is_refused(tmp_path: Path) -> None:
    for extra in ((), ("--sandbox", "--redis-url", "redis://127.0.0.1:1")):
        done = _serve(tmp_path, "--workers", "2", "--port", str(free_port()), *extra)
        assert done.returncode == 2
        assert "workers_need_redis" in done.stderr
        assert "--redis-url" in done.stderr  # the solution
    assert not (tmp_path / "w.db").exists()  # refused before anything was done


def test_two_workers_serve_on_one_port(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "server.log"
    (tmp_path / "redis").mkdir()
    with throwaway_redis(tmp_path / "redis") as redis_url, log.open("wb") as sink:
        command = [
            sys.executable, "-m", "sparkads", "serve", "--port", str(port), "--workers", "2",
            "--database-url", f"sqlite:///{tmp_path / 'w.db'}", "--redis-url", redis_url,
        ]  # fmt: skip
        process = subprocess.Popen(
            command, stdout=sink, stderr=subprocess.STDOUT, cwd=tmp_path, env=hermetic_env()
        )
        try:
            deadline = time.monotonic() + 60
            workers: set[str] = set()
            while len(workers) < 2 or not _up(port):
                assert process.poll() is None, tail(log)
                assert time.monotonic() < deadline, tail(log)
                workers = set(re.findall(r"Started server process \[(\d+)\]", log.read_text()))
                time.sleep(0.2)
            answers = [
                httpx.get(f"http://127.0.0.1:{port}/api/v1/sandbox/clock", timeout=5)
                for _ in range(20)
            ]
            assert all(a.status_code == 200 for a in answers)
            assert len(workers) == 2, tail(log)
        finally:
            process.terminate()
            process.wait(timeout=20)


def _up(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/api/v1/sandbox/clock", timeout=1).is_success
    except httpx.TransportError:
        return False
