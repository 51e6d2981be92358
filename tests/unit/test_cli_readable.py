"""The CLI read in an 80-column terminal and in its language: help that never cuts an option's
name, errors that name the option to type (EN and FR), a forecast in money to the cent with
absent values said as such."""

from __future__ import annotations

import os

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from sparkads.cli.main import app
from sparkads.cli.simulation import forecast_cells


def _commands() -> list[list[str]]:
    """Every command's path: `serve`, `users create`, …"""
    root = get_command(app)
    found: list[list[str]] = []
    for name, command in getattr(root, "commands", {}).items():
        subs = getattr(command, "commands", None)
        found += [[name, sub] for sub in subs] if subs else [[name]]
    return found


def _env(**more: str) -> dict[str, str | None]:
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("SPARKADS_")}
    return env | {"COLUMNS": "80", "LANG": "C.UTF-8", "LC_ALL": None, "LC_MESSAGES": None} | more


@pytest.mark.parametrize("path", _commands(), ids=" ".join)
def test_help_names_every_option_whole_at_80_columns(path: list[str]) -> None:
    done = CliRunner().invoke(app, [*path, "--help"], env=_env())
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in done.output
    command = get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    for param in command.params:
        for opt in (*param.opts, *param.secondary_opts):
            if opt.startswith("--"):
                assert opt in done.output, f"{opt} missing or cut in `{' '.join(path)} --help`"


def test_serve_help_shows_the_long_options_whole() -> None:
    done = CliRunner().invoke(app, ["serve", "--help"], env=_env())
    assert "--allow-public-sandbox / --no-allow-public-sandbox" in done.output
    assert "--auto-approve / --review-by-people" in done.output


def _short_password(**env: str) -> str:
    done = CliRunner().invoke(
        app,
        ["users", "create", "--email", "a@example.org", "--bc-id", "1", "--password", "short"],
        env=_env(**env),
    )
    assert done.exit_code == 2
    return " ".join(done.output.split())


def test_a_too_short_password_is_said_in_the_words_of_the_cli(database_url: str) -> None:
    said = _short_password(SPARKADS_DATABASE_URL=database_url)
    assert "Invalid value for --password: must be 12 to 1000 characters" in said
    assert "Type the command again with --password as its --help describes it." in said
    assert "endpoint" not in said
    assert "/docs" not in said
    assert "request" not in said


@pytest.mark.parametrize("setting", [{"SPARKADS_LANG": "fr"}, {"LANG": "fr_FR.UTF-8"}])
def test_cli_errors_speak_french_when_the_cli_does(
    database_url: str, setting: dict[str, str]
) -> None:
    said = _short_password(SPARKADS_DATABASE_URL=database_url, **setting)
    assert "Valeur invalide pour --password : doit compter de 12 à 1 000 caractères" in said
    assert "Tapez à nouveau la commande avec --password" in said


def test_forecast_money_is_to_the_cent_and_absent_values_say_why() -> None:
    report: dict[str, object] = {
        "audience_size": 12500,
        "impressions": [1200, 3400],
        "spend": [0.1575, 0.4225],
        "cpa": None,
        "currency": "EUR",
    }
    rows = dict(forecast_cells(report, "EUR", None))
    assert rows["spend"] == "0.16–0.42"
    assert rows["impressions"] == "1,200–3,400"
    assert rows["audience_size"] == "12,500"
    assert rows["cpa"] == "— (no conversion forecast, so no cost per conversion)"
    assert "None" not in str(rows)
    assert "currency" not in rows
    yen = dict(forecast_cells({"spend": [1234.5, 99.49]}, "JPY", None))
    assert yen["spend"] == "1,235–99"


def test_a_forecast_without_delivery_says_what_stops_it() -> None:
    rows = dict(forecast_cells({"spend": [0.0, 0.0], "cpa": None}, "EUR", "bid"))
    assert rows["cpa"] == "— (the bid won no auction)"
    assert rows["no delivery"] == "the bid won no auction"
    assert rows["spend"] == "0.00–0.00"
