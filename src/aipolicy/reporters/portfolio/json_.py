"""``report --format json``: the portfolio dict, keys in their documented order, indented;
byte-identical across runs with the same inputs and ``--as-of``."""

from __future__ import annotations

import json
from typing import Any

from aipolicy.reporters._text import json_safe


def render(portfolio: dict[str, Any]) -> str:
    """The portfolio as indented JSON, its text kept valid UTF-8 and inert."""
    return json_safe(json.dumps(portfolio, indent=2, ensure_ascii=False)) + "\n"
