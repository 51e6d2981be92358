"""docs/ads-manager-api.md's reference sections are lettered (a), (b), … once each, in order, and
every link to one names a section that exists."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "ads-manager-api.md"


def test_reference_sections_are_lettered_once_each_in_order() -> None:
    text = DOC.read_text(encoding="utf-8")
    letters = re.findall(r"^### \(([a-z])\) ", text, re.MULTILINE)
    assert len(letters) >= 8
    assert letters == [chr(ord("a") + i) for i in range(len(letters))]
    for letter in re.findall(r"\[table \(([a-z])\)\]", text):
        assert letter in letters
