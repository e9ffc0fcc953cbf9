"""What the benchmark scripts share: paths, the evaluation date, the form and packs.

The benchmark modules import each other as plain modules: run them as scripts
(``python benchmarks/gen_intakes.py``), or put ``benchmarks/`` on ``sys.path`` first.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path
from typing import Any

from aipolicy.engine.evaluate import evaluate
from aipolicy.form.load import load_form
from aipolicy.form.schema import Form
from aipolicy.pack.compiled import CompiledPack
from aipolicy.pack.load import load_pack
from aipolicy.sources.documents import SourceDoc, load_document, parse_document

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "intake" / "schema.json"
STARTER = ROOT / "policies"
#: every benchmark evaluates as on this date (so that generated files stay valid)
AS_OF = dt.date(2026, 11, 22)


@functools.lru_cache(maxsize=1)
def form() -> Form:
    """The intake form of this repository."""
    return load_form(load_document(str(SCHEMA)))


@functools.lru_cache(maxsize=8)
def pack(path: str = str(STARTER)) -> CompiledPack:
    """A compiled rule pack (the starter pack by default), loaded once per process."""
    return load_pack(path, form())


def source(doc: dict[str, Any] | str, name: str = "<doc>") -> SourceDoc:
    """A parsed submission from YAML text, or from a dict (written out as JSON, which is
    YAML too), read by aipolicy's own parser so that dates stay strings."""
    text = doc if isinstance(doc, str) else json.dumps(doc)
    return parse_document(text, name)


def decide(compiled: CompiledPack, doc: SourceDoc) -> Any:
    """The full decision for one submission, with the pack's default parameters."""
    return evaluate(compiled, doc, params=compiled.resolve_params({}), as_of=AS_OF)
