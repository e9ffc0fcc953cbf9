"""Golden cases: ``tests/cases/<name>/`` holds an intake, the expected decision and,
optionally, ``case.yaml`` with ``as_of``, ``params`` and a ``description``.

Run ``pytest tests/golden/test_cases.py --update-golden`` to rewrite the expected decisions,
then review the diff: it is a policy change.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from aipolicy.engine.evaluate import evaluate
from aipolicy.form.load import load_form
from aipolicy.pack.compiled import CompiledPack
from aipolicy.pack.load import load_pack
from aipolicy.serialize import decision_dict
from aipolicy.sources.documents import load_document
from helpers.paths import AS_OF, FORM, PACK, ROOT

CASES = ROOT / "tests" / "cases"


@pytest.fixture(scope="module")
def pack() -> CompiledPack:
    return load_pack(str(PACK), load_form(load_document(str(FORM))))


def run_case(case_dir: Path, pack: CompiledPack) -> dict[str, Any]:
    spec_file = case_dir / "case.yaml"
    spec = yaml.safe_load(spec_file.read_text()) if spec_file.exists() else {}
    params = pack.resolve_params({k: str(v) for k, v in (spec.get("params") or {}).items()})
    as_of = dt.date.fromisoformat(str(spec.get("as_of", AS_OF)))
    doc = load_document(str(case_dir / "intake.yaml"))
    out = decision_dict(evaluate(pack, doc, params=params, as_of=as_of))
    out["file"] = "intake.yaml"
    return out


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_case(case: str, pack: CompiledPack, update_golden: bool) -> None:
    case_dir = CASES / case
    got = run_case(case_dir, pack)
    expected = case_dir / "expected.json"
    if update_golden:
        expected.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n")
    assert expected.exists(), f"missing {expected}; run pytest --update-golden"
    assert got == json.loads(expected.read_text())


def test_every_case_is_a_directory_with_an_intake() -> None:
    for path in CASES.iterdir():
        assert path.is_dir(), f"{path} should be a case directory"
        assert (path / "intake.yaml").is_file(), f"{path} has no intake.yaml"
