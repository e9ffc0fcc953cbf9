"""``report --compare-to``, as a user runs it: the acceptance of issue 13's drift (a
revision where one exception was added and one review became overdue lists exactly
those changes; so do the records of the first state), and the refusals."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from helpers.gitrepo import commit, drift_repo, isolate_git
from helpers.paths import EXAMPLES, FORM, run_cli

THEN = "2026-11-21"  # the first commit's date
NOW = "2026-11-22"  # the report's --as-of

NO_CHANGE: dict[str, list[Any]] = {
    "use_cases_added": [], "use_cases_retired": [], "exceptions_closed": [],
    "controls_completed": [], "status_changed": []}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The drift scenario (helpers.gitrepo.drift_repo), the first state recorded by
    ``check --record`` as a user runs it."""
    isolate_git(monkeypatch)

    def record(top: Path) -> None:
        recorded = run_cli("check", "--as-of", THEN, "--record", "records.jsonl", cwd=top)
        assert recorded.exit_code == 1, recorded.stderr  # the examples include failures

    return drift_repo(tmp_path / "repo", EXAMPLES, FORM, record, THEN, NOW)


def _changes(top: Path, *args: str) -> dict[str, Any]:
    r = run_cli("report", "--as-of", NOW, "--format", "json", *args, cwd=top)
    assert r.exit_code == 1, r.stderr  # the examples include failures
    changes: dict[str, Any] = json.loads(r.stdout)["changes"]
    return changes


def _exactly_the_two(changes: dict[str, Any]) -> None:
    assert {k: changes[k] for k in NO_CHANGE} == NO_CHANGE
    assert all(row["delta"] == 0 for row in changes["tier_mix"].values())
    assert changes["exceptions_new"] == [
        {"id": "W-001", "use_case_id": "HR-0042", "rule": "V-LOG-RETENTION",
         "control": None, "expires": "2027-05-20", "state": "open"}]
    assert changes["reviews_became_overdue"] == [
        {"use_case_id": "ENG-0311", "file": "intake/code-assistant.yaml",
         "next_review_due": "2026-11-15", "days_until": -7}]


def test_compare_to_the_revision_lists_exactly_the_two_changes(repo: Path) -> None:
    changes = _changes(repo, "--compare-to", "HEAD~1")
    _exactly_the_two(changes)
    commit_id = changes["since"].pop("commit")
    assert len(commit_id) == 40
    assert changes["since"] == {"kind": "revision", "ref": "HEAD~1", "as_of": THEN}


def test_compare_to_the_records_of_the_first_state_lists_the_same(repo: Path) -> None:
    changes = _changes(repo, "--compare-to", "records.jsonl")
    _exactly_the_two(changes)
    assert changes["since"] == {"kind": "records", "ref": "records.jsonl", "as_of": THEN,
                                "commit": None}


def test_without_compare_to_changes_is_null(repo: Path) -> None:
    r = run_cli("report", "--as-of", NOW, "--format", "json", cwd=repo)
    assert json.loads(r.stdout)["changes"] is None


def test_compare_to_the_same_revision_changes_nothing(repo: Path) -> None:
    changes = _changes(repo, "--compare-to", "HEAD")
    assert changes["exceptions_new"] == []
    assert changes["reviews_became_overdue"] == []  # overdue then too: it was on NOW


@pytest.mark.parametrize("rev", ["--upload-pack=touch owned", "-x", "HEAD^{tree}",
                                 "no-such-branch"])
def test_a_revision_that_is_no_commit_is_refused(repo: Path, rev: str) -> None:
    r = run_cli("report", "--as-of", NOW, "--compare-to", rev, cwd=repo)
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr.startswith("aipolicy: error: --compare-to")
    assert not (repo / "owned").exists()


def test_a_symbolic_link_in_the_old_tree_is_refused_not_followed(repo: Path,
                                                                 tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text((EXAMPLES / "cv-ranking.yaml").read_text().replace("HR-0042",
                                                                         "SECRET-1"))
    os.symlink(secret, repo / "intake" / "zz-link.yaml")
    commit(repo, "a link", date=f"{NOW}T10:00:00+00:00")
    r = run_cli("report", "--as-of", NOW, "--compare-to", "HEAD", "--format", "json",
                cwd=repo)
    assert r.exit_code == 2
    assert "intake/zz-link.yaml at HEAD: a symbolic link in the old tree" in r.stderr
    assert "SECRET-1" not in r.stdout + r.stderr


def test_a_broken_record_file_is_refused(repo: Path) -> None:
    records = repo / "records.jsonl"
    lines = records.read_bytes().splitlines(keepends=True)
    records.write_bytes(b"".join(lines[1:]))
    r = run_cli("report", "--as-of", NOW, "--compare-to", "records.jsonl", cwd=repo)
    assert r.exit_code == 2
    assert "records.jsonl:1: the chain is broken" in r.stderr


def test_the_table_and_markdown_show_the_changes(repo: Path) -> None:
    table = run_cli("report", "--as-of", NOW, "--compare-to", "HEAD~1", cwd=repo)
    assert "Changes since HEAD~1 (revision, as of 2026-11-21)" in table.stdout
    assert "New exceptions (1):" in table.stdout
    markdown = run_cli("report", "--as-of", NOW, "--compare-to", "HEAD~1", "-f",
                       "markdown", cwd=repo)
    assert "Changes since HEAD\\~1" in markdown.stdout
    assert "### Reviews that became overdue (1)" in markdown.stdout
