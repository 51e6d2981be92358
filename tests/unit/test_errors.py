from __future__ import annotations

import pytest

from sparkads.errors import CATALOGUE, R15_CODES, SparkadsError, negotiate_language


def test_r15_codes_exist_with_exact_names() -> None:
    assert set(R15_CODES) <= set(CATALOGUE)
    assert R15_CODES == (
        "video_unavailable",
        "auth_code_expired",
        "not_public_video",
        "carousel_duet_not_supported",
        "auth_code_format_error",
    )


@pytest.mark.parametrize("spec", CATALOGUE.values(), ids=list(CATALOGUE))
def test_every_error_has_english_and_french_texts(spec: object) -> None:
    for text in (spec.message, spec.cause, spec.solution):  # type: ignore[attr-defined]
        assert text.en.strip()
        assert text.fr.strip()
        assert text.en != text.fr or text.en.startswith("Access token")


def test_unknown_error_code_is_refused() -> None:
    with pytest.raises(KeyError):
        SparkadsError("no_such_code")


def test_render_fills_parameters_in_both_languages() -> None:
    error = SparkadsError("invalid_authorization_duration", duration_days=14)
    assert "14" in error.render("en")["message"]
    assert "14" in error.render("fr")["message"]
    assert error.render("fr")["message"].startswith("L'autorisation")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "en"),
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("en-US,fr;q=0.5", "en"),
        ("de-DE,fr;q=0.4", "fr"),
        ("de", "en"),
        ("fr;q=bad,en;q=0.1", "en"),
    ],
)
def test_language_follows_accept_language(header: str | None, expected: str) -> None:
    assert negotiate_language(header) == expected
