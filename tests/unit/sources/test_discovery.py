"""Issue 10, reading and discovery: links out of the tree, unreadable directories, odd
file names, governance-repository layouts, and YAML syntax errors in plain words."""

from __future__ import annotations

import builtins
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from aipolicy.commands.check import check
from aipolicy.commands.settings import Settings
from aipolicy.commands.validate import validate
from aipolicy.errors import SourceError
from aipolicy.scaffold import repository as scaffold
from aipolicy.sources.discovery import Found, discover, load_found
from aipolicy.sources.yaml12 import parse_yaml
from helpers.paths import AS_OF, FORM, PACK, ROOT, run_cli

GOOD = ROOT / "tests" / "data" / "run" / "good.yaml"
SECRET = "SECRET-MARK-4242"
FORMATS = ("table", "json", "sarif", "junit", "github", "markdown")


def _settings() -> Settings:
    return Settings(pack=str(PACK), schema=str(FORM), as_of=dt.date.fromisoformat(AS_OF))


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every path aipolicy opens or stats through os.open / open / os.stat."""
    seen: list[str] = []
    real_open, real_os_open = builtins.open, os.open

    def spy_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(file))
        return real_open(file, *args, **kwargs)

    def spy_os_open(path: Any, *args: Any, **kwargs: Any) -> int:
        seen.append(str(path))
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(os, "open", spy_os_open)
    return seen


def _unreadable(monkeypatch: pytest.MonkeyPatch, directory: Path) -> None:
    """Make ``directory`` unlistable: chmod 000, and, as root (whom permissions do not
    stop), os.scandir refusing it the way the kernel refuses anyone else."""
    directory.chmod(0)
    if os.geteuid() != 0:
        return
    real = os.scandir

    def scandir(path: Any = ".") -> Any:
        if os.fspath(path) == str(directory):
            raise PermissionError(13, "Permission denied", str(directory))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def _tree(tmp_path: Path) -> Path:
    """intake/ with a good file, a link out of the tree to a secret, a file link loop and
    a directory link loop; the secret lies next to intake/, outside it."""
    secret = tmp_path / "secret.yaml"
    secret.write_text(f"title: {SECRET}\nuse_case_id: {SECRET}\n")
    tree = tmp_path / "intake"
    tree.mkdir()
    shutil.copy(GOOD, tree / "good.yaml")
    (tree / "out.yaml").symlink_to(secret)
    (tree / "loop.yaml").symlink_to(tree / "loop.yaml")
    (tree / "again").symlink_to(tree, target_is_directory=True)
    return tree


# ------------------------------------------------------------------- item 1: links


def test_a_link_out_of_the_tree_is_refused_and_never_read(tmp_path: Path,
                                                          opened: list[str]) -> None:
    tree = _tree(tmp_path)
    report = check([str(tree)], _settings())
    by_file = {d.file: d for d in report.decisions}
    assert set(by_file) == {str(tree / n) for n in ("good.yaml", "loop.yaml", "out.yaml")}
    out = by_file[str(tree / "out.yaml")]
    assert out.status == "error"
    assert out.findings[0].message.startswith(f"is a link to a file outside {tree}; "
                                              "aipolicy reads only files inside the tree")
    assert by_file[str(tree / "good.yaml")].status == "pass"
    assert str(tmp_path / "secret.yaml") not in opened


def test_the_secret_never_reaches_any_output(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    for fmt in FORMATS:
        r = run_cli("check", str(tree), "--as-of", AS_OF, "--format", fmt, "--jobs", "1")
        assert r.exit_code == 1, (fmt, r.stderr)
        assert SECRET not in r.stdout + r.stderr, fmt
        assert "outside" in r.stdout, fmt


def test_a_file_link_loop_in_a_scanned_directory_is_one_error(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    r = run_cli("check", str(tree), "--as-of", AS_OF, "--format", "json")
    assert r.exit_code == 1, r.stderr
    results = [x for x in json.loads(r.stdout)["results"] if x["file"].endswith("loop.yaml")]
    assert len(results) == 1
    assert results[0]["status"] == "error"
    assert "symbolic link that loops" in results[0]["findings"][0]["message"]


def test_links_inside_the_tree_are_read(tmp_path: Path) -> None:
    tree = tmp_path / "intake"
    (tree / "a").mkdir(parents=True)
    (tree / "b").mkdir()
    shutil.copy(GOOD, tree / "a" / "good.yaml")
    (tree / "b" / "link.yaml").symlink_to(tree / "a" / "good.yaml")  # the same file
    (tree / "b" / "rel.json").symlink_to(Path("..") / "a" / "good.yaml")
    found = discover([str(tree / "b")])  # both name one file: it is read once
    assert [f.path for f in found] == [str(tree / "b" / "link.yaml")]
    with pytest.raises(SourceError, match="is a link to a file outside"):
        load_found(found[0])  # given b/, the target in a/ is outside the tree
    found = discover([str(tree)])
    assert [f.path for f in found] == [str(tree / "a" / "good.yaml")]  # links deduplicated
    assert load_found(found[0]).data["use_case_id"] == "FIN-0101"


def test_an_explicit_link_must_stay_in_the_current_or_its_own_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opened: list[str]) -> None:
    work = tmp_path / "work"
    (work / "intake").mkdir(parents=True)
    shutil.copy(GOOD, work / "good.yaml")
    secret = tmp_path / "secret.yaml"
    secret.write_text(f"title: {SECRET}\n")
    (work / "intake" / "in-cwd.yaml").symlink_to(work / "good.yaml")
    (work / "intake" / "out.yaml").symlink_to(secret)
    monkeypatch.chdir(work)
    report = check(["intake/in-cwd.yaml", "intake/out.yaml"], _settings())
    status = {d.file: d.status for d in report.decisions}
    assert status == {"intake/in-cwd.yaml": "pass", "intake/out.yaml": "error"}
    assert "secret.yaml" not in " ".join(opened)
    # a file named explicitly that is no link is read wherever it is
    assert check([str(secret)], _settings()).decisions[0].status != "error"


def test_a_directory_link_loop_is_not_followed(tmp_path: Path) -> None:
    tree = tmp_path / "t"
    (tree / "a").mkdir(parents=True)
    (tree / "a" / "up").symlink_to(tree, target_is_directory=True)
    (tree / "a" / "self").symlink_to(tree / "a" / "self")
    shutil.copy(GOOD, tree / "a" / "x.yaml")
    assert [f.path for f in discover([str(tree)])] == [str(tree / "a" / "x.yaml")]


def test_a_file_swapped_for_a_link_after_discovery_is_not_followed(tmp_path: Path) -> None:
    tree = tmp_path / "t"
    tree.mkdir()
    target = tree / "x.yaml"
    shutil.copy(GOOD, target)
    (found,) = discover([str(tree)])
    target.unlink()
    secret = tmp_path / "secret.yaml"
    secret.write_text(f"title: {SECRET}\n")
    target.symlink_to(secret)
    with pytest.raises(SourceError) as info:
        load_found(found)
    assert SECRET not in str(info.value)


# ------------------------------------------------------- item 7: unreadable entries


def test_an_unreadable_subdirectory_fails_closed(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    tree = tmp_path / "intake"
    locked = tree / "locked"
    locked.mkdir(parents=True)
    shutil.copy(GOOD, tree / "good.yaml")
    shutil.copy(GOOD, locked / "hidden-from-view.yaml")
    _unreadable(monkeypatch, locked)
    try:
        for command in ("check", "validate"):
            r = run_cli(command, str(tree), "--as-of", AS_OF, "--format", "json")
            assert r.exit_code == 1, (command, r.stdout, r.stderr)
            results = {x["file"]: x for x in json.loads(r.stdout)["results"]}
            assert results[str(tree / "good.yaml")]["status"] == "pass"
            assert results[str(locked)]["status"] == "error"
            message = results[str(locked)]["findings"][0]["message"]
            assert message.startswith("cannot read the directory: Permission denied")
    finally:
        locked.chmod(0o755)


def test_an_unreadable_file_in_a_scanned_directory_fails_closed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = tmp_path / "intake"
    tree.mkdir()
    locked = tree / "locked.yaml"
    shutil.copy(GOOD, locked)
    locked.chmod(0)
    if os.geteuid() == 0:
        real_open = builtins.open

        def refuse(file: Any, *args: Any, **kwargs: Any) -> Any:
            if str(file) == str(locked):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", refuse)
    r = run_cli("check", str(tree), "--as-of", AS_OF)
    assert r.exit_code == 1
    assert f"{locked}: AIP001 cannot read the file: Permission denied" in r.stdout


def test_a_pack_directory_that_cannot_be_listed_is_a_configuration_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    _unreadable(monkeypatch, pack / "tests")
    try:
        r = run_cli("check", str(GOOD), "--pack", str(pack), "--as-of", AS_OF)
    finally:
        (pack / "tests").chmod(0o755)
    assert r.exit_code == 2
    assert f"{pack / 'tests'}: cannot read the directory" in r.stderr


# --------------------------------------------------------- item 13: odd file names


def test_a_file_name_that_is_not_utf8_is_read(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/\xff-caf\xe9.yaml"
    shutil.copy(os.fsencode(GOOD), raw)
    report = check([str(tmp_path)], _settings())
    (decision,) = report.decisions
    assert decision.file == os.fsdecode(raw)  # with surrogate escapes, as os gives it
    assert decision.status == "pass"
    for command in ("check", "validate"):  # a real process: its stdout escapes the name
        proc = subprocess.run([sys.executable, "-m", "aipolicy", command, str(tmp_path),
                               "--as-of", AS_OF], capture_output=True, check=False)
        assert proc.returncode == 0, (command, proc.stderr)
        assert b"caf" in proc.stdout


def test_a_backslash_in_a_file_name_is_kept(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    shutil.copy(GOOD, tmp_path / "a\\b.yaml")
    shutil.copy(GOOD, tmp_path / "a" / "b.yaml")
    names = [d.file for d in check([str(tmp_path)], _settings()).decisions]
    assert names == [str(tmp_path / "a") + "/b.yaml", str(tmp_path / "a\\b.yaml")]
    r = run_cli("check", str(tmp_path / "a\\b.yaml"), "--as-of", AS_OF, "--format", "json")
    assert [x["file"] for x in json.loads(r.stdout)["results"]] == [str(tmp_path / "a\\b.yaml")]


@pytest.mark.parametrize("given", ["intake", "intake/", "./intake", "intake//sub/.."])
def test_paths_are_reported_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     given: str) -> None:
    (tmp_path / "intake" / "sub").mkdir(parents=True)
    shutil.copy(GOOD, tmp_path / "intake" / "x.yaml")
    monkeypatch.chdir(tmp_path)
    assert [f.path for f in discover([given])] == [os.path.join(given, "x.yaml")]


# ------------------------------------------- item 20: a governance repository's root


def _governance_repo(root: Path) -> None:
    for rel, text in scaffold.files().items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    (root / "waivers" / "w-1.yaml").write_text(  # a whole waiver: a broken one is exit 2
        "id: W-1\nrule: X\nuse_case_id: UC-1\nowner: {name: A, email: a@example.com}\n"
        "approver: {name: B, email: b@example.com}\njustification: a reason\n"
        "ticket: T-1\ngranted: 2026-01-01\nexpires: 2026-02-01\n")
    (root / "approvals").mkdir(exist_ok=True)  # init writes its README
    (root / "approvals" / "a-1.yaml").write_text(  # read by check's sign-offs, not walked
        "use_case_id: X-001\nrole: ai_governance_lead\ndecision: approved\n"
        "date: 2026-10-01\napprover: lead@example.com\n")
    (root / ".venv" / "lib").mkdir(parents=True)
    (root / ".venv" / "lib" / "dep.yaml").write_text("a: 1\n")
    (root / ".git").mkdir()
    (root / ".git" / "config.yml").write_text("a: 1\n")


def test_check_at_the_root_of_a_governance_repository_reads_only_submissions(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _governance_repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    expected = [f"./intake/{scaffold.EXAMPLE}"]
    for command in ("check", "validate"):
        r = run_cli(command, ".", "--as-of", AS_OF, "--format", "json")
        assert r.exit_code in (0, 1), r.stderr
        assert [x["file"] for x in json.loads(r.stdout)["results"]] == expected, command
    # files named explicitly are always evaluated
    r = run_cli("validate", "policies/pack.yaml", "waivers/w-1.yaml", "--format", "json")
    assert [x["file"] for x in json.loads(r.stdout)["results"]] == ["policies/pack.yaml",
                                                                      "waivers/w-1.yaml"]


def test_the_pack_given_by_flag_is_not_walked_either(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(PACK, tmp_path / "rules")
    (tmp_path / "intake").mkdir()
    shutil.copy(GOOD, tmp_path / "intake" / "good.yaml")
    monkeypatch.chdir(tmp_path)
    r = run_cli("check", ".", "--pack", "rules", "--schema", str(FORM), "--as-of", AS_OF,
                "--format", "json")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert [x["file"] for x in json.loads(r.stdout)["results"]] == ["./intake/good.yaml"]
    # the intake directory's own waivers/ is submissions: only ./waivers is configuration
    (tmp_path / "intake" / "waivers").mkdir()
    shutil.copy(GOOD, tmp_path / "intake" / "waivers" / "x.yaml")
    found = [d.file for d in validate(["intake"], _settings()).decisions]
    assert found == ["intake/good.yaml", "intake/waivers/x.yaml"]


def test_discovery_results_survive_a_worker_process() -> None:
    import pickle

    item = Found("a.yaml", ("/x",), "x", None)
    assert pickle.loads(pickle.dumps(item)) == item


# ---------------------------------------------------------- item 16: YAML in words


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("owner:\n\tname: x\n", 2, 1, "indented with a tab; YAML indents with spaces only"),
        ("owner:\n  name: x\n\temail: y\n", 3, 1, "replace the tab with spaces"),
        ("a: 1\ntitle: Note: x\nb: c\n", 2, 8,
         "the value of 'title' holds ': ' (a colon and a space), which YAML reads as the "
         "start of another key: put the whole value in quotes, e.g. title: \"Note: x\""),
        ("owner:\n  name: x\n email: y\n", 3, 2,
         "indented by 1 space, which lines up with none of the lines above it"),
        ("owner:\n  name: x\n    email: y\n", 3, 5, "indented deeper than line 2"),
        ("title: \"never closed\nowner: x\nc: d\n", 1, 8,
         "the value that starts with \" here is never closed: end it with \""),
        ("a: 1\ntitle: 'never closed\nowner: x\n", 2, 8, "type it twice ('')"),
        ("title: \"never closed\nowner: x\npurpose: \"something\"\nz: 1\n", 1, 8,
         "runs on to line 3, where the next \" closes it"),
        ("a: 1\ntitle: 'it's here'\n", 2, 12, "the quoted value ends before the end of the "
         "line"),
        ("a: 1\ntitle: [unclosed\nowner: x\n", 2, 8, "the list opened with [ here is never "
         "closed: end it with ]"),
        ("a: {x: 1\n", 1, 4, "the mapping opened with { here is never closed"),
        ("a: 1\nb\nc: 2\n", 2, 1, "this line ('b') is neither 'key: value' nor a '- item'"),
        ("- a\nb: c\n", 2, 1, "this line is not a '- ' item"),
        ("a: @x\n", 1, 4, "a value cannot start with @"),
    ],
)
def test_yaml_syntax_errors_say_what_to_do_where_it_went_wrong(
        text: str, line: int, column: int, words: str) -> None:
    with pytest.raises(SourceError) as info:
        parse_yaml(text, "x.yaml")
    assert info.value.message.startswith("not valid YAML: ")
    assert words in info.value.message
    assert info.value.location is not None
    assert (info.value.location.line, info.value.location.column) == (line, column)


def test_other_yaml_errors_keep_libyaml_words_with_advice() -> None:
    with pytest.raises(SourceError) as info:
        parse_yaml("a: *\n", "x.yaml")
    assert "did not find expected alphabetic or numeric character" in info.value.message
    assert "check the quoting and the indentation" in info.value.message


def test_hostile_syntax_files_point_at_their_real_line() -> None:
    hostile = ROOT / "tests" / "hostile"
    cases: dict[str, tuple[int, str]] = {
        "tab-indentation.yaml": (2, "tab"),
        "unclosed-quote.yaml": (1, "never closed"),
        "colon-in-value.yaml": (3, "put the whole value in quotes"),
        "bad-indentation.yaml": (5, "lines up with none of the lines above"),
        "quote-closed-later.yaml": (3, "runs on to line 6"),
    }
    for name, (line, words) in cases.items():
        r = run_cli("check", str(hostile / name), "--as-of", AS_OF, "--format", "json")
        (result,) = json.loads(r.stdout)["results"]
        finding = result["findings"][0]
        assert (finding["line"], words in finding["message"]) == (line, True), (name, finding)



def test_check_reports_every_finding_validate_does() -> None:
    """Why the pre-commit hooks are alternatives (docs/cli.md): check ⊇ validate."""
    files = [str(p) for p in sorted((ROOT / "tests" / "data" / "run").glob("*.yaml"))]
    files += [str(p) for p in sorted((ROOT / "tests" / "hostile").glob("*.yaml"))[:8]]

    def findings(command: str) -> set[tuple[str, str, int | None, str]]:
        r = run_cli(command, *files, "--as-of", AS_OF, "--format", "json")
        return {(x["file"], f["rule"], f["line"], f["message"])
                for x in json.loads(r.stdout)["results"] for f in x["findings"]}

    validated = findings("validate")
    assert validated
    assert validated <= findings("check")
