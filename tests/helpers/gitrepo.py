"""A throw-away git repository for the tests of ``--compare-to REV``: git configured only
locally (no global or system configuration), commits at fixed dates."""

from __future__ import annotations

import os
import subprocess
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
