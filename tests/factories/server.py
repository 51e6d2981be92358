"""Running real `sparkads serve` processes for end-to-end and browser tests."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

STARTUP_TIMEOUT_S = 30.0
LOG_TAIL_LINES = 60
OPEN_API = "/open_api/v1.3"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def hermetic_env() -> dict[str, str]:
    """The caller's SPARKADS_* settings (public URL, sandbox, database) must not leak in. Ads
    that pass the policy rules are approved at once, as in the sandbox (production's default is
    review by people: tests/e2e/test_e2e_review.py starts its server with --review-by-people)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPARKADS_")}
    return env | {"SPARKADS_AUTO_APPROVE": "1"}


def tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    if not path.exists():
        return "(no server log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def wait_until_up(process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"sparkads serve exited with {process.returncode}:\n{tail(log)}", pytrace=False
            )
        try:
            if httpx.get(f"{base_url}/api/v1/sandbox/clock", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"sparkads serve did not answer within {STARTUP_TIMEOUT_S} s:\n{tail(log)}")


@contextmanager
def serving(
    workdir: Path, database_url: str, *options: str, sandbox: bool = True
) -> Iterator[tuple[str, Path]]:
    """`sparkads serve [--sandbox] [options]` on a free port, as a user starts it: its base URL
    and log while it runs; stopped (then killed if it lingers) on the way out."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = workdir / "server.log"
    command = [
        sys.executable, "-m", "sparkads", "serve", *(["--sandbox"] if sandbox else []), *options,
        "--host", "127.0.0.1", "--port", str(port), "--database-url", database_url,
    ]  # fmt: skip
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, stdout=sink, stderr=subprocess.STDOUT, cwd=workdir, env=hermetic_env()
        )
    try:
        wait_until_up(process, base_url, log)
        yield base_url, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def cli_json(database: Path, *args: str, cwd: Path | None = None) -> dict[str, Any]:
    """`sparkads <args> --json` on a SQLite database, as an operator runs it (in `cwd`: the
    server's folder, for its key files), its answer parsed."""
    done = subprocess.run(
        [sys.executable, "-m", "sparkads", *args, "--json", "--database-url", f"sqlite:///{database}"],
        capture_output=True, text=True, env=hermetic_env(), timeout=120, check=True, cwd=cwd,
    )  # fmt: skip
    parsed: dict[str, Any] = json.loads(done.stdout)
    return parsed
