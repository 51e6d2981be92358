"""Error texts live in the one Babel catalogue: extracted from the errors modules as the web's texts
are, every one translated into French (not fuzzy), with the same placeholders; and every code
the sources raise is declared."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import sparkads
from sparkads.errors import CATALOGUE
from sparkads.i18n import catalogue_path

SRC = Path(sparkads.__file__).parent
ERROR_MODULES = [("errors.py", "python"), ("*/errors.py", "python"), ("*/*_errors.py", "python")]
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")
# A French sentence may leave a placeholder out where French grammar has no room for it
# ("créez-en un nouveau" needs no noun); it may never add one.
LEFT_OUT = {("Keep {current}, or create a new {level} with the budget mode you want.", "level")}


def _extracted() -> dict[str, list[str]]:
    """Each msgid of the errors modules, with the files it comes from."""
    found: dict[str, list[str]] = {}
    for filename, _, message, _, _ in extract_from_dir(
        str(SRC), ERROR_MODULES, keywords={"N_": None}
    ):
        if isinstance(message, str):
            found.setdefault(message, []).append(filename)
    return found


def _french(
    po: Path = SRC / catalogue_path("fr"), about: str | None = None
) -> dict[str, tuple[str, bool]]:
    """The French of each msgid: its general translation, or (`about`) the one the catalogue
    gives for texts about that kind of object (msgctxt, `i18n.translate_about`)."""
    with po.open("rb") as source:
        return {
            m.id: (m.string, m.fuzzy)
            for m in read_po(source, locale="fr")
            if m.id and isinstance(m.id, str) and isinstance(m.string, str) and m.context == about
        }


def _kinds(po: Path = SRC / catalogue_path("fr")) -> set[str]:
    with po.open("rb") as source:
        return {m.context for m in read_po(source, locale="fr") if m.context}


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _problems(msgids: list[str], french: dict[str, tuple[str, bool]]) -> dict[str, list[str]]:
    """What is wrong with the French of these texts: missing, fuzzy, or other placeholders."""
    problems: dict[str, list[str]] = {"missing": [], "fuzzy": [], "placeholders": []}
    for msgid in sorted(msgids):
        translated, fuzzy = french.get(msgid, ("", False))
        english, local = _placeholders(msgid), _placeholders(translated)
        left_out = {name for name in english - local if (msgid, name) not in LEFT_OUT}
        if not translated:
            problems["missing"].append(msgid)
        elif fuzzy:
            problems["fuzzy"].append(msgid)
        elif local - english or left_out:
            problems["placeholders"].append(msgid)
    return problems


def test_extraction_finds_every_text_of_every_declared_error() -> None:
    extracted = _extracted()
    texts = {t.en for spec in CATALOGUE.values() for t in (spec.message, spec.cause, spec.solution)}

    assert sorted(texts - set(extracted)) == [], "declare error texts as N_(...) literals"
    assert len(CATALOGUE) >= 108


def test_every_error_text_has_french_not_fuzzy_with_the_english_placeholders() -> None:
    problems = _problems(list(_extracted()), _french())

    assert problems == {"missing": [], "fuzzy": [], "placeholders": []}, (
        f"fix these in {catalogue_path('fr')}"
    )


def test_the_check_reports_a_missing_a_fuzzy_and_a_misplaced_french_text(tmp_path: Path) -> None:
    po = tmp_path / "messages.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        '#, fuzzy\nmsgid "The {thing} is gone."\nmsgstr "La {thing} a disparu."\n\n'
        'msgid "Try {count} times."\nmsgstr "Essayez {nombre} fois."\n\n'
        'msgid "Try again."\nmsgstr ""\n',
        encoding="utf-8",
    )
    msgids = ["The {thing} is gone.", "Try {count} times.", "Try again.", "Not there."]

    assert _problems(msgids, _french(po)) == {
        "missing": ["Not there.", "Try again."],
        "fuzzy": ["The {thing} is gone."],
        "placeholders": ["Try {count} times."],
    }


def test_the_french_said_about_a_kind_of_object_is_an_error_text_with_no_other_placeholder() -> (
    None
):
    """A sentence said once per kind of object names the noun itself ("la campagne existante"),
    so it may leave {object_type} out; it names no placeholder the English lacks, and is a text
    of a declared error."""
    extracted = _extracted()
    kinds = _kinds()
    assert {"campaign", "ad group", "ad"} <= kinds
    for kind in kinds:
        french = _french(about=kind)
        assert french, kind
        assert set(french) <= set(extracted), kind
        for msgid, (translated, fuzzy) in french.items():
            assert translated, (kind, msgid)
            assert not fuzzy, (kind, msgid)
            assert _placeholders(translated) <= _placeholders(msgid) - {"object_type"}, msgid


def _raised_codes() -> set[tuple[str, str]]:
    """(file, code) for every `SparkadsError("code", ...)` and `because="code"` in the sources."""
    found = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "SparkadsError"):
                continue
            literals = node.args[:1] + [k.value for k in node.keywords if k.arg == "because"]
            for literal in literals:
                if isinstance(literal, ast.Constant) and isinstance(literal.value, str):
                    found.add((str(path.relative_to(SRC)), literal.value))
    return found


def test_every_code_the_sources_raise_is_declared() -> None:
    raised = _raised_codes()

    assert len(raised) > 100
    assert sorted((f, code) for f, code in raised if code not in CATALOGUE) == []
