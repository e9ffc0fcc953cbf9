"""Reporters: pure functions from a :class:`~aipolicy.decision.Report` to text.

``REPORTERS`` maps each ``--format`` name to its module and function; a reporter's
module is imported only when that format is asked for, so the pre-commit path does not
pay for the others.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from aipolicy.decision import Report

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


#: The formats that render each decision from its canonical JSON alone: a worker process
#: sends such decisions as that JSON (:class:`aipolicy.serialize.JsonDecision`), which the
#: report then shows as it came.
FROM_JSON: frozenset[str] = frozenset({"json"})


def get_reporter(name: str) -> Render:
    module_name, func = REPORTERS[name]
    module = importlib.import_module(f"{__name__}.{module_name}")
    render: Render = getattr(module, func)
    return render
