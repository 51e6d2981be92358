"""Request validation shared by both APIs: pydantic errors become the catalogue's invalid_parameter
(`sparkads.validation`, in the reader's language)."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable, Mapping
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from sparkads.validation import validation_error

__all__ = ["decode_query", "parse_model", "validation_error"]

M = TypeVar("M", bound=BaseModel)


def parse_model(model: type[M], data: Mapping[str, object]) -> M:
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        raise validation_error(exc.errors()) from None


def decode_query(multi: Iterable[tuple[str, str]]) -> dict[str, object]:
    """TikTok GET parameters: arrays and objects travel JSON-encoded as one value
    (`item_types=["VIDEO"]`), or written as Python literals (`['VIDEO']`, what clients built on
    Jinja's `|string` send, as TikTok accepts); repeated keys (`k=a&k=b`) are arrays too."""
    decoded: dict[str, object] = {}
    for key, raw in multi:
        value: object = raw
        if raw[:1] in ("[", "{"):
            value = _structured(raw)
        if key in decoded:
            previous = decoded[key]
            decoded[key] = [*(previous if isinstance(previous, list) else [previous]), value]
        else:
            decoded[key] = value
    return decoded


MAX_LITERAL = 100_000  # characters: a literal longer than any valid query value is left as text


def _structured(raw: str) -> object:
    """JSON, else a Python literal of lists, dicts, strings, numbers, booleans and None
    (`ast.literal_eval` evaluates nothing else); text that is neither stays text, and so does
    text nested too deep to decode (RecursionError)."""
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, RecursionError):
        pass
    if len(raw) > MAX_LITERAL:
        return raw
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError):
        return raw
    return value if isinstance(value, list | dict) else raw
