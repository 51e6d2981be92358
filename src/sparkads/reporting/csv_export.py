"""CSV exports that a spreadsheet opens as data, never as formulas.

A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula by
Excel, LibreOffice and Google Sheets (a campaign named `=HYPERLINK(...)` would run on the analyst's
machine). Such cells get a leading apostrophe, which spreadsheets show as text and hide (OWASP's
advice). Numbers are written as they are, negative ones included."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(fields: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """The rows as CSV text under a header of `fields` (keys not in fields are left out)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(fields), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: neutralise(value) for key, value in row.items()})
    return buffer.getvalue()
