"""The user documentation works as written: every `curl` example of docs/spark-authorization.md and
docs/ads-manager-api.md runs against a real server, and the reference tables of
docs/ads-manager-api.md say exactly what the rules the server applies say.

Every ```bash block whose first command is `curl` is run with `bash -c` and the real `curl`, in
document order (spark-authorization.md first, then ads-manager-api.md), against the
`sparkads serve --sandbox` process of conftest.py, with the documented placeholders exported as
environment variables. Comment lines inside a block drive the test:

    # captures: NAME=.dotted.path [NAME=.path ...]   export that value of the JSON answer as $NAME
    # expect: <code>    the call fails on purpose: envelope `code` or `data.error.reason` on the
                        open API, HTTP status or `error.code` on the native API
    # check: .path=value    the JSON answer holds this value ($NAME is expanded)
    # status: <HTTP status>   on the open API, the HTTP status of the envelope (200 otherwise:
                        the two exceptions the document lists, 404 and 413)

Without `# expect:`, an answer must be HTTP 2xx and, on the open API, carry envelope code 0.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Any

import pytest

from sparkads.campaigns.enums import Objective
from sparkads.campaigns.rules import MINIMUM_DAILY_BUDGET, OBJECTIVE_GOALS, PROMOTION_TYPES
from sparkads.errors import CATALOGUE, R15_CODES

pytestmark = pytest.mark.e2e

DOCS = Path(__file__).resolve().parents[2] / "docs"
SPARK_DOC = DOCS / "spark-authorization.md"
ADS_DOC = DOCS / "ads-manager-api.md"
RUN_ORDER = (SPARK_DOC, ADS_DOC)
# Placeholders the reader (here, the test) sets up before the first example; the others are
# captured from earlier answers.
PLACEHOLDERS = (
    "BASE",
    "ADVERTISER_ID",
    "ADVERTISER_TOKEN",
    "BC_ID",
    "BC_TOKEN",
    "CREATOR_TOKEN",
    "CREATOR_HANDLE",
    "OWN_ACCOUNT_TOKEN",
    "OWN_HANDLE",
    "OPERATOR_TOKEN",
)
MIN_EXAMPLES = 40  # guards against the parser silently skipping blocks
EXAMPLE_TIMEOUT_S = 30

FENCE = re.compile(r"^```bash\n(.*?)^```", re.MULTILINE | re.DOTALL)
DIRECTIVE = re.compile(r"^#\s*(captures|expect|check|status):\s*(.*)$")
CAPTURE = re.compile(r"^([A-Z][A-Z0-9_]*)=(\.[\w.]+)$")
VARIABLE = re.compile(r"\$\{?([A-Z][A-Z0-9_]*)")
# The wrapper makes curl print the HTTP status on a last line of its own, and ignore ~/.curlrc.
PRELUDE = r"""set -euo pipefail
curl() { command curl -q --write-out '\n%{http_code}' "$@"; }
"""


@dataclass(frozen=True)
class Example:
    doc: str
    line: int
    script: str
    captures: dict[str, str] = field(default_factory=dict)
    expect: str | None = None
    checks: tuple[tuple[str, str], ...] = ()
    status: int = 200

    @property
    def where(self) -> str:
        return f"{self.doc}:{self.line}"

    @property
    def open_api(self) -> bool:
        return "/open_api/" in self.script


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    payload: Any


def _commands(block: str) -> list[str]:
    return [ln for ln in block.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def _blocks(path: Path) -> Iterator[tuple[int, str]]:
    text = path.read_text(encoding="utf-8")
    for match in FENCE.finditer(text):
        yield text.count("\n", 0, match.start()) + 2, match.group(1)


def _example(doc: str, line: int, block: str) -> Example:
    captures: dict[str, str] = {}
    expect: str | None = None
    checks: list[tuple[str, str]] = []
    status = 200
    for raw in block.splitlines():
        found = DIRECTIVE.match(raw.strip())
        if not found:
            continue
        kind, value = found.group(1), found.group(2).strip()
        if kind == "captures":
            for pair in value.split():
                capture = CAPTURE.match(pair)
                assert capture, f"{doc}:{line}: bad capture {pair!r} (NAME=.dotted.path)"
                captures[capture.group(1)] = capture.group(2)
        elif kind == "status":
            assert value.isdigit(), f"{doc}:{line}: bad status {value!r}"
            status = int(value)
        elif kind == "expect":
            assert expect is None, f"{doc}:{line}: one `# expect:` per example"
            expect = value
        else:
            path, sep, wanted = value.partition("=")
            assert sep, f"{doc}:{line}: bad check {value!r} (.path=value)"
            assert path.startswith("."), f"{doc}:{line}: bad check {value!r} (.path=value)"
            checks.append((path, wanted))
    return Example(doc, line, block, captures, expect, tuple(checks), status)


def examples() -> list[Example]:
    """The executable examples of both documents, in the order the test runs them."""
    found = []
    for path in RUN_ORDER:
        for line, block in _blocks(path):
            commands = _commands(block)
            if commands and commands[0].startswith("curl "):
                found.append(_example(path.name, line, block))
    return found


def extract(payload: Any, path: str) -> Any:
    """`.data.list.0.ad_id`: keys of objects, indexes of lists."""
    value = payload
    for part in path.strip(".").split("."):
        if isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            raise LookupError(f"{path}: no {part!r} in {json.dumps(value)[:300]}")
    return value


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _describe(example: Example, answer: Answer | None = None, problem: str = "") -> str:
    text = f"{example.where}: {problem}\n--- example ---\n{example.script}"
    if answer is not None:
        text += f"--- HTTP {answer.status} ---\n{answer.body[:3000]}"
    return text


def run(example: Example, env: dict[str, str], cwd: Path) -> Answer:
    done = subprocess.run(
        ["bash", "-c", PRELUDE + example.script],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=EXAMPLE_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(_describe(example, problem=f"bash exited {done.returncode}: {done.stderr}"))
    body, _, status = done.stdout.rpartition("\n")
    if not status.isdigit():
        pytest.fail(_describe(example, problem=f"no HTTP status in {done.stdout[-300:]!r}"))
    payload: Any = None
    if body.strip():
        try:
            payload = json.loads(body)
        except json.JSONDecodeError:
            payload = None
    return Answer(int(status), body, payload)


def _failure(example: Example, answer: Answer) -> str | None:
    """Why this answer is not the one the example promises, or None."""
    payload = answer.payload if isinstance(answer.payload, dict) else {}
    expect = example.expect
    if example.open_api:
        if answer.status != example.status or "code" not in payload:
            return f"not an open API envelope with HTTP {example.status}"
        if expect is None:
            return None if payload["code"] == 0 else "envelope code is not 0"
        if expect.isdigit():
            return None if payload["code"] == int(expect) else f"envelope code is not {expect}"
        reason = payload.get("data", {}).get("error", {}).get("reason")
        return None if reason == expect else f"data.error.reason is {reason!r}, not {expect!r}"
    if expect is None:
        return None if 200 <= answer.status < 300 else "HTTP status is not 2xx"
    if expect.isdigit():
        return None if answer.status == int(expect) else f"HTTP status is not {expect}"
    code = payload.get("error", {}).get("code")
    if answer.status < 400 or code != expect:
        return f"expected an HTTP error with error.code {expect!r}, got {code!r}"
    return None


def verify(example: Example, answer: Answer, env: dict[str, str]) -> dict[str, str]:
    """Check the answer; return the values the example captures."""
    problem = _failure(example, answer)
    if problem:
        pytest.fail(_describe(example, answer, problem))
    try:
        for path, wanted in example.checks:
            value = extract(answer.payload, path)
            expected = Template(wanted).substitute(env)
            if _as_text(value) != expected:
                pytest.fail(_describe(example, answer, f"{path} is {value!r}, not {expected!r}"))
        captured = {name: extract(answer.payload, path) for name, path in example.captures.items()}
    except LookupError as error:
        pytest.fail(_describe(example, answer, str(error)))
    for name, value in captured.items():
        if value is None or isinstance(value, dict | list):
            pytest.fail(_describe(example, answer, f"{name} would capture {value!r}"))
    return {name: _as_text(value) for name, value in captured.items()}


# --- the examples, statically ----------------------------------------------------------------


def test_docs_examples_are_well_formed_when_parsed():
    """Each example is one curl call that uses only placeholders set up front or captured earlier,
    and comments meant for the test sit only in examples the test runs."""
    known = set(PLACEHOLDERS)
    found = examples()
    for example in found:
        calls = [c for c in _commands(example.script) if re.match(r"\s*curl\s", c)]
        assert len(calls) == 1, f"{example.where}: one curl call per example, not {len(calls)}"
        used = set(VARIABLE.findall(example.script))
        used |= {v for _, wanted in example.checks for v in VARIABLE.findall(wanted)}
        assert used <= known, f"{example.where}: {sorted(used - known)} not set up nor captured"
        known |= set(example.captures)
    assert len(found) >= MIN_EXAMPLES, f"only {len(found)} examples found"
    for path in RUN_ORDER:
        for line, block in _blocks(path):
            commands = _commands(block)
            if not (commands and commands[0].startswith("curl ")):
                assert not any(DIRECTIVE.match(ln.strip()) for ln in block.splitlines()), (
                    f"{path.name}:{line}: a block that is not run carries test comments"
                )


# --- the examples, run against a real server -------------------------------------------------


@pytest.fixture
def doc_env(
    server, accounts, make_creator, make_business_center, make_advertiser, operator_token
) -> dict[str, str]:
    """The reader's starting point: a Business Center, one of its ad accounts, a creator and the
    brand's own account, made with the CLI; then the environment the examples run in."""
    creator, own_account, bc = accounts(make_creator, make_creator, make_business_center)
    advertiser = make_advertiser(bc_id=bc.bc_id)
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SPARKADS_")
        and k.lower() not in {"http_proxy", "https_proxy", "all_proxy"}
    }
    return {
        **inherited,
        "BASE": server.base_url,
        "ADVERTISER_ID": advertiser.advertiser_id,
        "ADVERTISER_TOKEN": advertiser.token,
        "BC_ID": bc.bc_id,
        "BC_TOKEN": bc.token,
        "CREATOR_TOKEN": creator.token,
        "CREATOR_HANDLE": creator.handle,
        "OWN_ACCOUNT_TOKEN": own_account.token,
        "OWN_HANDLE": own_account.handle,
        "OPERATOR_TOKEN": operator_token,
    }


def test_docs_curl_examples_answer_as_documented_when_run_in_order(doc_env, tmp_path):
    assert shutil.which("curl"), "curl is not installed: the documentation examples need it"
    env = dict(doc_env)
    ran = 0
    for example in examples():
        answer = run(example, env, tmp_path)
        env.update(verify(example, answer, env))
        ran += 1
    assert ran >= MIN_EXAMPLES
    assert (tmp_path / "access-qr.png").read_bytes().startswith(b"\x89PNG")


# --- the reference tables --------------------------------------------------------------------


def _tables(path: Path) -> list[list[list[str]]]:
    tables: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("|"):
            current.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif current:
            tables.append(current)
            current = []
    return tables


def _rows(path: Path, *header: str) -> list[list[str]]:
    """The body rows of the table with exactly these column names (backticks and case ignored)."""
    for table in _tables(path):
        if [cell.strip("`").lower() for cell in table[0]] == list(header):
            return table[2:]
    pytest.fail(f"{path.name} has no table with columns {header}")


def _codes(cell: str) -> list[str]:
    return re.findall(r"`([A-Za-z0-9_]+)`", cell)


def _only(cell: str) -> str:
    found = _codes(cell)
    assert len(found) == 1, f"one value expected in {cell!r}"
    return found[0]


def test_objective_table_matches_rules_when_compared_with_objective_goals():
    goals: dict[str, dict[str, tuple[str, ...]]] = {}
    promotions: dict[str, tuple[str, ...]] = {}
    rows = _rows(ADS_DOC, "objective_type", "optimization_goal", "billing_event", "promotion_type")
    for objective_cell, goal_cell, billing_cell, promotion_cell in rows:
        objective, goal = _only(objective_cell), _only(goal_cell)
        assert goal not in goals.get(objective, {}), f"{objective} / {goal} listed twice"
        goals.setdefault(objective, {})[goal] = tuple(_codes(billing_cell))
        promotion = tuple(_codes(promotion_cell))
        assert promotions.setdefault(objective, promotion) == promotion, (
            f"{objective}: rows disagree on promotion types"
        )

    assert goals == {
        objective.value: {goal.value: tuple(b.value for b in bills) for goal, bills in by.items()}
        for objective, by in OBJECTIVE_GOALS.items()
    }
    assert promotions == {
        objective.value: tuple(p.value for p in PROMOTION_TYPES.get(objective, ()))
        for objective in Objective
    }


def test_budget_table_matches_rules_when_compared_with_minimum_daily_budget():
    found: dict[str, tuple[int, int]] = {}
    rows = _rows(
        ADS_DOC,
        "currency",
        "campaign daily minimum",
        "ad group daily minimum",
        "ad group lifetime minimum",
    )
    for currency, campaign, adgroup, lifetime in rows:
        assert lifetime == f"{adgroup} × days", f"{currency}: lifetime is {lifetime!r}"
        found[currency] = (int(campaign.replace(",", "")), int(adgroup.replace(",", "")))

    assert found == MINIMUM_DAILY_BUDGET
    assert list(found) == list(MINIMUM_DAILY_BUDGET)


def test_spark_error_table_matches_catalogue_when_compared_with_r15_codes():
    rows = _rows(SPARK_DOC, "code", "tiktok code", "when it happens", "what to do")
    documented = {_only(code): (tiktok, when, fix) for code, tiktok, when, fix in rows}

    assert list(documented) == list(R15_CODES)
    for code, (tiktok, when, fix) in documented.items():
        spec = CATALOGUE[code]
        assert int(tiktok) == spec.tiktok_code, code
        assert when.startswith(spec.message.en), code
        assert fix == spec.solution.en, code


def test_extract_reads_nested_keys_and_indexes_when_given_a_dotted_path():
    payload = {"data": {"list": [{"ad_id": "7"}], "ad_ids": ["9"]}}

    assert extract(payload, ".data.list.0.ad_id") == "7"
    assert extract(payload, ".data.ad_ids.0") == "9"
    with pytest.raises(LookupError):
        extract(payload, ".data.list.1.ad_id")
