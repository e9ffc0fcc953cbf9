"""The JSON Schema of a reviewer-owned file that holds one entry or a list of them (a
waiver file, an approvals file), from the entry's and the list's pydantic models: what
``aipolicy schema waiver|approval`` prints for editors."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


def one_or_many(one: type[BaseModel], many: type[BaseModel], *, schema_id: str, title: str,
                description: str) -> dict[str, Any]:
    """A schema accepting either one ``one`` mapping or a ``many`` mapping (its list)."""
    entry = one.model_json_schema(ref_template="#/$defs/{model}")
    listing = many.model_json_schema(ref_template="#/$defs/{model}")
    defs = {**entry.pop("$defs", {}), **listing.pop("$defs", {}), one.__name__: entry,
            many.__name__: listing}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        "title": title,
        "description": description,
        "oneOf": [{"$ref": f"#/$defs/{one.__name__}"}, {"$ref": f"#/$defs/{many.__name__}"}],
        "$defs": defs,
    }
