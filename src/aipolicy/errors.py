"""Locations and the one exception hierarchy.

Exceptions are only for "could not evaluate at all" (a broken pack or form, a bad flag).
Problems with a submission are findings, never exceptions.  Each error class carries the
exit code the CLI uses for it, so exit codes are decided in one place.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A place in a file: ``policies/pack.yaml:12``."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.file
        if self.column is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


class AipolicyError(Exception):
    """Anything that prevents a decision from being produced."""

    exit_code = 2

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        return f"{self.location}: {self.message}"


class SourceError(AipolicyError):
    """A file could not be read or parsed (bad YAML, too large, not text, ...)."""


class ConfigError(AipolicyError):
    """A usage or configuration problem: a bad flag, parameter or path."""


class RunError(AipolicyError):
    """The run could not complete (a worker process was killed): nothing is reported,
    so nothing can pass by omission. Exit 3, as for any run that could not finish."""

    exit_code = 3


class FormError(AipolicyError):
    """The intake form (a JSON Schema) is itself invalid."""


class PackError(AipolicyError):
    """A rule pack is invalid; carries every problem found, each with its location."""

    def __init__(self, problems: list[tuple[Location, str]]) -> None:
        first_loc, first_msg = problems[0]
        super().__init__(first_msg, first_loc)
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(f"{loc}: {msg}" for loc, msg in self.problems)
