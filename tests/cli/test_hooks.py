"""The real pre-commit client runs this repository's hooks in another repository."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from helpers.paths import ROOT

pytestmark = pytest.mark.skipif(shutil.which("pre-commit") is None or shutil.which("git") is None,
                                reason="needs git and the pre-commit client")
RUN = ROOT / "tests" / "data" / "run"
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}


def _git(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          check=False)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("pre-commit-home")
    out = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home)}
    out.pop("PYTHONPATH", None)
    return out


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> tuple[Path, str]:
    """This working tree, committed as it is (like `pre-commit try-repo` does)."""
    repo = tmp_path_factory.mktemp("hook-repo")
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\n")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    _git("init", "-q", cwd=repo, env=env)
    _git("add", "-A", cwd=repo, env=env)
    _git("commit", "-q", "-m", "snapshot", cwd=repo, env=env)
    sha = _git("rev-parse", "HEAD", cwd=repo, env=env).stdout.strip()
    return repo, sha


def _governance_repo(tmp_path: Path, hook_repo: tuple[Path, str], env: dict[str, str],
                     hooks: list[str]) -> Path:
    """A governance repository whose pre-commit config uses ``hooks`` of the hook repo,
    with the hooks installed."""
    repo_path, sha = hook_repo
    repo = tmp_path / "governance"
    repo.mkdir()
    _git("init", "-q", cwd=repo, env=env)
    config = {"repos": [{"repo": str(repo_path), "rev": sha,
                         "hooks": [{"id": h} for h in hooks]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    (repo / "intake").mkdir()
    _git("add", ".pre-commit-config.yaml", cwd=repo, env=env)
    install = subprocess.run(["pre-commit", "install"], cwd=repo, env=env,
                             capture_output=True, text=True, check=False)
    assert install.returncode == 0, install.stderr
    return repo


@pytest.fixture
def user_repo(tmp_path: Path, hook_repo: tuple[Path, str], env: dict[str, str]) -> Path:
    return _governance_repo(tmp_path, hook_repo, env, ["aipolicy-validate", "aipolicy-check"])


def _commit(repo: Path, env: dict[str, str], source: Path) -> subprocess.CompletedProcess[str]:
    shutil.copy(source, repo / "intake" / "uc.yaml")
    _git("add", "intake/uc.yaml", cwd=repo, env=env)
    return _git("commit", "-m", "add a use case", cwd=repo, env=env)


def test_an_incomplete_intake_is_blocked(user_repo: Path, env: dict[str, str]) -> None:
    result = _commit(user_repo, env, RUN / "no-owner.yaml")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "aipolicy validate" in output
    assert "intake/uc.yaml:1:1: AIP002 Business owner is missing; it is required." in output
    assert _git("log", "--oneline", cwd=user_repo, env=env).stdout == ""


def test_a_complete_intake_passes(user_repo: Path, env: dict[str, str]) -> None:
    result = _commit(user_repo, env, RUN / "good.yaml")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "aipolicy validate" in output
    assert "Passed" in output
    assert len(_git("log", "--oneline", cwd=user_repo, env=env).stdout.splitlines()) == 1


def test_hook_definitions_point_at_real_commands() -> None:
    from aipolicy.cli import cli

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {h["id"] for h in hooks} == {"aipolicy-validate", "aipolicy-check",
                                        "aipolicy-lint-pack"}
    for hook in hooks:
        program, command = hook["entry"].split()
        assert program == "aipolicy"
        assert command in cli.commands


def _documented_hooks() -> list[str]:
    """The hook ids of the .pre-commit-config.yaml that docs/cli.md recommends."""
    doc = (ROOT / "docs" / "cli.md").read_text()
    section = doc[doc.index("## Pre-commit"):]
    block = section[section.index("```yaml") + len("```yaml"):]
    config = yaml.safe_load(block[:block.index("```")])
    return [hook["id"] for hook in config["repos"][0]["hooks"]]


def test_the_documented_hooks_report_each_finding_once(
        tmp_path: Path, hook_repo: tuple[Path, str], env: dict[str, str]) -> None:
    """validate and check overlap (check reports the form's findings too): the documented
    configuration enables one of them, and then a finding is printed once."""
    hooks = _documented_hooks()
    assert len({"aipolicy-validate", "aipolicy-check"} & set(hooks)) == 1, hooks
    repo = _governance_repo(tmp_path, hook_repo, env,
                            [h for h in hooks if h != "aipolicy-lint-pack"])
    result = _commit(repo, env, RUN / "no-owner.yaml")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    line = "intake/uc.yaml:1:1: AIP002 Business owner is missing; it is required."
    assert output.count(line) == 1, output
    assert _git("log", "--oneline", cwd=repo, env=env).stdout == ""


def test_the_hooks_say_they_are_alternatives() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert "instead of aipolicy-check" in hooks["aipolicy-validate"]["description"]
    assert "instead of aipolicy-validate" in hooks["aipolicy-check"]["description"]
