"""Every message the web app shows exists in French, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import sparkads.web

WEB = Path(sparkads.web.__file__).parent
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
KEYWORDS = {"_": None, "gettext": (2,), "N_": None}


def _source_messages() -> set[str]:
    found = set()
    for _, _, message, _, _ in extract_from_dir(
        str(WEB), METHODS, options_map=OPTIONS, keywords=KEYWORDS
    ):
        if isinstance(message, str) and message:
            found.add(message)
    return found


def _french() -> dict[str, str]:
    with (WEB.parent / "translations/fr/LC_MESSAGES/messages.po").open("rb") as source:
        return {m.id: m.string for m in read_po(source) if m.id and isinstance(m.id, str)}


def test_every_web_message_has_a_french_translation() -> None:
    french = _french()

    missing = sorted(m for m in _source_messages() if not french.get(m))

    assert missing == [], f"add these to messages.po: {missing}"


def test_french_translations_keep_their_placeholders() -> None:
    broken = [
        (english, french)
        for english, french in _french().items()
        if sorted(re.findall(r"%\(\w+\)s", english)) != sorted(re.findall(r"%\(\w+\)s", french))
    ]

    assert broken == []
