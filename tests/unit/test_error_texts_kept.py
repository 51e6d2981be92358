"""Every error renders as it did before its texts moved into the Babel catalogue: same families,
TikTok numbers, HTTP statuses and EN/FR message, cause and solution, byte for byte.

`errors_data/texts_before_babel.json` was written once from the catalogue of EN/FR tuples that
`sparkads.errors` held before (each code rendered with every placeholder it names set to
`<name>`, and with no parameter at all)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sparkads.errors import CATALOGUE, SparkadsError

BEFORE = json.loads((Path(__file__).parent / "errors_data/texts_before_babel.json").read_text())

# French texts now name the same placeholders as the English ones; a value that depends on the
# language is still passed twice (`name`, and `name_fr` for French). One parameter was renamed
# so that this holds: budget_mode_locked's `object_fr` is now `level_fr`.
RENAMED = {("budget_mode_locked", "object_fr"): "level_fr"}


def _params(code: str, sample: dict[str, str]) -> dict[str, str]:
    return {RENAMED.get((code, name), name): value for name, value in sample.items()}


def _bare(code: str, text: str) -> str:
    """With no parameters a text is shown as written; the French one now says `{name}` where it
    said `{name_fr}`."""
    for (renamed_code, old), new in RENAMED.items():
        if renamed_code == code:
            text = text.replace("{" + old + "}", "{" + new.removesuffix("_fr") + "}")
    return re.sub(r"\{(\w+)_fr\}", r"{\1}", text)


def test_the_same_codes_are_declared() -> None:
    assert sorted(CATALOGUE) == sorted(BEFORE)


@pytest.mark.parametrize("code", sorted(BEFORE))
def test_error_renders_as_before(code: str) -> None:
    before = BEFORE[code]
    spec = CATALOGUE[code]

    assert (spec.family.value, spec.tiktok_code, spec.http_status) == (
        before["family"],
        before["tiktok_code"],
        before["http_status"],
    )
    error = SparkadsError(code, **_params(code, before["params"]))
    assert error.render("en") == before["en"]
    assert error.render("fr") == before["fr"]
    assert SparkadsError(code).render("en") == before["en_bare"]
    bare_fr = {key: _bare(code, text) for key, text in before["fr_bare"].items()}
    assert SparkadsError(code).render("fr") == bare_fr


def test_because_gives_another_entrys_cause_and_solution_in_both_languages() -> None:
    error = SparkadsError("video_unavailable", because="post_non_compliant", reason="spam")
    non_compliant = SparkadsError("post_non_compliant", reason="spam")

    for lang in ("en", "fr"):
        rendered, other = error.render(lang), non_compliant.render(lang)
        assert rendered["message"] == BEFORE["video_unavailable"][lang]["message"]
        assert (rendered["cause"], rendered["solution"]) == (other["cause"], other["solution"])
