"""A compiled pack's inputs, frozen to JSON for the cache, and thawed without pydantic.

The cache holds the parsed data of each pack file and the validated pack model. Models
are written as ``{"__model__": name, ...fields}`` and come back as plain attribute
objects, so a cache hit needs neither the YAML parser nor pydantic. JSON, never pickle:
a cache file must not be able to run code.
"""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace
from typing import Any

FORMAT = 1


def _plain(value: Any) -> Any:
    fields = getattr(type(value), "model_fields", None)
    if fields is not None:  # a pydantic model
        return {"__model__": type(value).__name__,
                **{name: _plain(getattr(value, name)) for name in fields}}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return {"__date__": value.isoformat()}
    return value


def freeze(datas: list[Any], model: Any) -> str:
    """The cache entry for a pack: its files' data and its validated model."""
    # the files' data are nested as text, so that no key of theirs is read as a marker
    return json.dumps({"format": FORMAT, "docs": json.dumps(datas), "model": _plain(model)})


class Frozen(SimpleNamespace):
    """A model read back from the cache: attributes only."""


def _hook(obj: dict[str, Any]) -> Any:
    if "__date__" in obj and len(obj) == 1:
        return dt.date.fromisoformat(obj["__date__"])
    if "__model__" in obj:
        fields = {k: tuple(v) if isinstance(v, list) and k != "when" else v
                  for k, v in obj.items() if k != "__model__"}
        return Frozen(**fields)
    return obj


def thaw(text: str) -> tuple[list[Any], Any]:
    """The files' data and the model; ValueError for an entry of another format."""
    found = json.loads(text, object_hook=_hook)
    if not isinstance(found, dict) or found.get("format") != FORMAT:
        raise ValueError("cache format")
    return json.loads(found["docs"]), found["model"]
