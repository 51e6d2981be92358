"""`sparkads serve --no-access-log`: uvicorn's line per request is off (at feed volume it costs
about a tenth of a decision's server CPU), and on by default."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from factories.server import serving

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("logged", [True, False])
def test_uvicorns_line_per_request_can_be_turned_off(tmp_path: Path, logged: bool) -> None:
    options = () if logged else ("--no-access-log",)
    with serving(tmp_path, f"sqlite:///{tmp_path / 'a.db'}", *options) as (base_url, log):
        assert httpx.get(f"{base_url}/healthz", timeout=5).status_code == 200
        time.sleep(0.3)  # the line is written after the answer
        lines = log.read_text()
    assert ('"GET /healthz HTTP/1.1" 200' in lines) is logged
    assert "Application startup complete" in lines  # the server's other lines stay
