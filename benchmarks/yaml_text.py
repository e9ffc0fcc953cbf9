"""Write intake data as YAML the way people write it (the style of ``intake/examples``).

Block mappings, flow lists and small flow mappings where they fit on a line, a folded
block for long prose, plain scalars wherever YAML reads them back as the same string
(dates stay plain: aipolicy reads them as text), double quotes otherwise.
"""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

WIDTH = 100
#: list items of scalars stay on one line up to this width, as in intake/examples
ITEM_WIDTH = 160
#: text fields written as a folded block when long
FOLDED = frozenset({"intended_purpose", "notes"})
_RESERVED = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"})
_NUMBER = re.compile(r"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9]*)?)([eE][-+]?[0-9]+)?|0[xo].*")
_PLAIN = re.compile(r"[A-Za-z0-9_/(][^\n\t\"]*")


def scalar(value: Any, flow: bool = False) -> str:
    """One value as YAML: plain when it reads back as itself, else quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    plain = (_PLAIN.fullmatch(text) is not None and text == text.strip()
             and text.lower() not in _RESERVED and not _NUMBER.fullmatch(text)
             and ": " not in text and " #" not in text and not text.endswith(":")
             and not (flow and any(c in text for c in ",[]{}")))
    return text if plain else json.dumps(text, ensure_ascii=False)


def _flow(value: Any) -> str | None:
    """A one-line flow form of a list or mapping of scalars, or None."""
    if isinstance(value, list):
        if any(isinstance(v, (list, dict)) for v in value):
            return None
        return "[" + ", ".join(scalar(v, flow=True) for v in value) + "]"
    if isinstance(value, dict):
        if any(isinstance(v, (list, dict)) and v for v in value.values()):
            return None
        parts = [f"{k}: {_flow(v) if isinstance(v, (list, dict)) else scalar(v, flow=True)}"
                 for k, v in value.items()]
        return "{" + ", ".join(parts) + "}"
    return None


def _mapping(data: dict[str, Any], indent: int, out: list[str], flow_groups: bool) -> None:
    pad = " " * indent
    for key, value in data.items():
        head = f"{pad}{key}:"
        if isinstance(value, str) and key in FOLDED and len(head) + len(value) > WIDTH:
            out.append(f"{head} >-")
            out.extend(textwrap.wrap(value, WIDTH - indent - 2, initial_indent=pad + "  ",
                                     subsequent_indent=pad + "  ", break_long_words=False,
                                     break_on_hyphens=False))
        elif isinstance(value, (list, dict)):
            flow = _flow(value)
            small = isinstance(value, list) or flow_groups or not value
            if flow is not None and small and len(head) + 1 + len(flow) <= WIDTH:
                out.append(f"{head} {flow}")
            elif isinstance(value, dict):
                out.append(head)
                _mapping(value, indent + 2, out, False)
            else:
                out.append(head)
                _sequence(value, indent + 2, out)
        else:
            out.append(f"{head} {scalar(value)}")


def _sequence(items: list[Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, dict):
            flow = _flow(item)
            if flow is not None and indent + 2 + len(flow) <= ITEM_WIDTH:
                out.append(f"{pad}- {flow}")
                continue
            inner: list[str] = []
            _mapping(item, indent + 2, inner, True)
            out.append(f"{pad}- {inner[0].lstrip()}")
            out.extend(inner[1:])
        elif isinstance(item, list):
            out.append(f"{pad}- {_flow(item)}")
        else:
            out.append(f"{pad}- {scalar(item)}")


def dump(data: dict[str, Any], comments: list[str] | None = None,
         flow_keys: frozenset[str] = frozenset({"owner", "technical_owner"})) -> str:
    """The YAML text of one intake file, with ``comments`` as its first lines."""
    out = [f"# {line}" for line in comments or ()]
    for key, value in data.items():
        _mapping({key: value}, 0, out, key in flow_keys)
    return "\n".join(out) + "\n"
