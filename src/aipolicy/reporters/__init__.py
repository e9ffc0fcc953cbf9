"""Reporters: pure functions from a :class:`~aipolicy.decision.Report` to text.

``REPORTERS`` maps each ``--format`` name to its module and function; a reporter's
module is imported only when that format is asked for, so the pre-commit path does not
pay for the others.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from aipolicy.decision import Decision, Report

Render = Callable[[Report], str]

#: format name -> (module in this package, function name)
REPORTERS: dict[str, tuple[str, str]] = {
    "table": ("table", "render"),
    "json": ("json_", "render"),
    "sarif": ("sarif", "render"),
    "junit": ("junit", "render"),
    "github": ("github", "render"),
    "markdown": ("markdown", "render"),
}


#: format name -> (module, function) rendering one decision's part of that report, which
#: a worker process can run right after deciding (``run.check(part=...)``); the report's
#: ``render`` then joins the parts instead of rendering every decision itself
PARTS: dict[str, tuple[str, str]] = {
    "json": ("json_", "result_line"),
}


def get_part(name: str) -> Callable[[Decision], str] | None:
    if name not in PARTS:
        return None
    module_name, func = PARTS[name]
    module = importlib.import_module(f"{__name__}.{module_name}")
    part: Callable[[Decision], str] = getattr(module, func)
    return part


def get_reporter(name: str) -> Render:
    module_name, func = REPORTERS[name]
    module = importlib.import_module(f"{__name__}.{module_name}")
    render: Render = getattr(module, func)
    return render
