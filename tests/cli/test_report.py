"""``aipolicy report`` as a user runs it: goldens of every format over a generated
portfolio, the numbers of every format against ``check --format json`` of the same
files, hostile text in every format, filters and exit codes."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from aipolicy import __version__
from helpers.paths import ROOT, run_cli
from helpers.portfolio import AS_OF, write

GOLDEN = ROOT / "tests" / "golden" / "report"
FORMATS = ("table", "markdown", "json", "csv", "html")
_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("portfolio"))


def _report(repo: Path, *args: str, code: int = 1) -> Any:
    """The report's output; the portfolio holds failing and incomplete use cases (exit
    1) unless a filter leaves only passing ones."""
    r = run_cli("report", "--as-of", AS_OF, "--jobs", "1", *args, cwd=repo)
    assert r.stderr == ""
    assert r.exit_code == code
    return r.stdout


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden(repo: Path, fmt: str, update_golden: bool) -> None:
    out = _DIGEST.sub("sha256:DIGEST", _report(repo, "--format", fmt))
    out = out.replace(__version__, "VERSION")
    expected = GOLDEN / f"expected.{fmt}"
    if update_golden:
        expected.write_bytes(out.encode())
    assert out.encode() == expected.read_bytes()  # bytes: the CSV's lines end in CRLF


def test_every_format_agrees_with_check(repo: Path) -> None:
    r = run_cli("check", "--as-of", AS_OF, "--jobs", "1", "--format", "json", cwd=repo)
    check = json.loads(r.stdout)
    results = {x["file"]: x for x in check["results"]}
    portfolio = json.loads(_report(repo, "--format", "json"))
    summary = portfolio["summary"]
    assert summary["use_cases"] == check["summary"]["submissions"] == len(results)
    for status in ("pass", "fail", "incomplete", "error"):
        assert summary["by_status"][status] == check["summary"][status]
    assert {k: v for k, v in summary["by_tier"].items() if v} == check["summary"]["by_tier"]
    rows = list(csv.DictReader(io.StringIO(_report(repo, "--format", "csv"))))
    assert [row["file"] for row in rows] == sorted(results)
    for uc, row in zip(portfolio["use_cases"], rows, strict=True):
        result = results[uc["file"]]
        done = sum(1 for c in result["controls"] if c["satisfied"])
        assert (uc["status"], uc["tier"], uc["controls_done"]) == (
            result["status"], result["tier"], done)
        assert (row["status"], row["tier"], row["controls_done"]) == (
            result["status"], result["tier"], str(done))
    tiers = ", ".join(f"{k} {v}" for k, v in summary["by_tier"].items())
    statuses = ", ".join(f"{k} {v}" for k, v in summary["by_status"].items())
    table = _report(repo)
    assert f"by tier: {tiers}\n" in table
    assert f"by status: {statuses}\n" in table
    markdown = _report(repo, "--format", "markdown")
    assert f"| By tier | {tiers} |" in markdown
    html = _report(repo, "--format", "html")
    for tier, n in summary["by_tier"].items():
        assert f"{tier}: {n}" in html  # the tier chart's text alternative


HOSTILE = ("\x1b]8;;http://x.example\x07\x1b[31m\n::error::forged\n# Heading "
           "![i](http://x.example/i.png) @team <script>alert(1)</script> =cmd|' ")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("hostile"), 6, hostile=HOSTILE)


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_text_stays_inert(hostile: Path, fmt: str) -> None:
    out = _report(hostile, "--format", fmt)
    assert "\x1b" not in out
    assert "\x07" not in out
    assert not any(line.startswith("::") for line in out.splitlines())
    if fmt in ("table", "markdown", "html"):  # JSON and CSV hold the data as given
        assert "<script>alert" not in out
    if fmt == "markdown":
        assert not any(line.startswith("# Heading") for line in out.splitlines())
        assert "![i](" not in out
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert all(len(row) == len(rows[0]) for row in rows)
        units = [row[rows[0].index("business_unit")] for row in rows[1:]]
        assert any(u.startswith("\\x1b") for u in units)
    if fmt == "json":
        given = {u["business_unit"] for u in json.loads(out)["use_cases"]}
        assert any(u.startswith(HOSTILE) for u in given)  # the data, whole


def test_csv_defuses_formulas(tmp_path: Path) -> None:
    repo = write(tmp_path, 2, hostile="=HYPERLINK(\"http://x.example\")")
    rows = list(csv.DictReader(io.StringIO(_report(repo, "--format", "csv"))))
    units = [row["business_unit"] for row in rows if row["use_case_id"].startswith("GEN")]
    assert units
    assert all(u.startswith("'=") for u in units)


def test_filters(repo: Path) -> None:
    data = json.loads(_report(repo, "--format", "json", "--business-unit",
                              "retail BANKING", "--stage", "production", code=0))
    assert data["filters"] == {"business_unit": ["retail BANKING"], "stage": ["production"],
                               "tier": []}
    assert data["use_cases"]
    assert {(u["business_unit"], u["stage"]) for u in data["use_cases"]} == {
        ("Retail Banking", "production")}
    data = json.loads(_report(repo, "--format", "json", "--tier", "prohibited"))
    assert {u["tier"] for u in data["use_cases"]} == {"prohibited"}
    assert data["summary"]["use_cases"] == len(data["use_cases"])


def test_exit_codes_and_usage_errors(repo: Path) -> None:
    r = run_cli("report", "--stage", "prod", cwd=repo)
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == ("aipolicy: error: --stage takes one of the form's stages (idea, "
                        "design, development, pilot, production, retired), not 'prod' "
                        "(did you mean 'production'?)\n")
    r = run_cli("report", "--tier", "severe\n::error::x", cwd=repo)
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1
    assert "low, elevated, high, prohibited" in r.stderr
    r = run_cli("report", "--format", "json", "--as-of", AS_OF, "--tier", "low",
                "--stage", "production", cwd=repo)
    assert r.exit_code == 0, r.stderr  # every use case left passes
    assert {u["status"] for u in json.loads(r.stdout)["use_cases"]} == {"pass"}
    r = run_cli("report", "-o", "intake/cv-ranking.yaml", cwd=repo)
    assert r.exit_code == 2
    assert "--output names a file this run reads" in r.stderr
    r = run_cli("report", "missing", cwd=repo)
    assert r.exit_code == 2


def test_markdown_stays_within_a_comment_and_says_where_the_rest_is() -> None:
    from aipolicy.reporters.portfolio import markdown
    from helpers.portfolio_dict import portfolio

    big = markdown.render(portfolio(3000, hostile="<x>|*" * 20))
    assert len(big.encode()) <= 65_000
    assert big.endswith("see `--format json`, `csv` or `html` for all of it.\n")
    small = markdown.render(portfolio(12))
    assert "cut to fit" not in small
