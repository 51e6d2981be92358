"""OpenAPI descriptions for GET endpoints whose parameters are parsed the TikTok way.

Arrays and objects are documented as JSON-encoded query values (`content: application/json`), which
is how OpenAPI 3 says exactly what TikTok clients send."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

ACCESS_TOKEN = {
    "name": "Access-Token",
    "in": "header",
    "required": True,
    "schema": {"type": "string"},
    "description": "Token of the advertiser or its Business Center.",
}


def _inline(schema: Any, defs: dict[str, object]) -> Any:
    if isinstance(schema, dict):
        if "$ref" in schema:
            return _inline(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
        return {key: _inline(value, defs) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_inline(item, defs) for item in schema]
    return schema


def _is_structured(schema: dict[str, Any]) -> bool:
    options = schema.get("anyOf", [schema])
    return any(option.get("type") in ("array", "object") for option in options)


def query_doc(model: type[BaseModel]) -> dict[str, object]:
    full = model.model_json_schema()
    defs = full.get("$defs", {})
    required = set(full.get("required", []))
    parameters: list[dict[str, object]] = [ACCESS_TOKEN]
    for name, raw in full.get("properties", {}).items():
        schema = _inline(raw, defs)
        parameter: dict[str, object] = {"name": name, "in": "query", "required": name in required}
        if _is_structured(schema):
            parameter["content"] = {"application/json": {"schema": schema}}
        else:
            parameter["schema"] = schema
        parameters.append(parameter)
    return {"parameters": parameters}


def body_doc() -> dict[str, object]:
    return {"parameters": [ACCESS_TOKEN]}
