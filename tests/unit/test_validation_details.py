"""What pydantic finds wrong with a value is said in the reader's language: its common complaints
are catalogue texts whose English is pydantic's own words (so the API's English stays as it was),
and a validator's refusal (`LocalValueError`) carries its own catalogue text (`sparkads.validation.detail`)."""

from __future__ import annotations

from typing import Annotated, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from sparkads import validation
from sparkads.i18n import N_, LocalText, LocalValueError
from sparkads.validation import TEXTS


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=2, max_length=3)] = "ab"
    count: Annotated[int, Field(ge=1, le=5)] = 1
    share: Annotated[float, Field(gt=0, lt=1)] = 0.5
    kind: Literal["NARROW", "BALANCED", "BROAD"] = "NARROW"
    ids: Annotated[list[int], Field(min_length=1, max_length=2)] = [1]
    flag: bool = False
    extra: dict[str, int] = {}
    period: int = 7
    required: str

    @field_validator("period")
    @classmethod
    def _period(cls, value: int) -> int:
        if value not in (7, 15):
            raise LocalValueError(LocalText(N_("action_period is 7, 15, 30, 60 or 180 days")))
        return value


BAD = [
    {},
    {"required": "x", "name": "a"},
    {"required": "x", "name": "abcd"},
    {"required": "x", "name": 5},
    {"required": "x", "count": 0},
    {"required": "x", "count": 6},
    {"required": "x", "count": "six"},
    {"required": "x", "count": 1.5},
    {"required": "x", "count": []},
    {"required": "x", "share": 0},
    {"required": "x", "share": 1},
    {"required": "x", "share": "half"},
    {"required": "x", "share": []},
    {"required": "x", "kind": "WIDE"},
    {"required": "x", "ids": []},
    {"required": "x", "ids": [1, 2, 3]},
    {"required": "x", "ids": 3},
    {"required": "x", "flag": "perhaps"},
    {"required": "x", "flag": []},
    {"required": "x", "extra": 3},
    {"required": "x", "other": 1},
]


def _errors() -> list[ErrorDetails]:
    found = []
    for body in BAD:
        with pytest.raises(ValidationError) as refused:
            _Body.model_validate(body)
        found += refused.value.errors()
    return found


def test_the_english_of_each_common_complaint_is_pydantics_own() -> None:
    errors = _errors()
    shown = {str(e["type"]): (validation.detail(e), e["msg"]) for e in errors}

    assert len(set(shown) & set(TEXTS)) >= 18
    for kind, (detail, english) in shown.items():
        if kind in TEXTS:
            assert isinstance(detail, LocalText), kind
            assert detail.render("en") == english, kind
            assert detail.render("fr") != english, kind


@pytest.mark.parametrize(
    ("body", "en", "fr"),
    [
        ({"required": "x", "name": "abcd"}, "String should have at most 3 characters",
         "Le texte doit faire au plus 3 caractères"),
        ({"required": "x", "kind": "WIDE"}, "Input should be 'NARROW', 'BALANCED' or 'BROAD'",
         "La valeur doit être 'NARROW', 'BALANCED' ou 'BROAD'"),
        ({"required": "x", "period": 9}, "action_period is 7, 15, 30, 60 or 180 days",
         "action_period vaut 7, 15, 30, 60 ou 180 jours"),
        ({"required": "x", "count": 0}, "Input should be greater than or equal to 1",
         "La valeur doit être supérieure ou égale à 1"),
    ],
)  # fmt: skip
def test_a_complaint_in_english_and_in_french(body: dict[str, object], en: str, fr: str) -> None:
    with pytest.raises(ValidationError) as refused:
        _Body.model_validate(body)
    detail = validation.detail(refused.value.errors()[0])

    assert isinstance(detail, LocalText)
    assert (detail.render("en"), detail.render("fr")) == (en, fr)


def test_a_complaint_of_another_kind_keeps_pydantics_words() -> None:
    error = {"type": "url_parsing", "msg": "Input should be a valid URL, empty host", "loc": ()}

    assert validation.detail(error) == "Input should be a valid URL, empty host"


class _Noted(BaseModel):
    note: str = ""

    @field_validator("note")
    @classmethod
    def _note(cls, value: str) -> str:
        if value == "no":
            raise ValueError("a library's words")  # not a LocalValueError
        return value


def test_a_plain_value_error_keeps_its_english_without_pydantics_prefix() -> None:
    with pytest.raises(ValidationError) as refused:
        _Noted.model_validate({"note": "no"})

    assert validation.detail(refused.value.errors()[0]) == "a library's words"
