"""The files of a git revision, copied into a private temporary directory.

Only git's plumbing is run, each time with a fixed argument list, no shell, a timeout,
hooks and the file-system monitor switched off, pathspecs taken literally and ``--``
before paths: ``rev-parse`` (the repository, the commit), ``ls-tree -r -z -l`` (the
entries, with their sizes) and ``cat-file --batch`` (the commit and the blobs). A
revision that is no commit, a path outside the repository, a symbolic link or a
submodule in the old tree, a blob over the size limit and a missing git are each a
:class:`ConfigError` (exit 2): nothing of the old tree is followed or written outside the
temporary directory.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

from aipolicy.errors import ConfigError

#: Seconds any one git command may take.
GIT_TIMEOUT = 120

#: What every git command is run with, before its own arguments.
_GIT = ("git", "--no-pager", "--literal-pathspecs", "-c", "core.fsmonitor=",
        "-c", "core.hooksPath=/dev/null", "-c", "protocol.allow=never")

#: The environment variables of git's kept from the caller's: those naming its
#: configuration files (the others could point it at another repository or index).
_KEPT = frozenset({"GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM",
                   "GIT_CEILING_DIRECTORIES"})

BLOB_MODES = frozenset({"100644", "100755"})


@dataclass(frozen=True)
class Entry:
    """A file of the old tree: its path from the repository's top, blob id and size."""

    path: str
    oid: str
    size: int


def git(args: Sequence[str], cwd: str, stdin: bytes | None = None,
        what: str = "git") -> bytes:
    """The output of ``git args`` run in ``cwd``; a ConfigError when it fails."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") or k in _KEPT}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_NO_LAZY_FETCH="1", GIT_OPTIONAL_LOCKS="0",
               LC_ALL="C")
    try:
        done = subprocess.run([*_GIT, *args], cwd=cwd, input=stdin, capture_output=True,
                              timeout=GIT_TIMEOUT, env=env, check=False, shell=False)
    except FileNotFoundError:
        raise ConfigError("--compare-to REV needs git, which is not installed (or not on "
                          "PATH); compare to a records file instead") from None
    except subprocess.TimeoutExpired:
        raise ConfigError(f"{what}: git took longer than {GIT_TIMEOUT} s; nothing was "
                          "compared") from None
    except OSError as exc:
        raise ConfigError(f"{what}: cannot run git: {exc.strerror or exc}") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = said[-1][:300] if said else f"exit status {done.returncode}"
        raise ConfigError(f"{what}: {reason}")
    return done.stdout


def toplevel(path: str) -> str:
    """The top of the git work tree holding ``path`` (its real path)."""
    where = path if os.path.isdir(path) else (os.path.dirname(path) or ".")
    if not os.path.isdir(where):
        raise ConfigError(f"{path}: no such file or directory")
    out = git(["rev-parse", "--show-toplevel"], where,
              what=f"--compare-to: {path} is not in a git repository")
    return os.path.realpath(out.decode("utf-8", "surrogateescape").rstrip("\n"))


def commit_of(rev: str, top: str) -> str:
    """The commit id ``rev`` names in the repository at ``top``."""
    if not rev or rev.startswith("-") or any(c in rev for c in "\x00\n\r"):
        raise ConfigError(f"--compare-to {rev!r}: not a revision (a revision does not "
                          "start with '-'; name a commit, a branch or a tag)")
    out = git(["rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}"],
              top, what=f"--compare-to {rev}: no such commit in the repository")
    oid = out.decode("ascii", "replace").strip()
    if not oid or any(c not in "0123456789abcdef" for c in oid):
        raise ConfigError(f"--compare-to {rev}: no such commit in the repository")
    return oid


def relative(path: str, top: str) -> str:
    """``path`` from the repository's top ("" for the top itself); a ConfigError when it
    is outside the repository."""
    real = os.path.realpath(path)
    if real != top and not real.startswith(top.rstrip(os.sep) + os.sep):
        raise ConfigError(f"{path}: outside the git repository at {top}: --compare-to REV "
                          "reads only the repository's files")
    rel = os.path.relpath(real, top)
    return "" if rel == "." else rel.replace(os.sep, "/")


def entries(oid: str, top: str, wanted: Sequence[str], rev: str) -> list[Entry]:
    """The files at ``oid`` under each of ``wanted`` (paths from the top; "" the whole
    tree); a symbolic link or submodule there is refused."""
    spec = [] if "" in wanted else sorted(set(wanted))
    out = git(["ls-tree", "-r", "-z", "-l", "--full-tree", oid, "--", *spec], top,
              what=f"--compare-to {rev}: cannot list the tree")
    found = []
    for raw in out.split(b"\0"):
        if not raw:
            continue
        head, _, name = raw.partition(b"\t")
        mode, kind, blob, size = head.split(None, 3)
        path = name.decode("utf-8", "surrogateescape")
        if spec and not any(path == w or path.startswith(w + "/") for w in spec):
            continue
        if mode == b"120000" or kind != b"blob" or mode.decode() not in BLOB_MODES:
            what = "a symbolic link" if mode == b"120000" else (
                "a submodule" if kind == b"commit" else f"an entry of mode {mode.decode()}")
            raise ConfigError(f"{path} at {rev}: {what} in the old tree; --compare-to does "
                              "not follow it: compare to a revision without it, or to a "
                              "records file")
        found.append(Entry(path, blob.decode("ascii"), int(size)))
    return found


def commit_date(oid: str, top: str) -> dt.date:
    """The committer date of commit ``oid``, in the committer's time zone."""
    body = git(["cat-file", "commit", oid], top, what=f"--compare-to: commit {oid}")
    for line in body.split(b"\n"):
        if not line:
            break
        if line.startswith(b"committer "):
            stamp, zone = line.rsplit(None, 2)[1:]
            sign = -1 if zone.startswith(b"-") else 1
            minutes = int(zone[1:3]) * 60 + int(zone[3:5])
            tz = dt.timezone(dt.timedelta(minutes=sign * minutes))
            return dt.datetime.fromtimestamp(int(stamp), tz).date()
    raise ConfigError(f"--compare-to: commit {oid} has no committer date")


def blobs(found: Sequence[Entry], top: str, rev: str) -> list[bytes]:
    """The bytes of each entry's blob, in order (one ``cat-file --batch``)."""
    if not found:
        return []
    out = git(["cat-file", "--batch"], top, "".join(e.oid + "\n" for e in found).encode(),
              what=f"--compare-to {rev}: cannot read the files")
    data, at = [], 0
    for entry in found:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        if len(header) != 3 or header[1] != b"blob" or int(header[2]) != entry.size:
            raise ConfigError(f"{entry.path} at {rev}: git gave no blob of "
                              f"{entry.size} bytes")
        data.append(out[end + 1:end + 1 + entry.size])
        at = end + 1 + entry.size + 1
    return data


def write_tree(root: str, found: Sequence[Entry], data: Sequence[bytes]) -> None:
    """Write each entry's bytes at its path under ``root`` (a fresh directory): no
    component may be empty, ``.`` or ``..``, and no file is followed or replaced."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for entry, content in zip(found, data, strict=True):
        parts = entry.path.split("/")
        if any(p in ("", ".", "..") for p in parts) or "\\" in entry.path:
            raise ConfigError(f"{entry.path!r}: not a path aipolicy copies out of a tree")
        target = os.path.join(root, *parts)
        try:
            os.makedirs(os.path.dirname(target), mode=0o700, exist_ok=True)
            fd = os.open(target, flags, 0o600)
        except OSError as exc:  # two names one file (a case-blind file system), a full disk
            raise ConfigError(f"{entry.path}: cannot copy it out of the old tree: "
                              f"{exc.strerror or exc}") from None
        try:
            view = memoryview(content)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
