"""Golden waiver cases: ``tests/waiver_cases/<name>/`` holds ``waivers.yaml``, a
``case.yaml`` (``intake``: the starter example to check, or an ``intake.yaml`` of the
case; optional ``as_of``, ``people`` for the pack, a ``description``) and the expected
output of ``aipolicy check intake --waivers waivers`` in every format, ``expected.<fmt>``.

The case runs in a directory of its own, laid out as a governance repository would be
(``intake/``, ``waivers/``, and ``policies/``, the starter pack, when the case names
people), so the paths in the reports are the same on every machine. The tool version and
the digests are written as ``VERSION`` and ``sha256:DIGEST``, so that a release or a pack
edit elsewhere does not rewrite every case. Run ``pytest tests/golden/test_waiver_cases.py
--update-golden`` to rewrite them, then review the diff.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from aipolicy import __version__
from helpers.paths import AS_OF, EXAMPLES, PACK, ROOT, run_cli

CASES = ROOT / "tests" / "waiver_cases"
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.json"
FORMATS = ("table", "json", "sarif", "junit", "github", "markdown")
_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")


def _layout(case: Path, root: Path) -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load((case / "case.yaml").read_text())
    (root / "intake").mkdir()
    own = case / "intake.yaml"
    source = own if own.exists() else EXAMPLES / spec["intake"]
    name = spec.get("intake", "intake.yaml")
    shutil.copy(source, root / "intake" / name)
    (root / "waivers").mkdir()
    shutil.copy(case / "waivers.yaml", root / "waivers" / "waivers.yaml")
    if spec.get("people"):
        shutil.copytree(PACK, root / "policies", ignore=shutil.ignore_patterns("tests"))
        (root / "policies" / "people.yaml").write_text(
            yaml.safe_dump({"people": spec["people"]}))
    return spec


def _normal(text: str) -> str:
    return _DIGEST.sub("sha256:DIGEST", text).replace(__version__, "VERSION")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_waiver_case(case: str, fmt: str, tmp_path: Path, update_golden: bool) -> None:
    spec = _layout(CASES / case, tmp_path)
    args = ["check", "intake", "--waivers", "waivers", "--format", fmt,
            "--as-of", str(spec.get("as_of", AS_OF)), "--jobs", "1"]
    r = run_cli(*args, cwd=tmp_path)
    assert r.stderr == ""
    assert r.exit_code == spec["exit"], r.stdout
    got = _normal(r.stdout)
    expected = CASES / case / f"expected.{fmt}"
    if update_golden:
        expected.write_text(got)
    assert expected.exists(), f"missing {expected}; run pytest --update-golden"
    assert got == expected.read_text()
    if fmt == "sarif":
        _valid_sarif(r.stdout)


def _valid_sarif(text: str) -> None:
    """Against the official SARIF 2.1.0 schema (the one in ../shared/schemas), with a
    suppression on every waived result."""
    import json

    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    doc = json.loads(text)
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]
    assert errors == []
    for result in doc["runs"][0]["results"]:
        if "suppressions" in result:
            [suppression] = result["suppressions"]
            assert suppression["kind"] == "external"
            assert suppression["justification"]


def test_every_waiver_outcome_has_a_case() -> None:
    wanted = {f"AIP0{n}" for n in range(10, 20)}
    seen = set()
    for case in CASES.iterdir():
        seen |= set(re.findall(r"AIP01\d", (case / "expected.json").read_text()))
    assert wanted <= seen
