"""A refusal's detail is a catalogue text, shown in the reader's language: no `detail=` of a
`SparkadsError` in the sources is English text written in place (a literal, an f-string, text
glued together, `str(exc)`); each is a `LocalText` of a msgid with French (the web may pass a bare
`N_` msgid: its pages translate a text parameter). The few values that are not catalogue texts
are listed below with why. Figures inside a detail are written the reader's way."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import sparkads
from sparkads.campaigns.enums import BidType, BillingEvent
from sparkads.campaigns.rules import Bid, check_bid
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText, catalogue_path
from sparkads.money import MICROS

SRC = Path(sparkads.__file__).parent

# (file, the detail's expression): what a detail may be that is not a LocalText made here.
NOT_CATALOGUE_TEXTS = {
    ("campaigns/ads.py", "url[:80]"): "the address as the user typed it, echoed back",
    ("api/app.py", "str(exc.detail)"): "Starlette's words for a malformed HTTP request",
    # pydantic's complaint: a LocalText for the types of validation.TEXTS and our validators'
    # LocalValueError (test_validation_texts.py, test_validation_details.py), its English for others
    ("validation.py", "detail(first)"): "pydantic's complaint",
    # a LocalText made a few lines above, or carried by the exception that says what is wrong
    ("audiences/service.py", "exc.text"): "HashFileError.text, a LocalText",
    ("authorizations/spark_codes.py", "exc.text"): "CodeFormatError.text, a LocalText",
    ("campaigns/videos.py", "exc.text"): "MediaError.text, a LocalText",
    ("web/studio.py", "exc.text"): "MediaError.text, a LocalText",
    ("cli/main.py", "detail"): "a LocalText",
    ("cli/simulation.py", "detail"): "a LocalText",
    ("web/campaigns.py", "detail"): "a LocalText",
    ("web/forms.py", "detail"): "a LocalText",
    ("web/marketplace.py", "detail"): "a LocalText",
    ("web/drafts.py", "detail"): "a LocalText (the rule's, or the typed address in one)",
}


def _details() -> list[tuple[str, int, ast.expr]]:
    """(file, line, expression) of every `detail=` given to `SparkadsError(...)` in the sources."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "SparkadsError":
                found += [
                    (path.relative_to(SRC).as_posix(), node.lineno, k.value)
                    for k in node.keywords
                    if k.arg == "detail"
                ]
    return found


def _called(expression: ast.expr) -> str:
    if not isinstance(expression, ast.Call):
        return ""
    return ast.unparse(expression.func)


def _catalogue_text(file: str, expression: ast.expr) -> bool:
    """A LocalText (a catalogue msgid shown in the reader's language), or on the web a bare `N_`
    msgid, or a value listed in NOT_CATALOGUE_TEXTS."""
    if _called(expression) in ("LocalText", "LocalText.counted"):
        return True
    if isinstance(expression, ast.IfExp):  # one catalogue text or another
        return _catalogue_text(file, expression.body) and _catalogue_text(file, expression.orelse)
    if _called(expression) == "N_":
        return file.startswith("web/")
    return (file, ast.unparse(expression)) in NOT_CATALOGUE_TEXTS


def test_every_detail_in_the_sources_is_a_catalogue_text() -> None:
    details = _details()

    assert len(details) > 100
    written_in_place = [
        f"{file}:{line}: {ast.unparse(expression)}"
        for file, line, expression in details
        if not _catalogue_text(file, expression)
    ]
    assert written_in_place == [], "make these LocalText(N_(...), {...}) with their French"


def test_the_list_of_other_values_names_only_what_the_sources_still_hold() -> None:
    held = {(file, ast.unparse(expression)) for file, _, expression in _details()}

    assert sorted(set(NOT_CATALOGUE_TEXTS) - held) == []


@pytest.mark.parametrize(
    "source",
    [
        'SparkadsError("invalid_parameter", field="x", detail="at most 3")',
        'SparkadsError("invalid_parameter", field="x", detail=f"at most {most}")',
        'SparkadsError("invalid_parameter", field="x", detail="a" + ", ".join(b))',
        'SparkadsError("video_file_invalid", detail=str(exc))',
        'SparkadsError("invalid_parameter", field="x", detail=N_("at most 3"))',
    ],
)
def test_the_check_finds_a_detail_written_in_place(source: str) -> None:
    call = ast.parse(source).body[0]
    assert isinstance(call, ast.Expr)
    assert isinstance(call.value, ast.Call)
    [detail] = [k.value for k in call.value.keywords if k.arg == "detail"]

    assert not _catalogue_text("campaigns/rules.py", detail)


def test_every_catalogue_text_of_the_sources_has_french() -> None:
    with (SRC / catalogue_path("fr")).open("rb") as source:
        catalogue = read_po(source, locale="fr")
    missing = []
    for filename, line, message, _, _ in extract_from_dir(
        str(SRC), [("**.py", "python")], keywords={"N_": None, "Np_": (1, 2)}
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalogue.get(msgid)
        forms = "" if entry is None else entry.string
        if not all(forms if isinstance(forms, tuple) else (forms,)):
            missing.append(f"{filename}:{line}: {msgid}")

    assert missing == [], "add their French to messages.po"


def _too_high(billing: BillingEvent) -> SparkadsError:
    amount = 10**9 * MICROS
    bid = Bid(BidType.CUSTOM, billing, amount, None)
    if billing is BillingEvent.OCPM:
        bid = Bid(BidType.CUSTOM, billing, None, amount)
    with pytest.raises(SparkadsError) as refused:
        check_bid(bid)
    return refused.value


@pytest.mark.parametrize(
    ("billing", "en", "fr"),
    [
        (BillingEvent.CPC, "at most 100 for CPC", "100 au plus pour CPC"),
        (BillingEvent.CPM, "at most 1,000 for CPM", "1\u202f000 au plus pour CPM"),
        (BillingEvent.OCPM, "at most 10,000 for OCPM", "10\u202f000 au plus pour OCPM"),
    ],
)
def test_the_highest_bid_is_said_in_the_readers_language_and_figures(
    billing: BillingEvent, en: str, fr: str
) -> None:
    refused = _too_high(billing)

    assert refused.render("en")["message"].endswith(f": {en}")
    assert refused.render("fr")["message"].endswith(f" : {fr}")


def test_figures_in_a_local_text_follow_the_language_but_identifiers_do_not() -> None:
    text = LocalText(N_("at most {most} days"), {"most": 12345})
    decimal = LocalText(N_("required with {other}"), {"other": 2.5})
    identified = LocalText(N_("the invitation is for {item_id}"), {"item_id": 7000000001})

    assert (text.render("en"), text.render("fr")) == (
        "at most 12,345 days",
        "12\u202f345 jours au plus",
    )
    assert (decimal.render("en"), decimal.render("fr")) == (
        "required with 2.5",
        "obligatoire avec 2,5",
    )
    assert identified.render("fr") == "l'invitation porte sur 7000000001"
