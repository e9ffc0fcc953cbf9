"""``report --compare-to``: the "then" JSON report, from a git revision or records.

A revision's files are copied into a temporary directory laid out as the repository is
(:func:`aipolicy.portfolio.history.revision`) and the run ``check`` makes is made there,
from the current directory's place in the copy, on the commit's date (or the date given
as ``--compare-as-of``): so every path a user gave, and every default (./intake,
./waivers, ./approvals, ./policies, ./intake/schema.json), means what it means today, and
nothing of the old tree is read outside the copy. The pack and form are today's when the
repository has none at that revision (or they live outside it).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from aipolicy.errors import ConfigError

from .layers import DEFAULT_WAIVERS
from .settings import (
    DEFAULT_INTAKE_DIR,
    FORM_MAX_BYTES,
    Settings,
    form_path,
    pack_path,
)

#: What runs ``check`` and gives its JSON report (``check --format json``, as a dict).
RunCheck = Callable[[Sequence[str], Settings], dict[str, Any]]

DEFAULT_APPROVALS = "approvals"


def is_records(compare_to: str) -> bool:
    """Whether ``--compare-to`` names a records file (an existing file, or a name ending
    in ``.jsonl``) rather than a revision."""
    return os.path.isfile(compare_to) or compare_to.endswith(".jsonl")


def then_report(compare_to: str, paths: Sequence[str], settings: Settings, run: RunCheck,
                tiers: Sequence[str], as_of: dt.date | None = None
                ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The JSON report of then, and what it is (the changes' ``since``)."""
    if is_records(compare_to):
        from aipolicy.portfolio.history import records_report

        report = records_report(compare_to, tiers)
        return report, {"kind": "records", "ref": compare_to, "as_of": report["as_of"],
                        "commit": None}
    return revision_report(compare_to, paths, settings, run, as_of)


def revision_report(rev: str, paths: Sequence[str], settings: Settings, run: RunCheck,
                    as_of: dt.date | None = None
                    ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The JSON report of the run ``check`` makes over the files of revision ``rev``."""
    from aipolicy.portfolio.history import revision, working_in

    given = list(paths) or [DEFAULT_INTAKE_DIR]
    inside = [*given, *(p for p in (settings.waivers, settings.approvals) if p)]
    optional = [p for p, explicit in ((DEFAULT_WAIVERS, settings.waivers),
                                      (DEFAULT_APPROVALS, settings.approvals))
                if explicit is None]
    pack, form = pack_path(settings), form_path(settings)
    with revision(rev, inside, [*optional, pack, form], settings.limits,
                  FORM_MAX_BYTES) as snap:
        then_settings = replace(
            settings, as_of=as_of or snap.as_of,
            pack=snap.place(pack) or os.path.abspath(pack),
            schema=snap.place(form) or os.path.abspath(form),
            waivers=_placed(snap.place, settings.waivers),
            approvals=_placed(snap.place, settings.approvals))
        then_paths = [p for p in (snap.place(g) for g in given) if p is not None]
        if not then_paths:
            raise ConfigError(f"--compare-to {rev}: the repository has none of "
                              f"{', '.join(given)} at that revision: nothing to compare to")
        with working_in(snap.cwd):
            report = snap.shown(run(then_paths, then_settings))
        since = {"kind": "revision", "ref": rev, "as_of": report["as_of"],
                 "commit": snap.commit}
    return report, since


def _placed(place: Callable[[str], str | None], path: str | None) -> str | None:
    """Where an explicit waivers or approvals path is in the copy: None when not given,
    or not there at that revision (then none are read: the default directory is not
    copied when a path is given)."""
    if path is None:
        return None
    return place(path)


def changes(compare_to: str, paths: Sequence[str], settings: Settings, run: RunCheck,
            build: Callable[[dict[str, Any]], dict[str, Any]],
            now_report: dict[str, Any], now: dict[str, Any],
            tiers: Sequence[str]) -> dict[str, Any]:
    """The ``changes`` of the portfolio ``now`` (built from ``now_report``) since
    ``compare_to``: the then report made into its portfolio by ``build`` (this run's
    builder, with its pack information and filters), then compared."""
    from aipolicy.portfolio.drift import compare, controls_done

    then_json, since = then_report(compare_to, paths, settings, run, tiers)
    return compare(build(then_json), now, since=since,
                   done=(controls_done(then_json), controls_done(now_report)))
