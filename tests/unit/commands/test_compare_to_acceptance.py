"""Issue 13's drift acceptance, through the use case: a second commit adds one waiver
and moves one review date so that it is overdue at the run's --as-of and was not on the
first commit's date; --compare-to HEAD~1, and the records of the first state, list
exactly those two changes.

``build`` is the report command's builder (``portfolio/build.py``). The same scenario runs
through ``aipolicy report`` in tests/cli/test_report_compare.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from aipolicy.commands.check import check
from aipolicy.commands.compare_to import changes
from aipolicy.commands.settings import Settings, open_pack
from aipolicy.portfolio.build import build as portfolio
from aipolicy.portfolio.facts import scope_of
from aipolicy.serialize import report_dict
from helpers.gitrepo import drift_repo, isolate_git
from helpers.paths import EXAMPLES, FORM

THEN, NOW = dt.date(2026, 11, 21), dt.date(2026, 11, 22)
TIERS = ("low", "elevated", "high", "prohibited")

def run(paths: Sequence[str], settings: Settings) -> dict[str, Any]:
    return report_dict(check(paths, settings))


def build(report: dict[str, Any]) -> dict[str, Any]:
    """The report command's builder, with the starter pack's scope."""
    return portfolio(report, scope_of(open_pack(Settings())))


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The drift scenario (helpers.gitrepo.drift_repo), the first state recorded through
    the use case; the current directory is the repository."""
    isolate_git(monkeypatch)

    def record(top: Path) -> None:
        monkeypatch.chdir(top)
        check([], Settings(as_of=THEN), record="records.jsonl")

    return drift_repo(tmp_path / "repo", EXAMPLES, FORM, record, THEN.isoformat(),
                      NOW.isoformat())


def _exactly_the_two(got: dict[str, Any]) -> None:
    assert got["exceptions_new"] == [
        {"id": "W-001", "use_case_id": "HR-0042", "rule": "V-LOG-RETENTION",
         "control": None, "expires": "2027-05-20", "state": "open"}]
    assert got["reviews_became_overdue"] == [
        {"use_case_id": "ENG-0311", "file": "intake/code-assistant.yaml",
         "next_review_due": "2026-11-15", "days_until": -7}]
    for key in ("use_cases_added", "use_cases_retired", "exceptions_closed",
                "controls_completed", "status_changed"):
        assert got[key] == [], key
    assert all(row["delta"] == 0 for row in got["tier_mix"].values())


@pytest.mark.parametrize("ref", ["HEAD~1", "records.jsonl"])
def test_exactly_the_added_exception_and_the_review_become_overdue(repo: Path,
                                                                  ref: str) -> None:
    settings = Settings(as_of=NOW)
    now_report = run([], settings)
    got = changes(ref, [], settings, run, build, now_report, build(now_report), TIERS)
    _exactly_the_two(got)
    assert got["since"]["ref"] == ref
    assert got["since"]["as_of"] == "2026-11-21"
    assert got["since"]["kind"] == ("records" if ref.endswith(".jsonl") else "revision")


def test_against_itself_nothing_changed(repo: Path) -> None:
    settings = Settings(as_of=NOW)
    now_report = run([], settings)
    got = changes("HEAD", [], settings, run, build, now_report,
                  build(now_report), TIERS)
    assert got["exceptions_new"] == []
    assert got["reviews_became_overdue"] == []
    assert got["status_changed"] == []

