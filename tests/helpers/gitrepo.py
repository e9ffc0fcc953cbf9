"""A throw-away git repository for the tests of ``--compare-to REV``: git configured only
locally (no global or system configuration), commits at fixed dates."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest


def isolate_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let git read no configuration but the repository's own."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def git(repo: Path, *args: str, date: str = "2026-10-01T12:00:00+00:00") -> str:
    """Run git in ``repo`` (commits dated ``date``); its output."""
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True,
                          text=True, check=True)
    return done.stdout


def init(repo: Path) -> Path:
    """A new repository at ``repo``, with a local user."""
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Test")
    git(repo, "config", "user.email", "test@example.org")
    git(repo, "config", "commit.gpgsign", "false")
    return repo


def commit(repo: Path, message: str, date: str = "2026-10-01T12:00:00+00:00") -> str:
    """Commit everything in the work tree; the commit id."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)
    return git(repo, "rev-parse", "HEAD").strip()


#: The drift scenario of issue 13: the waiver the second commit adds.
DRIFT_WAIVER = """\
id: W-001
rule: V-LOG-RETENTION
use_case_id: "HR-0042"
owner: {name: Pat Doe, email: pat@example.org}
approver: {name: Sam Roe, email: sam@example.org}
justification: Logs move to the archive next quarter.
ticket: RISK-1
granted: 2026-11-21
expires: 2027-05-20
"""


def drift_repo(top: Path, examples: Path, form: Path, record: Callable[[Path], None],
               then: str, now: str) -> Path:
    """Issue 13's drift scenario at ``top``: the examples and the form committed on
    ``then`` and recorded by ``record`` (into records.jsonl, ignored by git); then a second
    commit on ``now`` that adds one waiver and moves code-assistant's next review to
    2026-11-15, so that it is overdue at ``now`` and was not at ``then``."""
    init(top)
    shutil.copytree(examples, top / "intake")
    shutil.copy(form, top / "intake" / "schema.json")
    (top / ".gitignore").write_text("records.jsonl\n")
    commit(top, "the portfolio", date=f"{then}T09:00:00+00:00")
    record(top)
    (top / "waivers").mkdir()
    (top / "waivers" / "w.yaml").write_text(DRIFT_WAIVER)
    case = top / "intake" / "code-assistant.yaml"
    text = case.read_text()
    assert "  next_review_due: 2027-04-07\n" in text
    case.write_text(text.replace("  next_review_due: 2027-04-07\n",
                                 "  next_review_due: 2026-11-15\n"))
    commit(top, "a waiver; the code assistant's review moved", date=f"{now}T09:00:00+00:00")
    return top
