"""A refused budget says what kind of budget its minimum applies to in words, in the reader's
language, with the plural that language gives the scheduled days; not `BUDGET_MODE_DAY` nor
"day(s)" (issue 18)."""

from __future__ import annotations

import pytest

from sparkads.campaigns.enums import BudgetMode
from sparkads.campaigns.rules import LIFETIME_OVER_DAYS, check_budget
from sparkads.errors import SparkadsError
from sparkads.i18n import LocalText, portable_params, restored_params


def _refusal(level: str, mode: BudgetMode, days: int | None) -> tuple[str, str]:
    with pytest.raises(SparkadsError) as caught:
        check_budget("EUR", level=level, mode=mode, budget=1_000_000, days=days)
    assert caught.value.code == "budget_below_minimum"
    return caught.value.render("en")["cause"], caught.value.render("fr")["cause"]


@pytest.mark.parametrize(
    ("level", "mode", "days", "en", "fr"),
    [
        ("campaign", BudgetMode.DAY, None, "a daily budget", "un budget quotidien"),
        ("adgroup", BudgetMode.DAY, 3, "a daily budget", "un budget quotidien"),
        ("campaign", BudgetMode.TOTAL, None, "a lifetime budget", "un budget total"),
        ("adgroup", BudgetMode.TOTAL, 1, "a lifetime budget over 1 scheduled day",
         "un budget total sur 1 jour programmé"),
        ("adgroup", BudgetMode.TOTAL, 3, "a lifetime budget over 3 scheduled days",
         "un budget total sur 3 jours programmés"),
    ],
)  # fmt: skip
def test_the_budget_kind_is_words_with_proper_plurals(
    level: str, mode: BudgetMode, days: int | None, en: str, fr: str
) -> None:
    assert _refusal(level, mode, days) == (
        f"1 EUR is below the minimum for {en}.",
        f"1 EUR est en dessous du minimum pour {fr}.",
    )


def test_the_message_and_solution_still_give_the_minimum() -> None:
    with pytest.raises(SparkadsError) as caught:
        check_budget("EUR", level="adgroup", mode=BudgetMode.TOTAL, budget=1_000_000, days=3)
    fr = caught.value.render("fr")
    assert fr["message"] == "Le budget du groupe d'annonces doit être d'au moins 60 EUR."
    assert fr["solution"] == "Indiquez un budget d'au moins 60 EUR."


def test_a_counted_text_keeps_its_plural_across_a_redirect() -> None:
    text = LocalText.counted(("{n} day", "{n} days"), 2, n=2)
    saved = portable_params({"mode": text})

    assert restored_params(saved) == {"mode": text}
    assert restored_params(saved)["mode"] != LocalText("{n} day", {"n": 2})


def test_french_treats_zero_as_singular_english_as_plural() -> None:
    nothing = LocalText.counted(LIFETIME_OVER_DAYS, 0, days=0)

    assert nothing.render("en") == "a lifetime budget over 0 scheduled days"
    assert nothing.render("fr") == "un budget total sur 0 jour programmé"
