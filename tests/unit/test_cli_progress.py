"""Long CLI steps draw progress bars on a terminal and nothing in a log or a pipe."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from sparkads.cli import common


def _run_a_step(console: Console, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(common, "console", console)
    with common.progress() as bar:
        task = bar.add_task("Simulating 7.0 days of feed traffic", total=3)
        for _ in range(3):
            bar.advance(task)
            bar.refresh()
    file = console.file
    assert isinstance(file, io.StringIO)
    return file.getvalue()


def test_a_terminal_sees_the_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = _run_a_step(Console(file=io.StringIO(), force_terminal=True, width=100), monkeypatch)
    assert "Simulating 7.0 days of feed traffic" in drawn
    assert "3/3" in drawn


def test_a_log_gets_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _run_a_step(Console(file=io.StringIO(), force_terminal=False), monkeypatch) == ""


def test_quiet_draws_nothing_even_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    console = Console(file=io.StringIO(), force_terminal=True)
    monkeypatch.setattr(common, "console", console)
    with common.progress(quiet=True) as bar:
        bar.add_task("hidden", total=1)
    assert isinstance(console.file, io.StringIO)
    assert console.file.getvalue() == ""
