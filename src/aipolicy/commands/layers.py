"""What a run applies to each decision after evaluation: sign-offs, then waivers.

A layer is a pure function of values, loaded once per run (its files read and checked
before any submission is evaluated) and applied in the process that evaluated the file,
so that ``--jobs`` workers apply it too. It never re-evaluates rules: it reads the
decision the engine made, the submission's data and the date, and returns the decision
with its findings revised (see :func:`aipolicy.decision.revise`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from aipolicy.decision import Decision

if TYPE_CHECKING:
    from aipolicy.pack.compiled import CompiledPack

    from .settings import Settings


class Layer(Protocol):
    """One step after evaluation: ``intake`` is the submission's data (None when the file
    could not be read, and the decision is then in ``error``)."""

    def __call__(self, decision: Decision, intake: Mapping[str, object] | None,
                 as_of: dt.date) -> Decision: ...


@dataclass(frozen=True)
class Layers:
    """The layers of a run, in the order they apply."""

    steps: tuple[Layer, ...] = ()

    def apply(self, decision: Decision, intake: Mapping[str, object] | None,
              as_of: dt.date) -> Decision:
        for step in self.steps:
            decision = step(decision, intake, as_of)
        return decision


def open_layers(settings: Settings, pack: CompiledPack) -> Layers:
    """The layers ``settings`` and ``pack`` ask for, their files read and checked now
    (a :class:`~aipolicy.errors.ConfigError` with file:line for a malformed one)."""
    steps: list[Layer] = []
    return Layers(tuple(steps))
