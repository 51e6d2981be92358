"""docs/feed-integration.md works as written against a real `sparkads serve --sandbox` holding a live
Spark ad that targets France: its feed token command (the CLI), the forwarding server it starts
(docs/feed-example/serve.py, with the page and a decision through it), its `curl` calls of the feed
API (the decisions body wraps the viewer in `viewer`) and its Python client snippet, each run as
the page shows it, with the page's placeholders filled in."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from factories.server import free_port, hermetic_env

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "feed-integration.md"
DOC_SERVER = "http://127.0.0.1:8000"
FENCE = re.compile(r"^```(bash|python)\n(.*?)^```", re.MULTILINE | re.DOTALL)
FRANCE = "3017382"
PRELUDE = "set -euo pipefail\ncurl() { command curl -q --write-out '\\n%{http_code}' \"$@\"; }\n"


def _blocks(language: str) -> list[str]:
    return [
        body for lang, body in FENCE.findall(DOC.read_text(encoding="utf-8")) if lang == language
    ]


def _commands(block: str) -> list[str]:
    return [ln for ln in block.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def _said_keys(block: str) -> set[str]:
    """The JSON keys the `# {...}` comment under a command shows."""
    said = [ln.lstrip("# ") for ln in block.splitlines() if ln.lstrip().startswith("# {")]
    assert len(said) == 1, block
    return set(re.findall(r'"(\w+)":', said[0]))


def _keys(answer: Any) -> set[str]:
    """Keys of an answer and of the first item of each of its lists."""
    found: set[str] = set()
    if isinstance(answer, dict):
        for key, value in answer.items():
            found.add(key)
            found |= _keys(value[0] if isinstance(value, list) and value else None)
    return found


@pytest.fixture
def live_ad(applied_code: Any, http: httpx.Client) -> None:
    """A Spark ad to French viewers, live (the snapshot follows a write within a second)."""
    brand = applied_code.advertiser
    identity = brand.video_info(applied_code.auth_code)["data"]["user_info"]["identity_id"]
    campaign = brand.post(
        "/campaign/create/", campaign_name="Pocket", objective_type="TRAFFIC",
        budget_mode="BUDGET_MODE_DAY", budget=500,
    )["data"]  # fmt: skip
    group = brand.post(
        "/adgroup/create/", campaign_id=campaign["campaign_id"], adgroup_name="FR",
        promotion_type="WEBSITE", location_ids=[FRANCE], budget_mode="BUDGET_MODE_DAY",
        budget=200, schedule_type="SCHEDULE_FROM_NOW", optimization_goal="CLICK",
        billing_event="CPC", bid_price=1,
    )["data"]  # fmt: skip
    ad = brand.post(
        "/ad/create/",
        adgroup_id=group["adgroup_id"],
        creatives=[{"identity_type": "AUTH_CODE", "identity_id": identity,
                    "tiktok_item_id": applied_code.post["item_id"], "call_to_action": "SHOP_NOW",
                    "landing_page_url": "https://brand.example.com"}],
    )  # fmt: skip
    assert ad["code"] == 0, ad


def _feed_token(cli: Callable[..., dict[str, Any]]) -> str:
    """Step 1's command, as written (the test's `cli` adds --json and the database)."""
    [block] = [b for b in _blocks("bash") if _commands(b)[0].startswith("sparkads feeds create")]
    argv = shlex.split(_commands(block)[0])
    assert argv[0] == "sparkads"
    assert "--json" in argv
    made = cli(*[arg for arg in argv[1:] if arg != "--json"])
    assert set(made) == _said_keys(block)
    return str(made["access_token"])


def _decisions(call: Callable[[], httpx.Response]) -> list[Any]:
    deadline = time.monotonic() + 5
    while True:
        answer = call()
        assert answer.status_code == 200, answer.text
        decisions: list[Any] = answer.json()["decisions"]
        if decisions or time.monotonic() > deadline:
            return decisions
        time.sleep(0.1)


@contextlib.contextmanager
def _forwarding(base_url: str, token: str, workdir: Path) -> Iterator[str]:
    """Step 2's `serve.py` line as written, on a free port, against the test's server."""
    [block] = [b for b in _blocks("bash") if _commands(b)[0].startswith("sparkads serve --sandbox")]
    line = next(c for c in _commands(block) if "feed-example/serve.py" in c)
    argv = shlex.split(line.split("#", 1)[0])
    assert argv[:2] == ["python3", "docs/feed-example/serve.py"]
    argv = [sys.executable, *argv[1:]]
    argv[argv.index(DOC_SERVER)] = base_url
    argv[argv.index("<token>")] = token
    port = free_port()
    log = (workdir / "forward.log").open("wb")
    process = subprocess.Popen(
        [*argv, "--port", str(port)], cwd=ROOT, env=hermetic_env(), stdout=log, stderr=log
    )
    try:
        site = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.TransportError):
                httpx.get(site, timeout=1)
                break
            time.sleep(0.1)
        yield site
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def _curl(block: str, env: dict[str, str], cwd: Path) -> Any:
    done = subprocess.run(
        ["bash", "-c", PRELUDE + block], env=env, cwd=cwd, capture_output=True, text=True,
        timeout=30, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    body, _, status = done.stdout.rpartition("\n")
    assert status == "200", done.stdout
    return json.loads(body)


def test_every_example_of_the_feed_integration_page_runs_as_written(
    server: Any, cli: Callable[..., dict[str, Any]], live_ad: None, tmp_path: Path
) -> None:
    token = _feed_token(cli)
    bearer = {"Authorization": f"Bearer {token}"}
    viewer = {"viewer_id": "v-doc", "country": "FR", "age": 25}

    with _forwarding(server.base_url, token, tmp_path) as site:
        page = httpx.get(f"{site}/?country=FR", timeout=10)
        assert page.status_code == 200
        forwarded = _decisions(
            lambda: httpx.post(
                f"{site}/sparkads/api/v1/feed/decisions", json={"viewer": viewer}, timeout=10
            )
        )
        assert forwarded, "no decision through the forwarding server"

    # the viewer's fields alone are not a decisions request: `viewer` is required
    alone = httpx.post(
        f"{server.base_url}/api/v1/feed/decisions", json=viewer, headers=bearer, timeout=10
    )
    assert alone.status_code == 400
    assert alone.json()["error"]["message"].startswith("Invalid value for viewer: Field required")

    curls = [b for b in _blocks("bash") if _commands(b)[0].startswith("curl ")]
    assert len(curls) == 2
    env = {**hermetic_env(), "SPARKADS": server.base_url, "FEED_TOKEN": token}
    decided = _curl(curls[0], env, tmp_path)
    assert decided["decisions"], decided
    assert _said_keys(curls[0]) <= _keys(decided)
    env["DECISION_TOKEN"] = decided["decisions"][0]["token"]
    sent = _curl(curls[1], env, tmp_path)
    assert (sent["accepted"], sent["results"][0]["status"]) == (1, "accepted")
    assert _said_keys(curls[1]) <= _keys(sent)

    [snippet] = _blocks("python")
    assert DOC_SERVER in snippet
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = compile(snippet.replace(DOC_SERVER, server.base_url), DOC.name, "exec")
        exec(code, {"feed_token": token})  # the page's own snippet
    lines = printed.getvalue().splitlines()
    assert lines, "the snippet got no decision"
    assert set(lines) == {"1 0 accepted"}
