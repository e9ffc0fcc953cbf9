"""aipolicy: policy-as-code for AI use-case intake.

The library API is the pipeline the CLI runs::

    import datetime as dt
    import aipolicy

    form = aipolicy.load_form(aipolicy.load_document("intake/schema.json"))
    pack = aipolicy.load_pack("policies", form)
    doc = aipolicy.load_document("intake/examples/cv-ranking.yaml")
    decision = aipolicy.evaluate(pack, doc, params=pack.resolve_params({}),
                                 as_of=dt.date.today())
    print(decision.tier, decision.facts, decision.approval_path)

Names are imported lazily so that ``import aipolicy`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .commands.check import check
    from .commands.settings import Settings
    from .commands.validate import validate
    from .decision import Decision, Finding, Report
    from .engine.evaluate import evaluate
    from .errors import AipolicyError, ConfigError, FormError, PackError, SourceError
    from .form.load import load_form
    from .form.schema import Form
    from .pack.compiled import CompiledPack
    from .pack.load import load_pack
    from .sources.documents import SourceDoc, load_document

_EXPORTS = {
    "Decision": "decision", "Finding": "decision", "Report": "decision",
    "evaluate": "engine.evaluate",
    "AipolicyError": "errors", "ConfigError": "errors", "FormError": "errors",
    "PackError": "errors", "SourceError": "errors",
    "Form": "form.schema", "load_form": "form.load",
    "CompiledPack": "pack.compiled", "load_pack": "pack.load",
    "Settings": "commands.settings", "check": "commands.check", "validate": "commands.validate",
    "SourceDoc": "sources.documents", "load_document": "sources.documents",
}

__all__ = [
    "AipolicyError", "CompiledPack", "ConfigError", "Decision", "Finding", "Form", "FormError",
    "PackError", "Report", "Settings", "SourceDoc", "SourceError", "__version__", "check",
    "evaluate", "load_document", "load_form", "load_pack", "validate",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'aipolicy' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f".{module}", __name__), name)
