"""The "then" of ``report --compare-to``: a git revision's files, or decision records.

* :func:`revision` copies the files of a revision a run reads (the submissions, waivers,
  approvals, and the pack and form where the repository has them at that revision) into a
  private temporary directory laid out as the repository is, so that the run ``check``
  makes can be made there, on the commit's date (see :mod:`.git_tree` for what is
  refused). Which paths to run with is the caller's: :meth:`Snapshot.place`.
* :func:`records_report` rebuilds the JSON report (``check --format json``) of each use
  case's latest decision in a records file, on the last record's ``as_of``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aipolicy.errors import ConfigError
from aipolicy.sources.files import Limits

from . import git_tree


@dataclass(frozen=True)
class Snapshot:
    """A revision's files, copied: ``root`` is the repository's top as it was."""

    root: str
    top: str  # the repository's top (its real path)
    rev: str  # as given
    commit: str
    as_of: dt.date  # the commit's committer date
    #: where to run, so that relative paths mean what they mean here: the current
    #: directory's place in the copy (a fresh empty directory when it is outside the
    #: repository, where relative defaults find nothing)
    cwd: str
    mirrored: bool  # whether ``cwd`` is the current directory's place in the copy
    #: paths from the top that the copy has (files, and the folders holding them)
    present: frozenset[str]

    def place(self, path: str) -> str | None:
        """Where today's ``path`` is in the copy (spelled as given when relative and the
        current directory is in the repository), or None when the revision has nothing
        there or the path is outside the repository."""
        try:
            rel = git_tree.relative(path, self.top)
        except ConfigError:
            return None
        if rel not in self.present:
            return None
        if not os.path.isabs(path) and self.mirrored:
            return path
        return os.path.join(self.root, *rel.split("/")) if rel else self.root

    def shown(self, data: Any) -> Any:
        """``data`` (a JSON report) with the copy's paths named as today's."""
        prefix = self.root + os.sep
        if isinstance(data, str):
            return (os.path.join(self.top, data[len(prefix):]) if data.startswith(prefix)
                    else data)
        if isinstance(data, list):
            return [self.shown(v) for v in data]
        if isinstance(data, dict):
            return {k: self.shown(v) for k, v in data.items()}
        return data


@contextlib.contextmanager
def revision(rev: str, inside: Sequence[str], optional: Sequence[str],
             limits: Limits, form_bytes: int) -> Iterator[Snapshot]:
    """The files of ``rev`` under ``inside`` (which must be in the repository holding the
    first of them) and under each of ``optional`` that is in it, copied into a private
    temporary directory removed afterwards. A blob over ``limits.max_bytes`` (the form's,
    ``form_bytes``: named last in ``optional``) is refused."""
    top = git_tree.toplevel(inside[0] if inside else ".")
    commit = git_tree.commit_of(rev, top)
    wanted = {git_tree.relative(p, top): p for p in inside}
    for p in optional:
        with contextlib.suppress(ConfigError):
            wanted.setdefault(git_tree.relative(p, top), p)
    found = git_tree.entries(commit, top, list(wanted), rev)
    biggest = max(limits.max_bytes, form_bytes)
    for entry in found:
        if entry.size > biggest:
            raise ConfigError(f"{entry.path} at {rev}: {entry.size:,} bytes, over the "
                              f"limit of {limits.max_bytes:,}: nothing was compared")
    as_of = git_tree.commit_date(commit, top)
    base = tempfile.mkdtemp(prefix="aipolicy-then-")
    try:
        root = os.path.join(base, "tree")
        os.mkdir(root, 0o700)
        git_tree.write_tree(root, found, git_tree.blobs(found, top, rev))
        present = {""}
        for entry in found:
            parts = entry.path.split("/")
            present.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
        cwd, mirrored = _cwd(root, top, base)
        yield Snapshot(os.path.realpath(root), top, rev, commit, as_of,
                       os.path.realpath(cwd), mirrored, frozenset(present))
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _cwd(root: str, top: str, base: str) -> tuple[str, bool]:
    """Where to run in the copy, and whether that is the current directory's place."""
    try:
        rel: str | None = git_tree.relative(os.getcwd(), top)
    except ConfigError:
        rel = None
    if rel is None:
        where = os.path.join(base, "cwd")
    else:
        where = os.path.join(root, *rel.split("/")) if rel else root
    os.makedirs(where, mode=0o700, exist_ok=True)
    return where, rel is not None


@contextlib.contextmanager
def working_in(path: str) -> Iterator[None]:
    """Run with ``path`` as the current directory, then go back."""
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


# ----------------------------------------------------------------------------- records


def records_report(path: str, tiers: Sequence[str]) -> dict[str, Any]:
    """The JSON report of each use case's latest decision in the records file ``path``
    (a use case by its id; a file that could not be read, by its path), on the ``as_of``
    of the last record; results by file, the summary counted as ``check`` counts it
    (``tiers``: the pack's tier order). A file that is not an intact chain is refused."""
    from aipolicy.records.reader import read_chain

    chain = read_chain(path)
    if chain.problems:
        first = chain.problems[0]
        more = len(chain.problems) - 1
        tail = f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""
        raise ConfigError(f"{path}:{first.line}: {first.message}{tail}; run `aipolicy "
                          "verify-record` on the file", )
    if not chain.entries:
        raise ConfigError(f"{path}: the record file holds no decision records")
    latest: dict[str, Mapping[str, Any]] = {}
    for entry in chain.entries:
        decision = entry.record.decision
        uid = decision.get("use_case_id")
        latest[f"id:{uid}" if uid is not None else f"file:{entry.record.intake.path}"] = \
            decision
    last = chain.entries[-1].record
    results = sorted(latest.values(), key=lambda d: (str(d.get("file")),
                                                    str(d.get("use_case_id"))))
    return {
        "tool": last.tool.model_dump(),
        "pack": last.pack.model_dump(),
        "form": last.form.model_dump(),
        "as_of": last.as_of,
        "parameters": dict(sorted(last.parameters.items())),
        "results": [dict(r) for r in results],
        "summary": _summary(results, tiers),
    }


def _summary(results: Sequence[Mapping[str, Any]], tiers: Sequence[str]) -> dict[str, Any]:
    """What :meth:`aipolicy.decision.Report.summary` gives for these results."""
    from aipolicy.decision import STATUSES

    counts = dict.fromkeys(STATUSES, 0)
    by_tier: dict[str, int] = {}
    for r in results:
        status = str(r.get("status"))
        counts[status] = counts.get(status, 0) + 1
        tier = r.get("tier")
        if tier is not None:
            by_tier[str(tier)] = by_tier.get(str(tier), 0) + 1
    order = {t: i for i, t in enumerate(tiers)}
    return {"submissions": len(results), **counts,
            "by_tier": dict(sorted(by_tier.items(),
                                   key=lambda kv: (order.get(kv[0], 99), kv[0])))}
