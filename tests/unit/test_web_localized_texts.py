"""API texts shown on pages: timestamps in words and decimals the reader's way (Babel), never raw
ISO moments or "7.5 s" in French."""

from __future__ import annotations

from sparkads.errors import SparkadsError
from sparkads.web.i18n import localized_text
from sparkads.web.problems import explain


def test_raw_moments_become_dates_in_the_readers_language() -> None:
    text = "The authorization ends on 2027-02-03T23:29:26Z, schedule 2027-03-01 10:00:00."
    assert localized_text(text, "en") == (
        "The authorization ends on Feb 3, 2027, 11:29:26\u202fPM UTC, schedule Mar 1, 2027, "
        "10:00:00\u202fAM UTC."
    )
    assert localized_text(text, "fr") == (
        "The authorization ends on 3 févr. 2027, 23:29:26 UTC, schedule 1 mars 2027, 10:00:00 UTC."
    )


def test_french_decimal_seconds_take_a_comma() -> None:
    assert localized_text("La vidéo dure 7.5 s.", "fr") == "La vidéo dure 7,5 s."
    assert localized_text("The video lasts 7.5 s.", "en") == "The video lasts 7.5 s."
    assert localized_text("version 1.2 of 3.4.5", "fr") == "version 1.2 of 3.4.5"


def test_errors_on_pages_carry_localized_parameters() -> None:
    warning = SparkadsError(
        "authorization_ends_before_schedule", ends_at="2027-02-03T23:29:26Z",
        schedule_end="The ad group runs with no end date",
        schedule_end_fr="Le groupe d'annonces est diffusé sans date de fin",
    )  # fmt: skip
    french = explain(warning, "fr")
    assert "3 févr. 2027" in french["message"]
    assert "2027-02-03T" not in french["message"] + french["cause"]
    assert french["cause"].startswith("Le groupe d'annonces est diffusé sans date de fin ;")
    english = explain(warning, "en")
    assert english["cause"].startswith("The ad group runs with no end date;")
    assert "ends never" not in english["cause"]
    assert (
        explain(SparkadsError("duration_outside_best_practice", duration=7.5), "fr")[
            "message"
        ].count("7,5")
        == 1
    )
