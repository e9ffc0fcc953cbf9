"""Hostile and broken input: never a crash, a hang, a pass, or anything executed."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from helpers.hostile import GOOD, HOSTILE, MAX_RSS_KB, MAX_SECONDS, MEASURE
from helpers.hostile import run_measured as _run
from helpers.paths import AS_OF, FORM, ROOT, run_cli

PWNED = Path("/tmp/aipolicy-pwned")
SECRET = "SECRET-OUTSIDE-THE-TREE"


def _generated(tmp: Path) -> Iterator[Path]:
    big = tmp / "over-the-size-limit.yaml"
    big.write_text("title: " + "x" * (1024 * 1024 + 10) + "\n")
    yield big
    many = tmp / "too-many-values.yaml"
    many.write_text("items:\n" + "- a\n" * 220_000)
    yield many
    folder = tmp / "a-directory.yaml"
    folder.mkdir()
    yield folder
    loop = tmp / "symlink-loop.yaml"
    loop.symlink_to(loop)
    yield loop
    dangling = tmp / "dangling-link.yaml"
    dangling.symlink_to(tmp / "nowhere.yaml")
    yield dangling
    outside = tmp.parent / f"{tmp.name}-outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(f"use_case_id: {SECRET}\ntitle: {SECRET}\n")
    link_out = tmp / "link-out-of-the-tree.yaml"  # named explicitly: read only within
    link_out.symlink_to(outside / "secret.yaml")  # the current or its own directory
    yield link_out


def _hostile_files(tmp: Path) -> list[Path]:
    return sorted(p for p in HOSTILE.iterdir() if p.suffix in (".yaml", ".json")) + list(
        _generated(tmp))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return _hostile_files(tmp_path_factory.mktemp("hostile"))


def test_corpus_is_large_enough(corpus: list[Path]) -> None:
    assert len(corpus) >= 30


def test_each_hostile_input_fails_closed_fast_and_small(corpus: list[Path]) -> None:
    PWNED.unlink(missing_ok=True)
    problems = []
    for path in corpus:
        proc, seconds, rss_kb = _run("check", str(path), str(GOOD), "--format", "json",
                                     "--as-of", AS_OF, "--jobs", "1")
        name = path.name
        if proc.returncode != 1:
            problems.append(f"{name}: exit {proc.returncode}: {proc.stderr[-300:]}")
            continue
        if "Traceback" in proc.stdout + proc.stderr:
            problems.append(f"{name}: traceback")
        if seconds > MAX_SECONDS:
            problems.append(f"{name}: {seconds:.2f} s")
        if rss_kb > MAX_RSS_KB:
            problems.append(f"{name}: {rss_kb // 1024} MB")
        results = {r["file"]: r for r in json.loads(proc.stdout)["results"]}
        if results.get(str(GOOD), {}).get("status") != "pass":
            problems.append(f"{name}: the valid file was not evaluated")
        mine = results.get(str(path))
        if mine is None or mine["status"] not in ("error", "incomplete"):
            problems.append(f"{name}: status {mine and mine['status']}")
        elif not mine["findings"] or not mine["findings"][0]["message"]:
            problems.append(f"{name}: no finding says what is wrong")
        if SECRET in proc.stdout + proc.stderr:
            problems.append(f"{name}: a file outside the tree was read")
    assert problems == []
    assert not PWNED.exists(), "a tag in an intake ran a command"


def test_a_hostile_pack_is_a_configuration_error_and_runs_nothing(tmp_path: Path) -> None:
    PWNED.unlink(missing_ok=True)
    for name in ("python-object-apply.yaml", "alias-bomb.yaml", "deep-flow-nesting.yaml",
                 "duplicate-keys.yaml", "binary.yaml"):
        pack = tmp_path / name
        pack.write_bytes((HOSTILE / name).read_bytes())
        r = run_cli("check", str(GOOD), "--pack", str(pack), "--schema", str(FORM))
        assert r.exit_code == 2, (name, r.stderr)
        assert f"{pack}:" in r.stderr, r.stderr
        assert "Traceback" not in r.stderr
    assert not PWNED.exists()


def test_nothing_opens_the_network(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network refused by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    form = tmp_path / "remote-ref.json"
    schema = json.loads(FORM.read_text())
    schema["properties"]["title"] = {"$ref": "https://evil.example/title.json",
                                     "title": "Title", "description": "d"}
    form.write_text(json.dumps(schema))
    r = run_cli("validate", str(GOOD), "--schema", str(form))
    assert r.exit_code == 2
    assert "never fetches schemas from elsewhere" in r.stderr
    for path in sorted(HOSTILE.glob("*.yaml"))[:10]:
        run_cli("check", str(path), str(GOOD), "--as-of", AS_OF)
    assert attempts == []


def test_a_form_cannot_read_local_files_either(tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('{"type": "string"}')
    form = tmp_path / "file-ref.json"
    schema = json.loads(FORM.read_text())
    schema["properties"]["title"] = {"$ref": secret.as_uri(), "title": "T", "description": "d"}
    form.write_text(json.dumps(schema))
    r = run_cli("validate", str(GOOD), "--schema", str(form))
    assert r.exit_code == 2
    assert "never fetches" in r.stderr


def test_unreadable_file_is_an_error_not_a_crash(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    locked = tmp_path / "locked.yaml"
    locked.write_text("title: x\n")
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads any file: refuse it the way the kernel would
        real_open = builtins.open

        def refuse(file: object, *args: object, **kwargs: object) -> object:
            if str(file) == str(locked):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

        monkeypatch.setattr(builtins, "open", refuse)
    r = run_cli("check", str(locked), str(GOOD), "--as-of", AS_OF)
    assert r.exit_code == 1
    assert "cannot read the file" in r.stdout


def test_output_onto_a_device_node_keeps_it_a_device(tmp_path: Path) -> None:
    """`-o` onto a null-like and a full-like device made in a scratch directory (never the
    system's): written in place or refused with exit 2, fast, and still a device."""
    import stat

    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    for name, minor, code in (("null", 3, 0), ("full", 7, 2)):
        node = tmp_path / name
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
        proc, seconds, _ = _run("check", str(GOOD), "--as-of", AS_OF, "-o", str(node))
        assert proc.returncode == code, proc.stderr
        assert "Traceback" not in proc.stderr
        assert seconds < MAX_SECONDS
        assert stat.S_ISCHR(os.lstat(node).st_mode)


# ---------------------------------------------------------------- a killed worker, signals

#: Enough files that a run with two workers is still going when the test strikes.
MANY_FILES = 200  # enough for a pool (MIN_FILES_PER_POOL); the stall does the rest


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("many")
    text = GOOD.read_text()
    for i in range(MANY_FILES):
        (folder / f"uc-{i:05d}.yaml").write_text(text)
    return folder


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


#: Runs aipolicy with evaluation stalled on each process's tenth file (after leaving a
#: marker): a strike then always lands mid-run, however fast the machine (a run that
#: finished first once passed the signal by). Forked workers inherit the stall.
_STALLED = ("import sys, time\n"
            "import aipolicy.engine.evaluate as module\n"
            "marker = sys.argv.pop(1); real = module.evaluate; seen = [0]\n"
            "def evaluate(*args, **kwargs):\n"
            "    seen[0] += 1\n"
            "    if seen[0] == 10:\n"
            "        open(marker, 'a').close()\n"
            "        time.sleep(120)\n"
            "    return real(*args, **kwargs)\n"
            "module.evaluate = evaluate\n"
            "from aipolicy.cli import main; sys.exit(main(sys.argv[1:]))")


def _strike(folder: Path, jobs: str, hit: Callable[[subprocess.Popen[str], list[int]], None]
            ) -> tuple[int, str, str, list[int]]:
    """Run ``check --jobs N`` over ``folder``, strike once it is stalled mid-evaluation;
    the exit code, stdout, stderr and the workers it had. Never waits more than 60 s."""
    marker = folder.parent / f"stalled-{folder.name}-{time.monotonic_ns()}"
    proc = subprocess.Popen([sys.executable, "-c", _STALLED, str(marker), "check",
                             str(folder), "--format", "json", "--as-of", AS_OF,
                             "--jobs", jobs],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 30
        wanted = int(jobs) if jobs != "1" else 0
        while time.monotonic() < deadline and proc.poll() is None:
            workers = _children(proc.pid)
            if marker.exists() and len(workers) >= wanted:
                break
            time.sleep(0.01)
        assert proc.poll() is None, "the run ended before the test could strike"
        assert marker.exists(), "the run never reached its tenth file"
        hit(proc, workers)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:  # a hang: never leave it behind
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    return proc.returncode, out, err, workers


def _no_workers_left(workers: list[int]) -> None:
    deadline = time.monotonic() + 5
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)], "worker processes were left behind"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc")
def test_a_killed_worker_fails_the_run_closed(many: Path) -> None:
    code, out, err, workers = _strike(
        many, "2", lambda _proc, workers: os.kill(workers[0], signal.SIGKILL))
    assert len(workers) == 2
    assert code == 3, err
    assert out == ""  # never a partial report
    assert err.count("\n") == 1, err
    assert "a worker process ended abruptly" in err
    assert "Traceback" not in err
    _no_workers_left(workers)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc")
@pytest.mark.parametrize(("name", "code", "word"), [("SIGINT", 130, "interrupted"),
                                                    ("SIGTERM", 143, "terminated")])
@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("to_group", [False, True])  # a terminal's Ctrl-C: every process
def test_a_signal_stops_the_run_in_one_line(many: Path, name: str, code: int, word: str,
                                            jobs: str, to_group: bool) -> None:
    number = getattr(signal, name)

    def hit(proc: subprocess.Popen[str], _workers: list[int]) -> None:
        if to_group:
            os.killpg(proc.pid, number)
        else:
            proc.send_signal(number)

    got, out, err, workers = _strike(many, jobs, hit)
    assert got == code, err
    assert out == ""
    assert err == f"aipolicy: {word}\n"
    _no_workers_left(workers)


#: Runs aipolicy with one directory unlistable: chmod 000 stops anyone but root; as root
#: (whom permissions do not stop) os.scandir refuses it the way the kernel refuses others.
_LOCKED = ("import os, sys; locked = sys.argv.pop(1); real = os.scandir\n"
           "def scandir(path='.'):\n"
           "    if os.fspath(path) == locked and os.geteuid() == 0:\n"
           "        raise PermissionError(13, 'Permission denied', locked)\n"
           "    return real(path)\n"
           "os.scandir = scandir\n"
           "from aipolicy.cli import main; sys.exit(main(sys.argv[1:]))")


def test_a_tree_with_a_link_out_and_an_unreadable_directory_fails_closed(
        tmp_path: Path) -> None:
    """A link out of the tree, a file link loop, a directory link loop and an unreadable
    subdirectory, in one scanned tree: each one error result, in every format, bounded,
    and nothing outside the tree is read."""
    (tmp_path / "secret.yaml").write_text(f"title: {SECRET}\nuse_case_id: {SECRET}\n")
    tree = tmp_path / "intake"
    locked = tree / "locked"
    locked.mkdir(parents=True)
    (tree / "good.yaml").write_bytes(GOOD.read_bytes())
    (locked / "unseen.yaml").write_bytes(GOOD.read_bytes())
    (tree / "out.yaml").symlink_to(tmp_path / "secret.yaml")
    (tree / "loop.yaml").symlink_to(tree / "loop.yaml")
    (tree / "again").symlink_to(tree, target_is_directory=True)
    locked.chmod(0)
    problems = []
    try:
        for fmt in ("table", "json", "sarif", "junit", "github", "markdown"):
            start = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-c", MEASURE, sys.executable, "-c", _LOCKED, str(locked),
                 "check", str(tree), "--format", fmt, "--as-of", AS_OF, "--jobs", "1"],
                cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
            seconds = time.perf_counter() - start
            err, _, peak = proc.stderr.rstrip("\n").rpartition("\n")
            if proc.returncode != 1 or "Traceback" in proc.stdout + err:
                problems.append(f"{fmt}: exit {proc.returncode}: {err[-300:]}")
            if SECRET in proc.stdout + err:
                problems.append(f"{fmt}: a file outside the tree was read")
            if seconds > MAX_SECONDS or int(peak) > MAX_RSS_KB:
                problems.append(f"{fmt}: {seconds:.2f} s, {int(peak) // 1024} MB")
            if fmt == "json":
                status = {r["file"]: r["status"] for r in json.loads(proc.stdout)["results"]}
                assert status == {str(tree / "good.yaml"): "pass", str(locked): "error",
                                  str(tree / "loop.yaml"): "error",
                                  str(tree / "out.yaml"): "error"}, status
    finally:
        locked.chmod(0o755)
    assert problems == []
