"""The process around a command: the garbage collector's pace, and Ctrl-C and SIGTERM as one
line and exit 128 + the signal (130, 143)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

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


def run_process(command: Callable[[], int]) -> int:
    """Run ``command`` as the whole process does; returns the exit code."""
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
        return command()
    except _Stopped as stopped:
        word = "interrupted" if stopped.signum == signal.SIGINT else "terminated"
        click.echo(f"aipolicy: {word}", err=True)
        return 128 + stopped.signum
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
