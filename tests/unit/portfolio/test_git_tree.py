"""Copying a revision's files: plumbing only, and every refusal (revisions like options,
symbolic links and submodules, paths outside the repository, sizes, a missing git)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from aipolicy.errors import ConfigError
from aipolicy.portfolio.history import revision, working_in
from aipolicy.sources.files import Limits
from helpers.gitrepo import commit, git, init, isolate_git

LIMITS = Limits()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with two commits: intake/a.yaml (then edited) and, later, b.yaml."""
    isolate_git(monkeypatch)
    top = init(tmp_path / "repo")
    (top / "intake").mkdir()
    (top / "intake" / "a.yaml").write_text("use_case_id: A\nv: 1\n")
    (top / "README").write_text("not wanted\n")
    commit(top, "first", date="2026-10-01T23:30:00-05:00")  # 2026-10-02 in UTC
    (top / "intake" / "a.yaml").write_text("use_case_id: A\nv: 2\n")
    (top / "intake" / "b.yaml").write_text("use_case_id: B\n")
    commit(top, "second", date="2026-11-01T10:00:00+00:00")
    monkeypatch.chdir(top)
    return top


def _files(root: str) -> dict[str, str]:
    out = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            out[os.path.relpath(path, root)] = Path(path).read_text()
    return out


def test_the_files_under_the_paths_at_the_revision_on_its_committer_date(repo: Path) -> None:
    with revision("HEAD~1", ["intake"], ["policies", "waivers"], LIMITS, 0) as snap:
        assert _files(snap.root) == {"intake/a.yaml": "use_case_id: A\nv: 1\n"}
        assert snap.as_of == dt.date(2026, 10, 1)  # in the committer's time zone
        assert snap.commit == git(repo, "rev-parse", "HEAD~1").strip()
        assert snap.cwd == snap.root
        assert snap.mirrored
        assert snap.place("intake") == "intake"  # relative: the same spelling, run in cwd
        assert snap.place(str(repo / "intake")) == os.path.join(snap.root, "intake")
        assert snap.place("policies") is None  # not in the revision
        assert snap.place("/") is None  # outside the repository
        with working_in(snap.cwd):
            assert Path("intake/a.yaml").read_text() == "use_case_id: A\nv: 1\n"
        assert snap.shown({"file": os.path.join(snap.root, "intake", "a.yaml"),
                           "n": [snap.root + os.sep + "x", 1]}) == {
            "file": str(repo / "intake" / "a.yaml"), "n": [str(repo / "x"), 1]}
        root = snap.root
    assert not os.path.exists(root)  # removed afterwards


def test_run_from_a_subdirectory_the_copy_has_the_same_place(repo: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    monkeypatch.chdir(repo / "intake")
    with revision("HEAD", ["."], [], LIMITS, 0) as snap:
        assert snap.cwd == os.path.join(snap.root, "intake")
        assert sorted(_files(snap.cwd)) == ["a.yaml", "b.yaml"]


@pytest.mark.parametrize("rev", ["--upload-pack=touch x", "-x", "--output=/tmp/x", "",
                                 "HEAD\nHEAD", "no-such-branch", "HEAD^{tree}"])
def test_a_revision_that_is_no_commit_is_refused(repo: Path, rev: str) -> None:
    with pytest.raises(ConfigError) as caught, revision(rev, ["intake"], [], LIMITS, 0):
        pass
    assert "--compare-to" in caught.value.message
    assert sorted(os.listdir(repo)) == [".git", "README", "intake"]  # nothing written


def test_a_path_outside_the_repository_is_refused(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    with pytest.raises(ConfigError, match="outside the git repository"), \
            revision("HEAD", ["intake", str(outside)], [], LIMITS, 0):
        pass


def test_a_path_in_no_repository_is_refused(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    with pytest.raises(ConfigError, match="not in a git repository"), \
            revision("HEAD", [str(tmp_path / "plain")], [], LIMITS, 0):
        pass


def test_a_symbolic_link_in_the_old_tree_is_refused_not_followed(repo: Path,
                                                                 tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("use_case_id: SECRET\n")
    os.symlink(secret, repo / "intake" / "link.yaml")
    commit(repo, "a link")
    with pytest.raises(ConfigError, match=r"intake/link.yaml at HEAD: a symbolic link"), \
            revision("HEAD", ["intake"], [], LIMITS, 0):
        pass


def test_a_submodule_in_the_old_tree_is_refused(repo: Path) -> None:
    oid = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{oid},intake/sub")
    git(repo, "commit", "-q", "-m", "a submodule")
    with pytest.raises(ConfigError, match=r"intake/sub at HEAD: a submodule"), \
            revision("HEAD", ["intake"], [], LIMITS, 0):
        pass


def test_a_symbolic_link_elsewhere_in_the_tree_is_no_concern(repo: Path) -> None:
    os.symlink("/etc/passwd", repo / "elsewhere")
    commit(repo, "a link outside the paths read")
    with revision("HEAD", ["intake"], [], LIMITS, 0) as snap:
        assert sorted(_files(snap.root)) == ["intake/a.yaml", "intake/b.yaml"]


def test_a_blob_over_the_size_limit_is_refused(repo: Path) -> None:
    with pytest.raises(ConfigError, match=r"intake/a.yaml at HEAD: 20 bytes, over the "
                                          r"limit of 10"), \
            revision("HEAD", ["intake"], [], Limits(max_bytes=10), 0):
        pass


def test_no_git_is_one_clear_error(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(repo / "nothing"))
    with pytest.raises(ConfigError, match="needs git, which is not installed"), \
            revision("HEAD", ["intake"], [], LIMITS, 0):
        pass


def test_git_variables_of_the_caller_do_not_redirect_it(repo: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    other = init(tmp_path / "other")
    (other / "intake").mkdir()
    (other / "intake" / "x.yaml").write_text("use_case_id: X\n")
    commit(other, "other")
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    with revision("HEAD", ["intake"], [], LIMITS, 0) as snap:
        assert sorted(_files(snap.root)) == ["intake/a.yaml", "intake/b.yaml"]
