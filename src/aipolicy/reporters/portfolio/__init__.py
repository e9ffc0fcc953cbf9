"""Reporters of the portfolio (``aipolicy report``): pure functions from its dict to text.

``PORTFOLIO_REPORTERS`` maps each ``report --format`` name to its module and function;
a module is imported only when its format is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

Render = Callable[[dict[str, Any]], str]

#: format name -> (module in this package, function name)
PORTFOLIO_REPORTERS: dict[str, tuple[str, str]] = {
    "table": ("table", "render"),
    "markdown": ("markdown", "render"),
    "json": ("json_", "render"),
    "csv": ("csv_", "render"),
    "html": ("html", "render"),
}


def get_reporter(name: str) -> Render:
    module_name, func = PORTFOLIO_REPORTERS[name]
    module = importlib.import_module(f"{__name__}.{module_name}")
    render: Render = getattr(module, func)
    return render
