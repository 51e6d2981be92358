"""A throwaway Redis server for the tests of shared counters: Debian's `redis-server` on a free
port, nothing saved to disk, stopped at the end. Never a server already running on the machine."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from factories.server import free_port

STARTUP_TIMEOUT_S = 10.0


@contextmanager
def throwaway_redis(workdir: Path) -> Iterator[str]:
    """Start `redis-server` in `workdir`, yield its URL, stop it. Fails (never skips) without it."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail(
            "redis-server is missing: ./scripts/test installs Debian's redis-server "
            "(apt-get install -y redis-server)",
            pytrace=False,
        )
    port = free_port()
    log = workdir / "redis.log"
    command = [
        binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", str(workdir), "--logfile", str(log),
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(process, port, log)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_until_up(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = log.read_text(errors="replace") if log.exists() else ""
            pytest.fail(f"redis-server exited with {process.returncode}:\n{text}", pytrace=False)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    pytest.fail(f"redis-server did not answer within {STARTUP_TIMEOUT_S} s", pytrace=False)
