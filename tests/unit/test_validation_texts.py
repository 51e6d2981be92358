"""sparkads/validation.py: every pydantic error type it lists has its French in the catalogue
(with the English placeholders, both plural forms), writes pydantic's English byte for byte for
real errors of the app's request models, and an unknown type keeps pydantic's English, logged once."""

from __future__ import annotations

import logging
import re
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

import pytest
from babel.messages.pofile import read_po
from pydantic import AnyUrl, BaseModel, ConfigDict, Field, ValidationError

import sparkads
from sparkads import validation
from sparkads.i18n import LocalText, catalogue_path
from sparkads.validation import TEXTS, WORDS, detail, validation_error

PLACEHOLDER = re.compile(r"\{(\w*)\}")


def _catalogue() -> dict[str, object]:
    with (Path(sparkads.__file__).parent / catalogue_path("fr")).open("rb") as source:
        return {
            (m.id[0] if isinstance(m.id, tuple) else m.id): m.string
            for m in read_po(source, locale="fr")
            if m.id and not m.fuzzy
        }


def test_every_listed_type_and_word_has_its_french_with_the_same_placeholders() -> None:
    french = _catalogue()
    problems = []
    for kind, templates in TEXTS.items():
        for template in templates:
            english = (template,) if isinstance(template, str) else template
            translated = french.get(english[0])
            forms = translated if isinstance(translated, tuple) else (translated,)
            if not all(forms) or len(forms) != len(english):
                problems.append((kind, english[0], "missing"))
                continue
            for en, fr in zip(english, forms, strict=True):
                assert isinstance(fr, str)
                if set(PLACEHOLDER.findall(en)) != set(PLACEHOLDER.findall(fr)):
                    problems.append((kind, en, "placeholders"))
    problems += [(word, word, "missing") for word in WORDS if not french.get(word)]
    assert problems == []


class _Probe(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "FR"
    short: Annotated[str, Field(min_length=2, max_length=3)] = "ab"
    one: Annotated[str, Field(max_length=1)] = ""
    count: Annotated[int, Field(ge=1, le=1000)] = 1
    ratio: Annotated[float, Field(gt=0.0, lt=1.5)] = 0.5
    items: Annotated[list[int], Field(min_length=1, max_length=2)] = [1]
    kind: Literal["A", "B", "C"] = "A"
    flag: bool = False
    amount: Annotated[Decimal, Field(max_digits=4, decimal_places=1)] = Decimal(0)
    url: AnyUrl | None = None


@pytest.mark.parametrize(
    ("data", "kind", "french"),
    [
        ({"zz": 1}, "extra_forbidden", "Ce champ n'est pas accepté ici"),
        ({"code": "fr"}, "string_pattern_mismatch",
         "Le texte doit correspondre au motif '^[A-Z]{2}$'"),
        ({"short": "a"}, "string_too_short", "Le texte doit faire au moins 2 caractères"),
        ({"one": "ab"}, "string_too_long", "Le texte doit faire au plus 1 caractère"),
        ({"count": 5000}, "less_than_equal", "La valeur doit être inférieure ou égale à 1000"),
        ({"count": 0}, "greater_than_equal", "La valeur doit être supérieure ou égale à 1"),
        ({"count": "x"}, "int_parsing", "La valeur doit être un nombre entier : ce texte n'en est pas un"),
        ({"ratio": 0}, "greater_than", "La valeur doit être strictement supérieure à 0"),
        ({"ratio": 2}, "less_than", "La valeur doit être strictement inférieure à 1.5"),
        ({"items": []}, "too_short", "Liste : au moins 1 élément après validation, et non 0"),
        ({"items": [1, 2, 3]}, "too_long", "Liste : au plus 2 éléments après validation, et non 3"),
        ({"kind": "D"}, "literal_error", "La valeur doit être 'A', 'B' ou 'C'"),
        ({"flag": "maybe"}, "bool_parsing",
         "La valeur doit être un booléen (true ou false) : celle-ci ne se lit pas ainsi"),
        ({"amount": "12345"}, "decimal_max_digits",
         "Le nombre décimal doit avoir au plus 4 chiffres en tout"),
        ({"url": "nowhere"}, "url_parsing",
         "La valeur doit être une URL valide : URL relative, sans adresse de base"),
    ],
)  # fmt: skip
def test_real_errors_in_english_as_pydantic_wrote_them_and_in_french(
    data: dict[str, object], kind: str, french: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _Probe.model_validate(data)
    error = refused.value.errors()[0]
    assert error["type"] == kind
    text = detail(error)
    assert isinstance(text, LocalText)
    assert text.render("en") == error["msg"]
    assert text.render("fr") == french


def test_missing_field_and_json_decode_error() -> None:
    missing = {"type": "missing", "loc": ("body", "viewer", "viewer_id"), "msg": "Field required"}
    error = validation_error([missing])
    assert error.params["field"] == "viewer.viewer_id"
    assert error.render("fr")["message"] == (
        "Valeur invalide pour viewer.viewer_id : Champ obligatoire"
    )
    fastapi_json = {"type": "json_invalid", "loc": ("body", 1), "msg": "JSON decode error",
                    "ctx": {"error": "Expecting value"}}  # fmt: skip
    text = detail(fastapi_json)
    assert isinstance(text, LocalText)
    assert (text.render("en"), text.render("fr")) == (
        "JSON decode error",
        "Erreur de décodage JSON",
    )


def test_an_unknown_type_keeps_pydantics_english_logged_once(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validation, "_logged", set())
    unknown = {"type": "made_up_here", "loc": ("x",), "msg": "Nothing 1 this", "ctx": {"a": 1}}
    with caplog.at_level(logging.WARNING, logger="sparkads.validation"):
        assert detail(unknown) == "Nothing 1 this"
        assert detail(unknown) == "Nothing 1 this"
        refused = validation_error([unknown]).render("fr")
    assert refused["message"] == "Valeur invalide pour x : Nothing 1 this"
    assert [r.getMessage() for r in caplog.records].count(
        "pydantic error type 'made_up_here' has no French here; shown in English: Nothing 1 this"
    ) == 1


def test_a_template_pydantic_no_longer_writes_falls_back_to_its_english() -> None:
    changed = {"type": "missing", "loc": ("a",), "msg": "This field is required"}
    assert detail(changed) == "This field is required"
