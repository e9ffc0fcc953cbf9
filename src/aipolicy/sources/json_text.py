"""JSON that YAML refuses (control characters, astral escapes), read as JSON."""

from __future__ import annotations

import re
from typing import Any

from aipolicy.errors import Location, SourceError

from .files import (
    Limits,
    PathKey,
)


def parse_json(
    text: str, path: str, limits: Limits, yaml_error: SourceError
) -> tuple[Any, dict[PathKey, tuple[int, int]]]:
    """JSON that YAML refuses (control characters, astral escapes): read it as JSON."""
    import json

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                raise ValueError(f"duplicate key '{key}'; keep only one")
            out[key] = value
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs,
                          parse_constant=lambda c: _raise(f"{c} is not a JSON number"))
    except json.JSONDecodeError:
        raise yaml_error from None
    except (ValueError, RecursionError) as exc:
        message = str(exc) if isinstance(exc, ValueError) else "nesting is too deep"
        raise SourceError(f"not valid JSON: {message}", Location(path, 1)) from None
    if _depth(data, limits.max_depth) > limits.max_depth:
        raise SourceError(f"nesting is deeper than {limits.max_depth} levels",
                          Location(path, 1))
    if data is None:
        raise SourceError("the file is empty: it has no content", Location(path, 1))
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # half of a character: not text, and YAML refuses it too
        lone = _LONE_SURROGATE.search(text)
        start = lone.start() if lone is not None else 0
        line = text.count("\n", 0, start) + 1
        column = start - text.rfind("\n", 0, start)
        raise SourceError("not valid JSON: a \\u escape writes half of a character (a lone "
                          "surrogate); write the whole character",
                          Location(path, line, column)) from None
    return data, {(): (1, 1)}


#: a \u escape of a UTF-16 surrogate without its other half
_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def _raise(message: str) -> Any:
    raise ValueError(message)


def _depth(value: Any, limit: int) -> int:
    depth, level = 0, [value]
    while level and depth <= limit:
        nxt: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                nxt.extend(item.values())
            elif isinstance(item, list):
                nxt.extend(item)
        if nxt:
            depth += 1
        level = nxt
    return depth
