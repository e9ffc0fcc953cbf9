"""What every command does at the edge: run the use case, print or write its report, and
turn errors into one message and an exit code.

* 0 — nothing blocking;
* 1 — at least one submission is ``fail``, ``incomplete`` or ``error``;
* 2 — usage or configuration error (bad flag, invalid pack or form, no input);
* 3 — internal error: one line asking for a report (``--debug`` shows the traceback).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import click

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def guard(action: Callable[[], Any], debug: bool) -> Any:
    """Run ``action``; errors become one message and their exit code, bugs exit 3."""
    from aipolicy.errors import AipolicyError, PackError
    from aipolicy.reporters._text import show  # a message may quote a file name or a value

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


def finish(produce: Callable[[], Any], fmt: str, output: str | None, debug: bool,
            config: Callable[[], list[str]] = list, trees: tuple[str, ...] = ()) -> int:
    """Run, render, write; the exit code the statuses call for.

    ``config`` names the configuration files the run read (form, pack): with the
    submissions, the files ``--output`` may not overwrite; ``trees`` are the paths the
    command was given, in which ``--output`` may not put a report the next run would read.
    """
    from aipolicy.reporters import get_reporter
    from aipolicy.sources.writing import STDOUT, append_text, write_output

    def run() -> Any:
        report = produce()
        text = get_reporter(fmt)(report)
        if output and output != STDOUT:
            inputs = [d.file for d in report.decisions] + config()
            write_output(output, text, inputs=inputs, trees=trees)
        else:
            echo(text)
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if fmt == "github" and summary_file:
            from aipolicy.reporters.github import summary

            append_text(summary_file, summary(report) + "\n",
                        what="the job summary ($GITHUB_STEP_SUMMARY)")
        return report

    report = guard(run, debug)
    sys.exit(EXIT_OK if report.ok else EXIT_FINDINGS)


def echo(text: str) -> None:
    """Print to standard output; a full disk or closed pipe is a plain error, not a bug."""
    from aipolicy.errors import ConfigError

    try:
        click.echo(text, nl=False)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left (``| head``): nothing more to say
        silence_stdout()
        raise SystemExit(EXIT_USAGE) from None
    except OSError as exc:
        silence_stdout()
        raise ConfigError(f"cannot write the report to standard output: "
                          f"{exc.strerror or exc}") from None


def silence_stdout() -> None:
    """Point stdout at the null device so that the interpreter's last flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
