"""The then of --compare-to REV: check's run over the revision's copy, paths as today."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from aipolicy.commands.check import check
from aipolicy.commands.compare_to import is_records, revision_report, then_report
from aipolicy.commands.settings import Settings
from aipolicy.errors import ConfigError
from aipolicy.serialize import report_dict
from helpers.gitrepo import commit, init, isolate_git
from helpers.paths import EXAMPLES, FORM, PACK

CASES = ("customer-chatbot.yaml", "cv-ranking.yaml", "code-assistant.yaml")


def run(paths: Sequence[str], settings: Settings) -> dict[str, Any]:
    return report_dict(check(paths, settings))


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three examples and the form committed on 2026-11-20; then one more example and the
    pack, uncommitted."""
    isolate_git(monkeypatch)
    top = init(tmp_path / "repo")
    (top / "intake").mkdir()
    shutil.copy(FORM, top / "intake" / "schema.json")
    for name in CASES:
        shutil.copy(EXAMPLES / name, top / "intake" / name)
    commit(top, "first", date="2026-11-20T09:00:00+00:00")
    shutil.copy(EXAMPLES / "exam-proctoring.yaml", top / "intake" / "exam-proctoring.yaml")
    monkeypatch.chdir(top)
    return top


def test_the_revision_is_checked_on_its_date_with_paths_as_today(repo: Path) -> None:
    report, since = revision_report("HEAD", [], Settings(), run)
    assert since["kind"] == "revision"
    assert since["ref"] == "HEAD"
    assert since["as_of"] == "2026-11-20" == report["as_of"]
    assert len(since["commit"]) == 40
    assert [r["file"] for r in report["results"]] == [f"intake/{n}" for n in sorted(CASES)]
    today = report_dict(check([], Settings(as_of=dt.date(2026, 11, 20))))
    assert len(today["results"]) == 4  # the copy held only what was committed
    assert today["results"][:3] == report["results"]  # exam-proctoring sorts last


def test_absolute_paths_are_shown_as_today(repo: Path) -> None:
    report, _ = revision_report("HEAD", [str(repo / "intake")], Settings(), run)
    assert [r["file"] for r in report["results"]] == [
        str(repo / "intake" / n) for n in sorted(CASES)]


def test_the_pack_of_the_revision_when_the_repository_has_it(repo: Path) -> None:
    shutil.copytree(PACK, repo / "policies")
    pack = repo / "policies" / "pack.yaml"
    pack.write_text(pack.read_text().replace("version: 0.1.0", "version: 0.0.9", 1))
    commit(repo, "the pack", date="2026-11-21T09:00:00+00:00")
    pack.write_text(pack.read_text().replace("version: 0.0.9", "version: 0.2.0", 1))
    then, _ = revision_report("HEAD", [], Settings(), run)
    assert then["pack"]["version"] == "0.0.9"
    now = run([], Settings())
    assert now["pack"]["version"] == "0.2.0"
    before, _ = revision_report("HEAD~1", [], Settings(), run)  # no pack then: today's
    assert before["pack"]["version"] == "0.2.0"


def test_waivers_of_today_are_not_those_of_then(repo: Path) -> None:
    (repo / "waivers").mkdir()
    (repo / "waivers" / "w.yaml").write_text("not: a waiver file\n")
    with pytest.raises(ConfigError):
        run([], Settings())  # today's waivers are read (and refused)
    report, _ = revision_report("HEAD", [], Settings(), run)  # then, none
    assert len(report["results"]) == 3


def test_a_path_the_revision_lacks_is_one_error(repo: Path) -> None:
    (repo / "later").mkdir()
    shutil.copy(EXAMPLES / "exam-proctoring.yaml", repo / "later" / "x.yaml")
    with pytest.raises(ConfigError, match="has none of later at that revision"):
        revision_report("HEAD", ["later"], Settings(), run)


def test_records_or_a_revision() -> None:
    assert is_records("r.jsonl")
    assert not is_records("HEAD~1")


def test_records_give_their_report(repo: Path) -> None:
    check([], Settings(as_of=dt.date(2026, 11, 1)), record="r.jsonl")
    report, since = then_report("r.jsonl", [], Settings(), run, ["low"])
    assert since == {"kind": "records", "ref": "r.jsonl", "as_of": "2026-11-01",
                     "commit": None}
    assert [r["file"] for r in report["results"]] == [
        f"intake/{n}" for n in sorted([*CASES, "exam-proctoring.yaml"])]


def test_changes_builds_then_with_the_builder_given(repo: Path) -> None:
    from aipolicy.commands.compare_to import changes

    def build(report: dict[str, Any]) -> dict[str, Any]:  # a stand-in portfolio
        return {"summary": {"by_tier": report["summary"]["by_tier"]},
                "use_cases": [{k: r[k] for k in ("use_case_id", "file", "status")}
                              for r in report["results"]]}

    now_report = run([], Settings(as_of=dt.date(2026, 11, 20)))
    got = changes("HEAD", [], Settings(), run, build, now_report, build(now_report),
                  ["low", "elevated", "high"])
    assert [c["file"] for c in got["use_cases_added"]] == ["intake/exam-proctoring.yaml"]
    assert got["tier_mix"]["high"] == {"then": 1, "now": 2, "delta": 1}
    assert got["controls_completed"] == []
    assert got["since"]["as_of"] == "2026-11-20"
