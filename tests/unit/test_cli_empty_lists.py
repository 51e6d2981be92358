"""A CLI list with nothing in it says so, with the command that makes one, instead of printing a
bare header; `--json` still prints an empty list, and a list with rows is still a table."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from sparkads.cli.main import app

EMPTY = [
    (["policy", "list"], "No policy rules yet: add one with `sparkads policy add KIND VALUE`"),
    (["review", "queue"], "No ads waiting for review yet"),
    (["apps", "list"], "No developer apps yet: register one with `sparkads apps create"),
    (["backtest", "--day", "2026-11-01"], "No ad group delivered on 2026-11-01"),
]
EMPTY_JSON = [
    (["policy", "list"], {"rules": []}),
    (["review", "queue"], {"ads": []}),
    (["apps", "list"], []),
    (["backtest", "--day", "2026-11-01"], {"day": "2026-11-01", "comparisons": []}),
]


def _run(database_url: str, keys_file: str, *args: str) -> str:
    # the caller's SPARKADS_* settings must not leak in; the sealing keys are the session's
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("SPARKADS_")}
    env |= {"SPARKADS_KEYS_FILE": keys_file, "SPARKADS_AUTO_APPROVE": "1"}
    done = CliRunner().invoke(app, [*args, "--database-url", database_url], env=env)
    assert done.exit_code == 0, done.output
    return done.output


@pytest.mark.parametrize(("command", "said"), EMPTY, ids=[" ".join(c) for c, _ in EMPTY])
def test_an_empty_list_names_the_command_that_makes_one(
    database_url: str, keys_file: str, command: list[str], said: str
) -> None:
    shown = _run(database_url, keys_file, *command)
    assert said in shown
    assert "┃" not in shown  # no bare table header
    assert len(shown.strip().splitlines()) == 1  # one plain line, not wrapped by rich


@pytest.mark.parametrize(("command", "listed"), EMPTY_JSON, ids=[" ".join(c) for c, _ in EMPTY])
def test_json_of_an_empty_list_is_still_an_empty_list(
    database_url: str, keys_file: str, command: list[str], listed: object
) -> None:
    assert json.loads(_run(database_url, keys_file, *command, "--json")) == listed


def test_a_list_with_rows_is_still_a_table(database_url: str, keys_file: str) -> None:
    _run(database_url, keys_file, "policy", "add", "prohibited_word", "miracle")
    shown = _run(database_url, keys_file, "policy", "list")
    assert "Policy rules" in shown
    assert "miracle" in shown
    assert "No policy rules yet" not in shown
