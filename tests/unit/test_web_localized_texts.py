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


def test_parameters_are_figures_through_babel_and_identifiers_stay_as_they_are() -> None:
    from datetime import date
    from decimal import Decimal

    from sparkads.web.i18n import localized_params

    params = {"minimum": Decimal("1234.5"), "size": 25000, "item_id": 7123456789,
              "ad_ids": 1234567, "on": date(2027, 2, 3), "open": True, "detail": "choose a post"}  # fmt: skip
    assert localized_params(params, "en") == {
        "minimum": "1,234.5", "size": "25,000", "item_id": 7123456789, "ad_ids": 1234567,
        "on": "February 3, 2027", "open": True, "detail": "choose a post",
    }  # fmt: skip
    assert localized_params(params, "fr") == {
        "minimum": "1\u202f234,5", "size": "25\u202f000", "item_id": 7123456789, "ad_ids": 1234567,
        "on": "3 février 2027", "open": True, "detail": "choisissez une publication",
    }  # fmt: skip


def test_a_web_made_detail_is_translated_in_the_error_it_explains() -> None:
    from sparkads.web.i18n import N_

    error = SparkadsError("invalid_parameter", field="post", detail=N_("choose a post"))
    assert (
        explain(error, "fr")["message"] == "Valeur invalide pour post : choisissez une publication"
    )
    assert explain(error, "en")["message"] == "Invalid value for post: choose a post"


def test_recommendation_evidence_reads_the_readers_way() -> None:
    from sparkads.web.reports import evidence_text

    cases = [
        ("recent_ctr", 0.01234, "1.23%", "1,23\u202f%"),
        ("audience_share", 0.005, "0.5%", "0,5\u202f%"),
        ("budget", "20", "€20.00", "20,00\xa0€"),
        ("cpa", "3.5", "€3.50", "3,50\xa0€"),
        ("days_at_budget", ["2026-11-01", "2026-11-02"],
         "November 1, 2026, November 2, 2026", "1 novembre 2026, 2 novembre 2026"),
        ("known_viewers", 12500, "12,500", "12\u202f500"),
        ("better_score", 0.04567, "0.046", "0,046"),
        ("better_item_id", "7123456789", "7123456789", "7123456789"),
    ]  # fmt: skip
    for key, value, english, french in cases:
        assert evidence_text(key, value, "en", "EUR") == english, key
        assert evidence_text(key, value, "fr", "EUR") == french, key
