"""Writing output, the cache, the scaffold and what the docs promise (issue 10, #8 #11 #13
#14 #21). Special files are made in the test's own directory, never the system's."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers.paths import AS_OF, EXAMPLES, FORM, PACK, ROOT, run_cli

GOOD = ROOT / "tests" / "data" / "run" / "good.yaml"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _device(path: Path, minor: int) -> Path:
    """A character device of the memory driver (1, minor) at ``path``: 3 null, 7 full."""
    if not IS_ROOT:
        pytest.skip("making a device node needs root")
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except OSError as exc:  # pragma: no cover - a container that forbids mknod
        pytest.skip(f"cannot make a device node: {exc}")
    return path


def _check(*extra: str) -> list[str]:
    return ["check", str(GOOD), "--as-of", AS_OF, *extra]


# ------------------------------------------------------------------------ --output targets


def test_output_dash_is_stdout_and_writes_no_file(in_tmp: Path) -> None:
    r = run_cli(*_check("--format", "json", "-o", "-"))
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["summary"]["pass"] == 1
    assert not (in_tmp / "-").exists()
    v = run_cli("validate", str(GOOD), "-o", "-")
    assert v.exit_code == 0
    assert "pass" in v.stdout
    assert not (in_tmp / "-").exists()


def test_output_onto_a_device_writes_it_in_place(tmp_path: Path) -> None:
    null = _device(tmp_path / "null", 3)
    r = run_cli(*_check("-o", str(null)))
    assert r.exit_code == 0, r.stderr
    assert stat.S_ISCHR(os.lstat(null).st_mode), "the device was replaced by a file"
    assert os.listdir(tmp_path) == ["null"]  # no temporary file left either


def test_output_onto_a_full_device_is_a_plain_error(tmp_path: Path) -> None:
    full = _device(tmp_path / "full", 7)
    r = run_cli(*_check("-o", str(full)))
    assert r.exit_code == 2, r.stderr
    assert r.stderr == (f"aipolicy: error: {full}: cannot write the report: no space left "
                        "on the device\n")
    assert stat.S_ISCHR(os.lstat(full).st_mode)


def test_output_onto_a_fifo_feeds_its_reader(tmp_path: Path) -> None:
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    r = run_cli(*_check("--format", "json", "-o", str(fifo)))
    reader.join(10)
    assert r.exit_code == 0, r.stderr
    assert json.loads(got[0])["summary"]["pass"] == 1
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_output_through_a_link_writes_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    target = tmp_path / "real" / "report.json"
    target.parent.mkdir()
    target.write_text("old\n")
    link = tmp_path / "report.json"
    link.symlink_to(target)
    r = run_cli(*_check("--format", "json", "-o", str(link)))
    assert r.exit_code == 0, r.stderr
    assert link.is_symlink()
    assert os.readlink(link) == str(target)
    assert json.loads(target.read_text())["summary"]["pass"] == 1
    assert sorted(os.listdir(target.parent)) == ["report.json"]


@pytest.mark.parametrize("which", ["submission", "form", "pack file", "link to submission"])
def test_output_onto_a_file_the_run_reads_is_refused(tmp_path: Path, which: str) -> None:
    intake = tmp_path / "uc.yaml"
    shutil.copy(GOOD, intake)
    form = tmp_path / "schema.json"
    shutil.copy(FORM, form)
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    victim = {"submission": intake, "form": form, "pack file": pack / "pack.yaml",
              "link to submission": intake}[which]
    output = victim
    if which == "link to submission":
        output = tmp_path / "out.yaml"
        output.symlink_to(intake)
    before = victim.read_bytes()
    r = run_cli("check", str(intake), "--schema", str(form), "--pack", str(pack),
                "--as-of", AS_OF, "-o", str(output))
    assert r.exit_code == 2, r.stderr
    assert "--output names a file this run reads" in r.stderr
    assert r.stderr.count("\n") == 1
    assert victim.read_bytes() == before
    v = run_cli("validate", str(intake), "--schema", str(form), "-o", str(output))
    assert v.exit_code == (2 if which != "pack file" else 0), v.stderr
    if which == "pack file":
        assert victim.read_bytes() != before  # validate reads no pack
    else:
        assert victim.read_bytes() == before


def test_output_write_errors_are_usage_errors(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "plain").write_text("x")
    cases = {
        str(tmp_path / "missing" / "r.txt"): "its directory does not exist",
        str(tmp_path / "folder"): "it is a directory; name a file",
        str(tmp_path / "plain" / "r.txt"): "a part of the path is not a directory",
    }
    for output, reason in cases.items():
        r = run_cli(*_check("-o", output))
        assert r.exit_code == 2, (output, r.stderr)
        assert r.stderr == f"aipolicy: error: {output}: cannot write the report: {reason}\n"
    for summary in (tmp_path / "missing" / "summary.md", tmp_path / "folder"):
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
        r = run_cli(*_check("--format", "github"))
        assert r.exit_code == 2, r.stderr
        assert r.stderr.startswith(f"aipolicy: error: {summary}: cannot write the job "
                                   "summary ($GITHUB_STEP_SUMMARY): ")
        assert "internal error" not in r.stderr
    assert sorted(os.listdir(tmp_path)) == ["folder", "plain"]


def test_a_full_disk_while_writing_leaves_nothing_and_exits_2(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:

    real = os.fdopen

    class Full:
        def __init__(self, fd: int, *args: object, **kwargs: object) -> None:
            self.fh = real(fd, "w")

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.fh.close()

        def fileno(self) -> int:
            return self.fh.fileno()

        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", Full)
    out = tmp_path / "report.txt"
    r = run_cli(*_check("-o", str(out)))
    assert r.exit_code == 2
    assert "no space left on the device" in r.stderr
    assert os.listdir(tmp_path) == []


def test_a_full_stdout_is_a_plain_error(tmp_path: Path) -> None:
    full = _device(tmp_path / "full", 7)
    with open(full, "w") as out:
        proc = subprocess.run([sys.executable, "-m", "aipolicy", *_check()], stdout=out,
                              stderr=subprocess.PIPE, text=True, timeout=60, check=False)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == ("aipolicy: error: cannot write the report to standard output: "
                           "No space left on device\n")


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077])
def test_written_files_honour_the_umask_and_keep_an_existing_mode(in_tmp: Path,
                                                                   umask: int) -> None:
    old = os.umask(umask)
    try:
        assert run_cli(*_check("-o", "new.txt")).exit_code == 0
        assert stat.S_IMODE(os.stat("new.txt").st_mode) == 0o666 & ~umask
        Path("kept.txt").write_text("old\n")
        os.chmod("kept.txt", 0o604)
        assert run_cli(*_check("-o", "kept.txt")).exit_code == 0
        assert stat.S_IMODE(os.stat("kept.txt").st_mode) == 0o604
        assert run_cli("new", "-o", "intake/uc.yaml").exit_code == 0
        assert stat.S_IMODE(os.stat("intake/uc.yaml").st_mode) == 0o666 & ~umask
        assert run_cli("init", "repo").exit_code == 0
        assert stat.S_IMODE(os.stat("repo/README.md").st_mode) == 0o666 & ~umask
    finally:
        os.umask(old)


def test_umask_is_read_without_changing_it() -> None:
    from aipolicy.sources.writing import umask

    old = os.umask(0o037)
    try:
        assert umask() == 0o037
        assert umask() == 0o037
    finally:
        os.umask(old)


# ------------------------------------------------------------------------------- options


def test_a_huge_max_file_size_is_a_usage_error() -> None:
    r = run_cli(*_check("--max-file-size", str(10 ** 30)))
    assert r.exit_code == 2
    assert "--max-file-size" in r.stderr
    assert "1<=x<=1073741824" in r.stderr
    assert "internal error" not in r.stderr


def test_the_largest_max_file_size_does_not_allocate_it() -> None:
    """Reading a small file never asks for a buffer of --max-file-size bytes (a gigabyte
    here): under an address-space limit below that, the run still works."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (900 * 1024 * 1024, 900 * 1024 * 1024))

    proc = subprocess.run([sys.executable, "-m", "aipolicy",
                           *_check("--max-file-size", str(1024 ** 3))], capture_output=True,
                          text=True, timeout=60, check=False, preexec_fn=limit)
    assert proc.returncode == 0, proc.stderr


# ------------------------------------------------------------------------------ new, init


def test_new_and_init_never_print_a_traceback(in_tmp: Path) -> None:
    Path("blocker").write_text("a file where a folder is needed\n")
    r = run_cli("new", "-o", "blocker/uc.yaml")
    assert r.exit_code == 2
    assert r.stderr.startswith("aipolicy: error: blocker/uc.yaml: cannot write the template")
    Path("repo").mkdir()
    Path("repo/.github").write_text("x")
    i = run_cli("init", "repo")
    assert i.exit_code == 2
    assert i.stderr == ("aipolicy: error: repo/.github: is a file, where aipolicy init needs "
                        "a folder; nothing was written\n")
    assert sorted(os.listdir("repo")) == [".github"]


def test_init_never_writes_through_a_link_out_of_its_directory(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "policies").symlink_to(elsewhere)
    r = run_cli("init", str(repo))
    assert r.exit_code == 2
    assert f"{repo / 'policies'}: is a link to {elsewhere}, outside {repo}" in r.stderr
    assert os.listdir(elsewhere) == []
    assert os.listdir(repo) == ["policies"]


def test_init_follows_a_link_that_stays_inside_and_counts_dangling_links(
        tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "real-policies").mkdir(parents=True)
    (repo / "policies").symlink_to(repo / "real-policies")
    assert run_cli("init", str(repo)).exit_code == 0
    assert (repo / "real-policies" / "pack.yaml").is_file()
    other = tmp_path / "other"
    other.mkdir()
    (other / "README.md").symlink_to(tmp_path / "nowhere.md")
    r = run_cli("init", str(other))
    assert r.exit_code == 2
    assert f"{other / 'README.md'}: exists" in r.stderr
    assert not (tmp_path / "nowhere.md").exists()


# ------------------------------------------------------------------------------- the cache


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("AIPOLICY_CACHE_DIR", str(folder))
    return folder


def _pack_entry(cache: Path) -> tuple[Path, str]:
    first = run_cli(*_check("--format", "json"))
    assert first.exit_code == 0, first.stderr
    entries = [p for p in (cache / "packs").iterdir() if not p.name.startswith(".")]
    assert len(entries) == 1
    return entries[0], first.stdout


def _damage(entry: Path, kind: str) -> None:
    entry.unlink()
    if kind == "fifo":
        os.mkfifo(entry)
    elif kind == "link to an endless device":
        entry.symlink_to("/dev/zero")
    elif kind == "link to a good copy":
        good = entry.with_name("elsewhere")
        good.write_text("{}")
        entry.symlink_to(good)
    elif kind == "directory":
        entry.mkdir()
    elif kind == "deep json":
        entry.write_text("[" * 200_000 + "]" * 200_000)
    elif kind == "deep model":
        entry.write_text('{"format": 1, "docs": "[]", "model": ' + '{"a": ' * 100_000 + "1"
                         + "}" * 100_001)
    elif kind == "invalid utf-8":
        entry.write_bytes(b'{"format": 1, "docs": "\xff\xfe"}')
    elif kind == "truncated":
        entry.write_text('{"format": 1, "docs": "[{\\"pack\\": ')
    elif kind == "wrong shape":
        entry.write_text('{"format": 1, "docs": "[1, 2]", "model": {"__model__": "Pack"}}')
    elif kind == "oversized":
        with open(entry, "wb") as fh:
            fh.truncate(65 * 1024 * 1024)  # sparse: costs no disk


DAMAGE = ["fifo", "link to an endless device", "link to a good copy", "directory",
          "deep json", "deep model", "invalid utf-8", "truncated", "wrong shape", "oversized"]


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_cache_entry_is_a_miss(cache: Path, kind: str) -> None:
    entry, expected = _pack_entry(cache)
    _damage(entry, kind)
    proc = subprocess.run([sys.executable, "-m", "aipolicy", *_check("--format", "json")],
                          capture_output=True, text=True, timeout=30, check=False,
                          env={**os.environ, "AIPOLICY_CACHE_DIR": str(cache)})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == expected
    assert proc.stderr == ""


def test_the_cache_writes_no_predictable_temporary_and_follows_no_link(cache: Path) -> None:
    from aipolicy.cache import cache_add, cache_put

    folder = cache / "packs"
    folder.mkdir(parents=True)
    victim = cache.parent / "victim.txt"
    victim.write_text("precious\n")
    target = folder / "sha256-abc"
    target.with_suffix(f".{os.getpid()}.tmp").symlink_to(victim)  # the name used to be known
    cache_put("packs", "sha256:abc", "{}")
    assert victim.read_text() == "precious\n"
    assert target.read_text() == "{}"
    assert not target.is_symlink()
    marker = cache / "checked-forms" / "sha256-def"
    marker.parent.mkdir()
    marker.symlink_to(cache.parent / "created-through-a-link")
    cache_add("checked-forms", "sha256:def")
    assert not (cache.parent / "created-through-a-link").exists()


def test_a_cache_that_cannot_be_written_is_not_used(cache: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    import aipolicy.cache as sources

    (cache / "packs").mkdir(parents=True)
    real_fdopen = os.fdopen

    class Partial:
        def __init__(self, fd: int, mode: str) -> None:
            self.fh = real_fdopen(fd, mode)

        def __enter__(self) -> Partial:
            return self

        def __exit__(self, *exc: object) -> None:
            self.fh.close()

        def write(self, data: bytes) -> int:
            self.fh.write(data[:10])  # half written, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", Partial)
    sources.cache_put("packs", "sha256:abc", "x" * 1000)
    assert os.listdir(cache / "packs") == []
    monkeypatch.setattr(os, "fdopen", real_fdopen)
    for code in (errno.ENOSPC, errno.EROFS, errno.EACCES):
        def refuse(*args: object, code: int = code, **kwargs: object) -> None:
            raise OSError(code, os.strerror(code))

        monkeypatch.setattr(tempfile, "mkstemp", refuse)
        r = run_cli(*_check())
        assert r.exit_code == 0, r.stderr
    monkeypatch.undo()
    blocker = cache.parent / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("AIPOLICY_CACHE_DIR", str(blocker / "cache"))
    r = run_cli(*_check())
    assert r.exit_code == 0, r.stderr


# -------------------------------------------------------------------------- pack problems


def _pack_with(tmp_path: Path, when: object, rid: str = "LATE") -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    extra = {"rules": [{"id": rid, "title": "Late", "description": "d", "severity": "low",
                        "enforcement": "advisory",
                        "citations": [{"framework": "EU AI Act", "clause": "1"}], "when": when,
                        "violation": {"message": "Late.", "remediation": "Review."}}]}
    (pack / "zz-extra.yaml").write_text(yaml.safe_dump(extra, sort_keys=False))
    return pack


def test_an_as_of_offset_beyond_the_calendar_is_a_pack_error(tmp_path: Path) -> None:
    pack = _pack_with(tmp_path, {"field": "next_review_due", "before": {"as_of": 10 ** 12}})
    r = run_cli(*_check("--pack", str(pack)))
    assert r.exit_code == 2, r.stderr
    assert re.search(r"zz-extra\.yaml:\d+:\d+: \{as_of: 1000000000000\} is beyond any date; "
                     r"N is at most 3,652,058 days either way", r.stderr), r.stderr


@pytest.mark.parametrize("days", [3_652_058, -3_652_058, 3_000_000])
def test_an_as_of_offset_near_the_calendar_s_ends_is_held_to_them(tmp_path: Path,
                                                                  days: int) -> None:
    pack = _pack_with(tmp_path, {"field": "next_review_due", "before": {"as_of": days}})
    intake = tmp_path / "uc.yaml"
    intake.write_text(GOOD.read_text() + 'next_review_due: "2027-01-31"\n')
    r = run_cli("check", str(intake), "--as-of", AS_OF, "--pack", str(pack), "--format",
                "json")
    assert r.exit_code in (0, 1), r.stderr
    rules = {f["rule"] for f in json.loads(r.stdout)["results"][0]["findings"]}
    assert ("LATE" in rules) == (days > 0)


def test_each_repeated_rule_id_is_reported_once_at_its_place() -> None:
    from aipolicy.errors import PackError
    from helpers.minipack import RULES, mini_pack, rule

    rules = [*RULES, rule("EXT"), rule("NEW"), rule("EXT"), rule("NEW")]
    with pytest.raises(PackError) as caught:
        mini_pack(rules, split=True)
    repeated = [(str(loc), msg) for loc, msg in caught.value.problems if "used twice" in msg]
    n = len(RULES)
    assert repeated == [
        (f"pack/r{n}.yaml:2:3", "rule id 'EXT' is used twice; ids are unique and never reused"),
        (f"pack/r{n + 2}.yaml:2:3",
         "rule id 'EXT' is used twice; ids are unique and never reused"),
        (f"pack/r{n + 3}.yaml:2:3",
         "rule id 'NEW' is used twice; ids are unique and never reused"),
    ]


def test_the_repeated_id_check_reads_each_rule_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Linear: the check looks each id up once, never scans the rules before it."""
    import aipolicy.pack.compiler as pc
    from helpers.minipack import mini_pack, rule

    scans: list[int] = []
    real = pc.PackCompiler._rule

    def counting(self: pc.PackCompiler, i: int, *args: object) -> object:
        model = self.m

        class Watch(tuple[Any, ...]):
            def __getitem__(self, key: Any) -> Any:
                if isinstance(key, slice):
                    scans.append(i)
                return super().__getitem__(key)

        self.m = model._replace(rules=Watch(model.rules))  # the model is frozen: a copy
        try:
            return real(self, i, *args)  # type: ignore[arg-type]
        finally:
            self.m = model

    monkeypatch.setattr(pc.PackCompiler, "_rule", counting)
    mini_pack([rule(f"R-{i}") for i in range(50)])
    assert scans == []


# --------------------------------------------------------------------------------- noise


def test_refused_patterns_print_nothing_but_the_message(tmp_path: Path) -> None:
    pack = _pack_with(tmp_path, {"any": [{"field": "title", "matches": "a{1001}"},
                                         {"field": "title", "matches": "[[:foo:]]"}]})
    proc = subprocess.run([sys.executable, "-m", "aipolicy", "lint", str(pack), "--schema",
                           str(FORM)], capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert len(lines) == 3, proc.stderr  # two problems and the summary line
    assert "pattern refused: not supported by the linear-time matcher: invalid repetition "\
        "size: {1001}" in lines[0]
    assert "b'" not in proc.stderr


def test_a_run_over_the_examples_prints_nothing_on_stderr() -> None:
    proc = subprocess.run([sys.executable, "-W", "default", "-m", "aipolicy", "check",
                           str(EXAMPLES), "--as-of", AS_OF], capture_output=True, text=True,
                          timeout=60, check=False, cwd=ROOT)
    assert proc.returncode == 1
    assert proc.stderr == ""


# ------------------------------------------------------------------- scaffold and versions


@pytest.mark.parametrize(("direct", "wanted"), [
    (None, "aipolicy=={v}"),
    ({"url": "https://github.com/o/aipolicy", "vcs_info": {"vcs": "git", "commit_id": "abc1"}},
     "aipolicy @ git+https://github.com/o/aipolicy@abc1"),
    ({"url": "https://example.org/aipolicy-1.0.tar.gz", "archive_info": {}},
     "aipolicy @ https://example.org/aipolicy-1.0.tar.gz"),
    ({"url": "file:///work/aipolicy", "dir_info": {"editable": True}}, None),
    ({"url": "file:///work/aipolicy.whl", "archive_info": {}}, None),
])
def test_ci_installs_the_aipolicy_init_ran_from(direct: dict[str, object] | None,
                                                wanted: str | None) -> None:
    from aipolicy import __version__
    from aipolicy.scaffold.repository import install_requirement

    assert install_requirement(direct) == (wanted.format(v=__version__) if wanted else None)


def test_init_s_workflow_installs_its_requirement_and_says_when_it_cannot(
        in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import aipolicy.scaffold.repository as scaffold
    from aipolicy import __version__

    monkeypatch.setattr(scaffold, "_direct_url", lambda: {"url": "file:///src"})
    r = run_cli("init", "local")
    assert r.exit_code == 0
    assert "note: this aipolicy" in r.stderr
    assert "AIPOLICY_REQUIREMENT" in r.stderr
    flow = yaml.safe_load(Path("local/.github/workflows/aipolicy.yml").read_text())
    assert flow["env"]["AIPOLICY_REQUIREMENT"] == ""
    install = next(s for s in flow["jobs"]["check"]["steps"] if s.get("name") ==
                   "install aipolicy")
    assert 'pip install "$AIPOLICY_REQUIREMENT"' in install["run"]
    assert "exit 1" in install["run"]
    url = {"url": "https://github.com/o/aipolicy", "vcs_info": {"vcs": "git", "commit_id": "c"}}
    monkeypatch.setattr(scaffold, "_direct_url", lambda: url)
    r = run_cli("init", "remote")
    assert r.exit_code == 0
    assert r.stderr == ""
    flow = yaml.safe_load(Path("remote/.github/workflows/aipolicy.yml").read_text())
    wanted = "aipolicy @ git+https://github.com/o/aipolicy@c"
    assert flow["env"]["AIPOLICY_REQUIREMENT"] == wanted
    assert f'pip install "{wanted}"' in Path("remote/.pre-commit-config.yaml").read_text()
    assert f"aipolicy=={__version__}" not in Path(
        "remote/.github/workflows/aipolicy.yml").read_text()


def test_the_version_agrees_with_the_changelog() -> None:
    from packaging.version import Version

    from aipolicy import __version__

    changelog = (ROOT / "CHANGELOG.md").read_text()
    headings = re.findall(r"^## (\S+)", changelog, flags=re.MULTILINE)
    released = [Version(h) for h in headings if h != "Unreleased"]
    mine = Version(__version__)
    if headings and headings[0] == "Unreleased":
        assert mine.is_prerelease or mine.is_devrelease, __version__
        assert all(mine > v for v in released)
    else:
        assert mine == released[0]


def _tags() -> set[str]:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "tag"], capture_output=True, text=True,
                             timeout=30, check=True).stdout
    except (OSError, subprocess.CalledProcessError):  # pragma: no cover - not a checkout
        return set()
    return set(out.split())


def test_the_docs_pin_pre_commit_to_a_rev_that_exists() -> None:
    docs = "\n".join(p.read_text() for p in (ROOT / "docs").glob("*.md"))
    docs += (ROOT / "README.md").read_text()
    tags = _tags()
    for rev in re.findall(r"^\s*rev:\s*(\S+)", docs, flags=re.MULTILINE):
        assert rev in tags or rev == "COMMIT-SHA" or re.fullmatch(r"[0-9a-f]{40}", rev), rev


def test_the_documented_top_level_keys_are_the_ones_a_pack_accepts() -> None:
    from aipolicy.pack.model import Pack

    doc = (ROOT / "docs" / "rule-language.md").read_text()
    table = doc.split("## Top-level keys", 1)[1].split("\n## ", 1)[0].split("###", 1)[0]
    keys = re.findall(r"^\| `([a-z_]+)` \|", table, flags=re.MULTILINE)
    accepted = {f.alias or name for name, f in Pack.model_fields.items()}
    assert keys
    assert set(keys) <= accepted, set(keys) - accepted


def test_error_lines_on_stderr_are_one_inert_line(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """An error message may quote a file name or a value: on stderr it is one line, with
    no control character, and an internal error's text is shortened."""
    import aipolicy.commands.check

    hostile = tmp_path / "x\n::error::forged\x1b[2J"
    r = run_cli("check", str(hostile))  # no such file: a usage error quoting its name
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1
    assert "\x1b" not in r.stderr
    assert "\\n::error::forged\\x1b[2J" in r.stderr

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("kaboom\n::error::forged " + "x" * 100_000)

    monkeypatch.setattr(aipolicy.commands.check, "build_report", boom)
    r = run_cli("check", str(ROOT / "tests" / "data" / "run" / "good.yaml"))
    assert r.exit_code == 3
    assert r.stderr.count("\n") == 1
    assert len(r.stderr) < 500


def test_output_into_a_walked_tree_is_refused(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A report named *.json inside a directory the run walks would be read by the next
    run as a submission: refused (exit 2), nothing written; elsewhere, or not a document
    name, it is written."""
    intake = tmp_path / "intake"
    intake.mkdir()
    shutil.copy(EXAMPLES / "code-assistant.yaml", intake / "a.yaml")
    monkeypatch.chdir(tmp_path)
    for args in (["check", "-o", "intake/report.json"],
                 ["validate", str(intake), "-o", str(intake / "sub" / ".." / "r.yaml")]):
        r = run_cli(*args, "--as-of", AS_OF, "-f", "json")
        assert r.exit_code == 2, (args, r.stderr)
        assert "the next run would read the report as a submission" in r.stderr
    assert sorted(p.name for p in intake.iterdir()) == ["a.yaml"]
    assert run_cli("check", "-o", "intake/report.txt", "--as-of", AS_OF).exit_code == 0
    assert run_cli("check", "-o", "report.json", "--as-of", AS_OF).exit_code == 0
