"""Rule evaluation alone, µs per submission, for whichever aipolicy this Python imports.

    python benchmarks/rules_child.py PACK_DIR DOCS_DIR [--passes 3] [--root CHECKOUT]

Prints one JSON object: ``{"us": ..., "rules": ...}``. :mod:`compare` runs it with two
interpreters (two installs of aipolicy) in one run; it imports through the names of the
current layout and, failing that, through those of 0.1 (before the packages by layer),
so that a change of layout can be measured against what came before it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

AS_OF = dt.date(2026, 11, 22)
ROOT = Path(__file__).resolve().parent.parent


def _api() -> tuple[Any, Any, Any, Any]:
    try:
        from aipolicy.engine.evaluate import match
        from aipolicy.form.load import load_form
        from aipolicy.pack.load import load_pack
        from aipolicy.sources.documents import load_document
    except ImportError:  # the layout of 0.1
        from aipolicy.engine import match  # type: ignore[no-redef,attr-defined]
        from aipolicy.form import load_form  # type: ignore[no-redef]
        from aipolicy.packs import load_pack  # type: ignore[no-redef,import-not-found]
        from aipolicy.sources import load_document  # type: ignore[no-redef]
    return match, load_form, load_pack, load_document


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pack")
    parser.add_argument("docs")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--root", type=Path, default=ROOT, help="whose intake form")
    args = parser.parse_args()
    match, load_form, load_pack, load_document = _api()
    form = load_form(load_document(str(args.root / "intake" / "schema.json")))
    pack = load_pack(args.pack, form)
    params = pack.resolve_params({})
    docs = [form.apply_defaults(load_document(str(p)).data)
            for p in sorted(Path(args.docs).glob("*.yaml"))]
    best = float("inf")
    for _ in range(args.passes):
        start = time.perf_counter()
        for doc in docs:
            match(pack, doc, params=params, as_of=AS_OF)
        best = min(best, (time.perf_counter() - start) / len(docs))
    print(json.dumps({"us": best * 1e6, "rules": len(pack.rules)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
