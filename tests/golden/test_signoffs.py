"""Golden sign-off cases: ``tests/signoffs/<name>/`` holds an intake, optionally an
``approvals.yaml`` (passed as ``--approvals``), a ``case.yaml`` (its description and, with
``source: approvals``, the starter pack made strict) and the expected report in every
format, ``expected.<format>``.

Each case is one outcome of a role's sign-off (docs/signoffs.md). Run
``pytest tests/golden/test_signoffs.py --update-golden`` to rewrite the expected reports,
then review the diff. aipolicy's version and the digests are masked, so that a release or
an edit of the starter pack elsewhere does not rewrite every case.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from aipolicy._version import __version__
from helpers.paths import AS_OF, PACK, ROOT, run_cli

CASES = ROOT / "tests" / "signoffs"
FORMATS = ("table", "json", "sarif", "junit", "github", "markdown")
_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")


@pytest.fixture(scope="module")
def strict_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The starter pack, counting sign-offs from approvals files only."""
    pack = tmp_path_factory.mktemp("strict") / "policies"
    shutil.copytree(PACK, pack)
    text = (pack / "pack.yaml").read_text()
    assert "  source: either\n" in text
    (pack / "pack.yaml").write_text(text.replace("  source: either\n", "  source: approvals\n"))
    return pack


def _masked(text: str, pack: Path | None) -> str:
    text = _DIGEST.sub("sha256:DIGEST", text).replace(__version__, "VERSION")
    return text if pack is None else text.replace(str(pack), "PACK")


def _names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if p.is_dir())


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", _names())
def test_signoff_case(case: str, fmt: str, strict_pack: Path, update_golden: bool) -> None:
    here = CASES / case
    spec = yaml.safe_load((here / "case.yaml").read_text())
    args = ["check", "intake.yaml", "--as-of", AS_OF, "--format", fmt, "--jobs", "1"]
    if (here / "approvals.yaml").exists():
        args += ["--approvals", "approvals.yaml"]
    pack = None
    if spec.get("source") == "approvals":
        pack = strict_pack
        args += ["--pack", str(pack)]
    r = run_cli(*args, cwd=here)
    assert r.exit_code in (0, 1), r.stderr
    got = _masked(r.stdout, pack)
    expected = here / f"expected.{fmt}"
    if update_golden:
        expected.write_text(got)
    assert expected.exists(), f"missing {expected}; run pytest --update-golden"
    assert got == expected.read_text()


@pytest.mark.parametrize("case", _names())
def test_the_sarif_of_each_case_is_valid_sarif(case: str) -> None:
    import json

    import jsonschema

    schema = json.loads((ROOT / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.json")
                        .read_text(encoding="utf-8"))
    doc = json.loads((CASES / case / "expected.sarif").read_text())
    validator = jsonschema.validators.validator_for(schema)
    errors = [e.message for e in validator(schema).iter_errors(doc)]
    assert errors == []


def test_every_case_says_what_it_shows() -> None:
    for name in _names():
        spec = yaml.safe_load((CASES / name / "case.yaml").read_text())
        assert spec.get("description"), name
        assert (CASES / name / "intake.yaml").is_file(), name


def test_every_signoff_outcome_has_a_case() -> None:
    import json

    seen = set()
    for name in _names():
        report = json.loads((CASES / name / "expected.json").read_text())
        seen |= {f["rule"] for r in report["results"] for f in r["findings"]}
        seen |= {s["state"] for r in report["results"] for s in r.get("signoffs", ())}
    wanted = {f"AIP02{i}" for i in range(9)} | {"signed", "pending", "refused", "stale",
                                                 "rejected"}
    assert wanted <= seen, wanted - seen


def test_a_stage_without_sign_off_reports_as_before() -> None:
    """The pilot case's output is what the same run without the sign-off layer gives."""
    from aipolicy.commands import layers

    here = CASES / "not-required-at-pilot"
    saved = dict(layers.OPENERS)
    layers.OPENERS.pop("signoffs")
    try:
        for fmt in FORMATS:
            r = run_cli("check", "intake.yaml", "--as-of", AS_OF, "--format", fmt, cwd=here)
            assert _masked(r.stdout, None) == (here / f"expected.{fmt}").read_text(), fmt
    finally:
        layers.OPENERS.clear()
        layers.OPENERS.update(saved)
