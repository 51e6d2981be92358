from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sparkads.authorizations import codes


def test_generated_codes_parse_back_to_themselves() -> None:
    code = codes.generate()
    assert codes.parse(code) == code
    assert len(code) == codes.LENGTH


def test_codes_carry_at_least_128_random_bits() -> None:
    assert codes.RANDOM_CHARS * 5 >= 128


def test_codes_are_case_and_whitespace_insensitive() -> None:
    code = codes.generate()
    assert codes.parse(f"  {code.lower()}\n") == code


def test_two_codes_differ() -> None:
    assert len({codes.generate() for _ in range(1000)}) == 1000


@given(st.data())
def test_any_single_character_change_is_detected(data: st.DataObject) -> None:
    code = codes.generate()
    position = data.draw(st.integers(0, len(code) - 1))
    replacement = data.draw(st.sampled_from(codes.ALPHABET + "ILOU-#"))
    changed = code[:position] + replacement + code[position + 1 :]
    if changed == code:
        return
    with pytest.raises(codes.CodeFormatError):
        codes.parse(changed)


@given(st.data())
def test_truncated_or_extended_codes_are_detected(data: st.DataObject) -> None:
    code = codes.generate()
    cut = data.draw(st.integers(0, len(code) - 1))
    with pytest.raises(codes.CodeFormatError):
        codes.parse(code[:cut])
    with pytest.raises(codes.CodeFormatError):
        codes.parse(code + data.draw(st.sampled_from(codes.ALPHABET)))


@given(st.data())
def test_adjacent_swaps_of_different_characters_are_detected(data: st.DataObject) -> None:
    code = codes.generate()
    position = data.draw(st.integers(len(codes.PREFIX), len(code) - 2))
    if code[position] == code[position + 1]:
        return
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    with pytest.raises(codes.CodeFormatError):
        codes.parse(swapped)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [("", "starts with SPK"), ("SPK123", "has 32 characters"), ("ABC" + "0" * 29, "starts with")],
)
def test_format_errors_say_what_is_wrong(raw: str, reason: str) -> None:
    with pytest.raises(codes.CodeFormatError, match=reason):
        codes.parse(raw)


def test_hint_does_not_reveal_the_code() -> None:
    code = codes.generate()
    hint = codes.hint(code)
    assert len(hint.replace("…", "")) <= 9
    assert hint.replace("…", "") not in code[5:-4]
