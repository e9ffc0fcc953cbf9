"""The ``aipolicy`` command: parse arguments, call :mod:`aipolicy.commands.run`, print, exit.

The only module that writes to the terminal or sets the exit code:

* 0 — nothing blocking;
* 1 — at least one submission is ``fail``, ``incomplete`` or ``error``;
* 2 — usage or configuration error (bad flag, invalid pack or form, no input);
* 3 — internal error: one line asking for a report (``--debug`` shows the traceback).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ._version import __version__
from .reporters import REPORTERS

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
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
def check(paths: tuple[str, ...], pack: str | None, params: tuple[tuple[str, str], ...],
          schema: str | None, as_of: dt.date | None, output: str | None, debug: bool,
          fmt: str, jobs: int | None, max_bytes: int) -> None:
    """Evaluate intake files or directories (default: ./intake)."""
    from .commands.run import DEFAULT_INTAKE_DIR, Settings
    from .commands.run import check as run_check
    from .reporters import get_part
    from .sources.files import Limits

    settings = Settings(pack=pack, schema=schema, params=params, as_of=as_of,
                        limits=Limits(max_bytes=max_bytes), debug=debug)
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    part = get_part(fmt)  # each decision's part of the report, rendered where it is made
    _finish(lambda: run_check(paths, settings, jobs=workers, part=part), fmt, output, debug,
            lambda: _config_files(settings, pack=True), paths or (DEFAULT_INTAKE_DIR,))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@form_options
@click.option("--format", "-f", "fmt", default="table", show_default=True,
              type=click.Choice(list(REPORTERS)), help="Report format.")
def validate(paths: tuple[str, ...], schema: str | None, as_of: dt.date | None,
             output: str | None, debug: bool, fmt: str, max_bytes: int) -> None:
    """Check that intake files fill in the form (no rules; the fast pre-commit hook)."""
    from .commands.run import DEFAULT_INTAKE_DIR, Settings
    from .commands.run import validate as run_validate
    from .sources.files import Limits

    settings = Settings(schema=schema, as_of=as_of, limits=Limits(max_bytes=max_bytes),
                        debug=debug)
    _finish(lambda: run_validate(paths, settings), fmt, output, debug,
            lambda: _config_files(settings, pack=False), paths or (DEFAULT_INTAKE_DIR,))


def _config_files(settings: Any, *, pack: bool) -> list[str]:
    """The form and (for ``check``) the pack files a run read."""
    from .commands.run import form_path, pack_path

    files = [form_path(settings)]
    if pack:
        from .pack.load import pack_files

        files += pack_files(pack_path(settings))
    return files


@cli.command()
@click.argument("pack", required=False, metavar="[PACK]")
@click.option("--schema", metavar="PATH",
              help="Intake form (JSON Schema). Default: ./intake/schema.json, else the "
              "packaged form.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def lint(pack: str | None, schema: str | None, debug: bool) -> None:
    """Check a rule pack against the intake form (default: ./policies)."""
    from .commands.run import Settings, open_pack, pack_path
    from .lint.checks import lint as lint_pack

    settings = Settings(pack=pack, schema=schema)

    def produce() -> str:
        compiled = open_pack(settings)
        warnings = lint_pack(compiled)
        lines = [f"{pack_path(settings)}: warning: {w}" for w in warnings]
        lines.append(f"{pack_path(settings)}: pack {compiled.name} {compiled.version}: "
                     f"{len(compiled.rules)} rules, {len(compiled.model.controls)} controls, "
                     f"checked against {compiled.form.id}; {len(warnings)} warning"
                     f"{'' if len(warnings) == 1 else 's'}")
        return "\n".join(lines) + "\n"

    _guard(lambda: click.echo(produce(), nl=False), debug)
    sys.exit(EXIT_OK)


@cli.command()
@click.argument("which", type=click.Choice(["intake", "pack"]))
@click.option("--schema", metavar="PATH", help="Intake form to print (for `intake`).")
def schema(which: str, schema: str | None) -> None:
    """Print a JSON Schema for editors: the intake form, or the rule-pack format."""
    import json

    from .commands.run import Settings, open_form

    def produce() -> str:
        if which == "pack":
            from .scaffold.repository import pack_schema_text

            return pack_schema_text()
        return json.dumps(open_form(Settings(schema=schema)).schema, indent=2,
                          ensure_ascii=False) + "\n"

    click.echo(_guard(produce, False), nl=False)


@cli.command()
@click.option("--stage", type=click.Choice(["idea", "design", "development", "pilot",
                                            "production", "retired"]),
              help="Also lay out what this deployment stage requires.")
@click.option("--interactive", "-i", is_flag=True,
              help="Ask for the answers every submission must give.")
@click.option("--output", "-o", metavar="FILE",
              help="Where to write (default: intake/<use-case-id>.yaml, or "
              "intake/new-use-case.yaml); - for stdout. Never overwrites.")
@click.option("--schema", metavar="PATH",
              help="Intake form. Default: ./intake/schema.json, else the packaged form.")
def new(stage: str | None, interactive: bool, output: str | None, schema: str | None) -> None:
    """Write a commented intake template from the form."""
    from .commands.run import Settings, form_path, open_form
    from .scaffold import template

    settings = Settings(schema=schema)
    form = _guard(lambda: open_form(settings), False)
    answers = _ask(form, stage) if interactive else {}
    if output is None:
        name = answers.get("use_case_id")
        if not isinstance(name, str) or not template.safe_file_name(name):
            name = "new-use-case"
        output = os.path.join("intake", f"{name}.yaml")
    target = None if output == "-" else output
    modeline = None
    if target is not None:
        modeline = os.path.relpath(os.path.abspath(form_path(settings)),
                                   os.path.dirname(os.path.abspath(target)))
    text = template.render(form, stage=stage or answers.get("deployment_stage"),
                           answers=answers, modeline=modeline)
    if target is None:
        click.echo(text, nl=False)
        return
    if os.path.exists(target):
        click.echo(f"aipolicy: error: {target} exists; aipolicy new never overwrites a file "
                   "(choose another with --output)", err=True)
        sys.exit(EXIT_USAGE)
    from .sources.writing import write_new

    _guard(lambda: write_new(target, text, what="the template"), False)
    click.echo(f"wrote {target}; fill it in, then run: aipolicy validate {target}")


def _ask(form: Any, stage: str | None) -> dict[str, Any]:
    """Prompt for what every submission must answer, and what the stage requires (the
    fields of a group one by one), checking each answer as ``validate`` would."""
    from .scaffold.template import (
        answer_problems,
        parse_answer,
        questions,
        safe_file_name,
        with_answer,
    )

    answers: dict[str, Any] = {} if stage is None else {"deployment_stage": stage}
    pending = questions(form, None) + (questions(form, stage) if stage else [])
    asked: set[tuple[str, ...]] = {("deployment_stage",)} if stage else set()
    while pending:
        path = pending.pop(0)
        info = form.field(path)
        if path in asked or info is None:
            continue
        asked.add(path)
        is_list = info.item is not None
        allowed = info.item.enum if is_list and info.item else info.enum
        hint = f" [{', '.join(map(str, allowed))}]" if allowed else ""
        hint += " (comma-separated)" if is_list else ""
        hint += " [true/false]" if not allowed and "boolean" in info.types else ""
        hint += " (YYYY-MM-DD)" if info.format == "date" else ""
        while True:
            raw = click.prompt(f"{form.title_path(path)}{hint}", default="",
                               show_default=False).strip()
            value = parse_answer(info, raw)
            bad = [str(v) for v in (value if is_list else [value])
                   if allowed is not None and v not in allowed]
            problems = [] if bad or (not raw and not is_list) else \
                answer_problems(form, answers, path, value)
            if path == ("use_case_id",) and raw and not problems and not safe_file_name(raw):
                problems = ["it names the file: use letters, digits, '.', '_' and '-' only "
                            "(no '/', no '..'), starting with a letter or digit"]
            if not is_list and not raw:
                click.echo("  an answer is needed")
            elif bad:
                click.echo(f"  not allowed: {', '.join(bad)}")
            elif problems:
                for problem in problems:
                    click.echo(f"  {problem}")
            else:
                break
        answers = with_answer(answers, path, value)
        if path == ("deployment_stage",) and isinstance(value, str):
            pending += questions(form, value)
    return answers


@cli.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
def init(directory: str) -> None:
    """Scaffold a governance repository: pack, form, example, hooks and CI."""
    from pathlib import Path

    from .scaffold.repository import check_tree, ci_note, conflicts, files
    from .sources.writing import write_new

    root = Path(directory)
    planned = _guard(files, False)
    existing = conflicts(root, list(planned))
    if existing:
        for path in existing:
            click.echo(f"{root / path}: exists", err=True)
        click.echo("aipolicy: error: aipolicy init never overwrites files; nothing was "
                   "written", err=True)
        sys.exit(EXIT_USAGE)
    _guard(lambda: check_tree(root, list(planned)), False)

    def write_all() -> None:
        for path, text in planned.items():
            write_new(str(root / path), text, what="the file")

    _guard(write_all, False)
    click.echo(f"created {len(planned)} files in {root}; next: cd {directory} && "
               "aipolicy check")
    note = ci_note()
    if note:
        click.echo(f"note: {note}", err=True)


def _guard(action: Callable[[], Any], debug: bool) -> Any:
    """Run ``action``; errors become one message and their exit code, bugs exit 3."""
    from .errors import AipolicyError, PackError
    from .reporters._text import show  # a message may quote a file name or a value

    try:
        return action()
    except PackError as exc:
        for loc, message in exc.problems:
            click.echo(show(f"{loc}: {message}"), err=True)
        count = len(exc.problems)
        click.echo(f"aipolicy: error: the rule pack is invalid ({count} problem"
                   f"{'s' if count != 1 else ''}); nothing was evaluated", err=True)
        sys.exit(exc.exit_code)
    except AipolicyError as exc:
        click.echo(f"aipolicy: error: {show(exc)}", err=True)
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, click.exceptions.Exit, click.ClickException):
        raise
    except Exception as exc:  # a bug: one line, traceback only with --debug
        if debug:
            raise
        click.echo(f"aipolicy: internal error ({type(exc).__name__}: {show(exc, 200)}); "
                   "please report "
                   "it with the command you ran (rerun with --debug for the traceback)",
                   err=True)
        sys.exit(EXIT_INTERNAL)


def _finish(produce: Callable[[], Any], fmt: str, output: str | None, debug: bool,
            config: Callable[[], list[str]] = list, trees: tuple[str, ...] = ()) -> None:
    """Run, render, write, and exit with the code the statuses call for.

    ``config`` names the configuration files the run read (form, pack): with the
    submissions, the files ``--output`` may not overwrite; ``trees`` are the paths the
    command was given, in which ``--output`` may not put a report the next run would read.
    """
    from .reporters import get_reporter
    from .sources.writing import STDOUT, append_text, write_output

    def run() -> Any:
        report = produce()
        text = get_reporter(fmt)(report)
        if output and output != STDOUT:
            inputs = [d.file for d in report.decisions] + config()
            write_output(output, text, inputs=inputs, trees=trees)
        else:
            _echo(text)
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if fmt == "github" and summary_file:
            from .reporters.github import summary

            append_text(summary_file, summary(report) + "\n",
                        what="the job summary ($GITHUB_STEP_SUMMARY)")
        return report

    report = _guard(run, debug)
    sys.exit(EXIT_OK if report.ok else EXIT_FINDINGS)


def _echo(text: str) -> None:
    """Print to standard output; a full disk or closed pipe is a plain error, not a bug."""
    from .errors import ConfigError

    try:
        click.echo(text, nl=False)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left (``| head``): nothing more to say
        _silence_stdout()
        raise SystemExit(EXIT_USAGE) from None
    except OSError as exc:
        _silence_stdout()
        raise ConfigError(f"cannot write the report to standard output: "
                          f"{exc.strerror or exc}") from None


def _silence_stdout() -> None:
    """Point stdout at the null device so that the interpreter's last flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def write_atomically(path: str, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file (see :mod:`aipolicy.sources.writing`)."""
    from .sources.writing import write_atomically as write

    write(path, text)


#: Collect cyclic garbage after this many new container objects, not 700: a run over
#: thousands of submissions creates millions of short-lived, acyclic objects (freed by
#: reference counting anyway), and the default made the collector a fifth of its time.
GC_THRESHOLD = (100_000, 50, 100)


class _Stopped(BaseException):
    """A signal that ends the run (Ctrl-C, SIGTERM); not an Exception, so nothing on the
    way out takes it for an error of the run."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, _frame: Any) -> None:
    import signal

    for each in _STOP_SIGNALS:  # a second signal must not interrupt the way out
        signal.signal(getattr(signal, each), signal.SIG_IGN)
    raise _Stopped(signum)


#: The signals that end a run: one line on stderr, exit 128 + the signal (130, 143).
_STOP_SIGNALS = ("SIGINT", "SIGTERM")


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point; returns the exit code."""
    import gc
    import signal
    import threading

    gc.set_threshold(*GC_THRESHOLD)  # a process of its own: the library leaves gc alone
    handled = threading.current_thread() is threading.main_thread()
    previous = {}
    if handled:
        for name in _STOP_SIGNALS:
            number = getattr(signal, name)
            previous[number] = signal.signal(number, _stop)
    try:
        return _main(argv)
    except _Stopped as stopped:
        word = "interrupted" if stopped.signum == signal.SIGINT else "terminated"
        click.echo(f"aipolicy: {word}", err=True)
        return 128 + stopped.signum
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _main(argv: list[str] | None) -> int:
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
