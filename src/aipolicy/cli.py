"""The ``aipolicy`` command: click wiring only.

Each command parses its options and calls the one use-case function of
:mod:`aipolicy.commands` that does its work and returns the exit code (see
:mod:`aipolicy.commands.output` for the codes).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ._version import __version__
from .reporters import REPORTERS

F = TypeVar("F", bound=Callable[..., Any])

#: The largest ``--max-file-size`` accepted: a gigabyte (more is a usage error).
MAX_FILE_SIZE = 1024 ** 3


def _as_of(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date written YYYY-MM-DD") from None


def _params(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"'{item}' is not name=value")
        pairs.append((name.strip(), value.strip()))
    return tuple(pairs)


def form_options(func: F) -> F:
    func = click.option("--schema", metavar="PATH",
                        help="Intake form (JSON Schema). Default: ./intake/schema.json, "
                        "else the packaged form.")(func)
    func = click.option("--as-of", "as_of", metavar="YYYY-MM-DD", callback=_as_of,
                        help="Evaluate as on this date (default: today).")(func)
    func = click.option("--output", "-o", metavar="FILE",
                        help="Write the report to FILE (atomically; a device or FIFO in "
                        "place) instead of stdout; - for stdout.")(func)
    func = click.option("--max-file-size", "max_bytes",
                        type=click.IntRange(min=1, max=MAX_FILE_SIZE),
                        default=1024 * 1024, show_default=True, metavar="BYTES",
                        help="Refuse intake and pack files larger than this "
                        "(at most 1 GiB).")(func)
    return click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")(func)


def pack_options(func: F) -> F:
    func = click.option("--pack", metavar="PATH",
                        help="Rule pack file or directory. Default: ./policies, else the "
                        "packaged starter pack.")(func)
    return click.option("--param", "params", metavar="NAME=VALUE", multiple=True,
                        callback=_params, help="Override a pack parameter (repeatable).")(func)


def waiver_option(func: F) -> F:
    return click.option("--waivers", metavar="PATH",
                        help="Waiver file or directory of them. Default: ./waivers when "
                        "it exists.")(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="aipolicy",
                      message="%(prog)s %(version)s")
def cli() -> None:
    """Policy-as-code for AI use-case intake.

    Evaluates intake files (YAML) against an intake form (JSON Schema) and a rule pack,
    giving each use case its risk tier, EU AI Act classification, required controls and
    approval path, and reporting every submission that breaks the rules.
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@pack_options
@form_options
@click.option("--format", "-f", "fmt", default="table", show_default=True,
              type=click.Choice(list(REPORTERS)), help="Report format.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes (default: the number of cores; used from 64 files).")
@click.option("--record", metavar="FILE.jsonl",
              help="Append a decision record per submission to FILE.jsonl (chained, "
              "locked; see `aipolicy verify-record`).")
@waiver_option
@click.option("--approvals", metavar="PATH",
              help="Reviewer-owned sign-offs: a file or directory. Default: ./approvals "
              "when it exists and the pack counts approvals files.")
@click.option("--strict", is_flag=True,
              help="Exit 1 when a result needs legal review (its status stays).")
def check(paths: tuple[str, ...], pack: str | None, params: tuple[tuple[str, str], ...],
          schema: str | None, as_of: dt.date | None, output: str | None, debug: bool,
          fmt: str, jobs: int | None, max_bytes: int, waivers: str | None,
          approvals: str | None, record: str | None = None, strict: bool = False) -> None:
    """Evaluate intake files or directories (default: ./intake)."""
    from .commands import check
    from .commands.settings import Settings
    from .sources.files import Limits

    settings = Settings(pack=pack, schema=schema, params=params, as_of=as_of,
                        limits=Limits(max_bytes=max_bytes), debug=debug, waivers=waivers,
                        approvals=approvals)
    sys.exit(check.command(paths, settings, fmt=fmt, output=output, jobs=jobs,
                           record=record, strict=strict))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@pack_options
@form_options
@click.option("--format", "-f", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "markdown", "json", "csv", "html"]),
              help="Report format.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes (default: the number of cores; used from 64 files).")
@waiver_option
@click.option("--approvals", metavar="PATH",
              help="Reviewer-owned sign-offs: a file or directory (as for check).")
@click.option("--business-unit", "units", multiple=True, metavar="NAME",
              help="Only this business unit (exact, any case); repeatable.")
@click.option("--stage", "stages", multiple=True, metavar="STAGE",
              help="Only use cases at this stage (one of the form's); repeatable.")
@click.option("--tier", "tiers", multiple=True, metavar="TIER",
              help="Only use cases of this tier (one of the pack's); repeatable.")
@click.option("--compare-to", metavar="REV|RECORDS.jsonl",
              help="Also say what changed since a git revision or a decision-records file.")
def report(paths: tuple[str, ...], pack: str | None, params: tuple[tuple[str, str], ...],
           schema: str | None, as_of: dt.date | None, output: str | None, debug: bool,
           fmt: str, jobs: int | None, max_bytes: int, waivers: str | None,
           approvals: str | None, units: tuple[str, ...], stages: tuple[str, ...],
           tiers: tuple[str, ...], compare_to: str | None) -> None:
    """The portfolio report of intake files or directories (default: ./intake)."""
    from .commands import portfolio
    from .commands.settings import Settings
    from .portfolio.facts import Filters
    from .sources.files import Limits

    settings = Settings(pack=pack, schema=schema, params=params, as_of=as_of,
                        limits=Limits(max_bytes=max_bytes), debug=debug, waivers=waivers,
                        approvals=approvals)
    sys.exit(portfolio.command(paths, settings, fmt=fmt, output=output, jobs=jobs,
                               filters=Filters(units, stages, tiers),
                               compare_to=compare_to))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@form_options
@click.option("--format", "-f", "fmt", default="table", show_default=True,
              type=click.Choice(list(REPORTERS)), help="Report format.")
def validate(paths: tuple[str, ...], schema: str | None, as_of: dt.date | None,
             output: str | None, debug: bool, fmt: str, max_bytes: int) -> None:
    """Check that intake files fill in the form (no rules; the fast pre-commit hook)."""
    from .commands import validate
    from .commands.settings import Settings
    from .sources.files import Limits

    settings = Settings(schema=schema, as_of=as_of, limits=Limits(max_bytes=max_bytes),
                        debug=debug)
    sys.exit(validate.command(paths, settings, fmt=fmt, output=output))


@cli.command()
@click.argument("pack", required=False, metavar="[PACK]")
@click.option("--schema", metavar="PATH",
              help="Intake form (JSON Schema). Default: ./intake/schema.json, else the "
              "packaged form.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def lint(pack: str | None, schema: str | None, debug: bool) -> None:
    """Check a rule pack against the intake form (default: ./policies)."""
    from .commands import lint
    from .commands.settings import Settings

    sys.exit(lint.command(Settings(pack=pack, schema=schema, debug=debug)))


@cli.command()
@click.argument("which", type=click.Choice(["intake", "pack", "waiver", "approval"]))
@click.option("--schema", metavar="PATH", help="Intake form to print (for `intake`).")
def schema(which: str, schema: str | None) -> None:
    """Print a JSON Schema for editors: the intake form, the rule-pack, waiver or approvals
    file format."""
    from .commands import schema as schema_command
    from .commands.settings import Settings

    sys.exit(schema_command.command(which, Settings(schema=schema)))


@cli.command("verify-record")
@click.argument("records", metavar="FILE.jsonl", type=click.Path())
@click.option("--pack", metavar="PATH",
              help="Rule pack file or directory. Default: ./policies, else the packaged "
              "starter pack.")
@click.option("--schema", metavar="PATH",
              help="Intake form (JSON Schema). Default: ./intake/schema.json, else the "
              "packaged form.")
@waiver_option
@click.option("--approvals", metavar="PATH",
              help="Sign-off file or directory. Default: ./approvals when it exists.")
@click.option("--format", "-f", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "json", "markdown"]), help="Report format.")
@click.option("--output", "-o", metavar="FILE",
              help="Write the report to FILE (atomically) instead of stdout; - for stdout.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes (default: the number of cores; used from 64 files).")
@click.option("--max-file-size", "max_bytes", type=click.IntRange(min=1, max=MAX_FILE_SIZE),
              default=1024 * 1024, show_default=True, metavar="BYTES",
              help="Refuse intake and pack files larger than this (at most 1 GiB).")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def verify_record(records: str, pack: str | None, schema: str | None, waivers: str | None,
                  approvals: str | None, fmt: str, output: str | None, jobs: int | None,
                  max_bytes: int, debug: bool) -> None:
    """Re-evaluate decision records; report what no longer reproduces.

    Each record of FILE.jsonl (written by `check --record`) is evaluated again at its
    recorded date and parameters, from the current files, and compared with what it
    recorded; the chain of lines is checked too. Exit 1 when anything does not reproduce.
    """
    from .commands import verify_record as command
    from .commands.settings import Settings
    from .sources.files import Limits

    settings = Settings(pack=pack, schema=schema, limits=Limits(max_bytes=max_bytes),
                        debug=debug, waivers=waivers, approvals=approvals)
    sys.exit(command.command(records, settings, fmt=fmt, output=output, jobs=jobs))


class _Stage(click.ParamType[str]):
    """A deployment stage, checked against the stages of the form in use once it is read
    (``--schema`` may name another); the help lists the default form's."""

    name = "stage"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str | None:
        from .commands.settings import Settings, open_form
        from .errors import AipolicyError

        try:
            return f"[{'|'.join(open_form(Settings()).stages)}]"
        except AipolicyError:
            return None


@cli.group(invoke_without_command=True)
@click.option("--stage", type=_Stage(),
              help="Also lay out what this deployment stage requires.")
@click.option("--interactive", "-i", is_flag=True,
              help="Ask for the answers every submission must give.")
@click.option("--output", "-o", metavar="FILE",
              help="Where to write (default: intake/<use-case-id>.yaml, or "
              "intake/new-use-case.yaml); - for stdout. Never overwrites.")
@click.option("--schema", metavar="PATH",
              help="Intake form. Default: ./intake/schema.json, else the packaged form.")
@click.pass_context
def new(ctx: click.Context, stage: str | None, interactive: bool, output: str | None,
        schema: str | None) -> None:
    """Write a commented intake template from the form (`new waiver`: a waiver)."""
    if ctx.invoked_subcommand is not None:
        return
    from .commands import new
    from .commands.settings import Settings

    sys.exit(new.command(Settings(schema=schema), stage=stage, interactive=interactive,
                         output=output))


@new.command("waiver")
@click.option("--rule", required=True, metavar="RULE", help="The rule whose finding to waive.")
@click.option("--use-case", "use_case", required=True, metavar="ID",
              help="The use_case_id of the submission.")
@click.option("--output", "-o", metavar="FILE",
              help="Write the waiver to FILE (never over a file) instead of stdout.")
@pack_options
@click.option("--schema", metavar="PATH",
              help="Intake form. Default: ./intake/schema.json, else the packaged form.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", callback=_as_of,
              help="The day it is granted (default: today).")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def new_waiver(rule: str, use_case: str, output: str | None, pack: str | None,
               params: tuple[tuple[str, str], ...], schema: str | None,
               as_of: dt.date | None, debug: bool) -> None:
    """Write a prefilled, commented waiver of RULE for a use case."""
    from .commands import new_waiver
    from .commands.settings import Settings

    settings = Settings(pack=pack, schema=schema, params=params, as_of=as_of, debug=debug)
    sys.exit(new_waiver.command(settings, rule=rule, use_case=use_case, output=output))


@cli.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
def init(directory: str) -> None:
    """Scaffold a governance repository: pack, form, example, hooks and CI."""
    from .commands import init

    sys.exit(init.command(directory))


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point; returns the exit code."""
    from .commands.process import run_process

    return run_process(lambda: _main(argv))


def _main(argv: list[str] | None) -> int:
    from .commands.output import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE

    try:
        cli.main(args=argv, prog_name="aipolicy", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE
    except click.exceptions.Abort:
        click.echo("aipolicy: aborted", err=True)
        return EXIT_USAGE
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_INTERNAL
    return EXIT_OK
