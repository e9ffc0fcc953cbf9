"""``aipolicy report``: the portfolio of the decisions ``check`` makes.

It runs exactly what ``check`` runs (the same settings, workers and layers: waivers and
sign-offs), takes the canonical JSON report of the run, builds the portfolio from it
(:mod:`aipolicy.portfolio.build`), adds the drift since ``--compare-to`` when asked, and
renders it in the format asked for.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from aipolicy.errors import ConfigError
from aipolicy.form.schema import did_you_mean
from aipolicy.portfolio.facts import Filters, Scope

from .settings import Settings

if TYPE_CHECKING:
    from aipolicy.pack.compiled import CompiledPack


def run_check(paths: Sequence[str], settings: Settings, jobs: int = 1,
              pack: CompiledPack | None = None) -> dict[str, Any]:
    """What ``check --format json`` would print, as a dict."""
    from aipolicy.serialize import report_dict

    from .check import check

    return report_dict(check(paths, settings, jobs=jobs, pack=pack))


def refuse_unknown(filters: Filters, scope: Scope) -> None:
    """A stage or tier the form or pack does not have is a usage error (exit 2)."""
    for flag, whose, given, known in (
            ("--stage", "the form's stages", filters.stage, scope.stages),
            ("--tier", "the pack's tiers", filters.tier, scope.tiers)):
        for value in given:
            if value not in known:
                raise ConfigError(f"{flag} takes one of {whose} ({', '.join(known)}), "
                                  f"not '{value}'" + did_you_mean(value, known))


def portfolio(paths: Sequence[str], settings: Settings, filters: Filters, *,
              jobs: int = 1, compare_to: str | None = None) -> dict[str, Any]:
    """The portfolio of the submissions ``paths`` name, filtered, with its drift."""
    from aipolicy.portfolio.build import build
    from aipolicy.portfolio.facts import scope_of

    from .settings import open_pack

    pack = open_pack(settings)
    scope = scope_of(pack)
    refuse_unknown(filters, scope)
    now_json = run_check(paths, settings, jobs, pack)
    out = build(now_json, scope, filters)
    if compare_to:
        from .compare_to import changes

        def run(then_paths: Sequence[str], then: Settings) -> dict[str, Any]:
            return run_check(then_paths, then, jobs)

        out["changes"] = changes(compare_to, paths, settings, run,
                                 lambda report: build(report, scope, filters),
                                 now_json, out, scope.tiers)
    return out


def command(paths: Sequence[str], settings: Settings, *, fmt: str, output: str | None,
            jobs: int | None, filters: Filters, compare_to: str | None = None) -> int:
    """The CLI's ``report``: exit 1 when a use case in the report is not ``pass``."""
    from aipolicy.reporters.portfolio import get_reporter
    from aipolicy.sources.writing import STDOUT, write_output

    from .check import configuration_read, trees_read
    from .output import EXIT_FINDINGS, EXIT_OK, echo, guard

    workers = jobs if jobs is not None else (os.cpu_count() or 1)

    def run() -> dict[str, Any]:
        made = portfolio(paths, settings, filters, jobs=workers, compare_to=compare_to)
        text = get_reporter(fmt)(made)
        if output and output != STDOUT:
            read = [*(str(u["file"]) for u in made["use_cases"]),
                    *configuration_read(settings)]
            write_output(output, text, inputs=read, trees=trees_read(paths, settings))
        else:
            echo(text)
        return made

    made: dict[str, Any] = guard(run, settings.debug)
    passed = all(u["status"] == "pass" for u in made["use_cases"])
    sys.exit(EXIT_OK if passed else EXIT_FINDINGS)
