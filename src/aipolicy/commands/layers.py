"""What a run applies to each decision after evaluation: sign-offs, then waivers.

A layer is a pure function of values, loaded once per run (its files read and checked
before any submission is evaluated) and applied in the process that evaluated the file,
so that ``--jobs`` workers apply it too. It never re-evaluates rules: it reads the
decision the engine made, the submission's data and the date, and returns the decision
with its findings revised (see :func:`aipolicy.decision.revise`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeAlias

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
class InputFile:
    """A file a layer read (a waiver file, an approvals file): what a decision record
    names, with its digest, for each submission it may bear on."""

    kind: str  # "waiver" or "approval"
    path: str
    digest: str  # "sha256:..." of the file's bytes
    use_cases: frozenset[str]  # the use case ids its entries name


@dataclass(frozen=True)
class Layers:
    """The layers of a run, in the order they apply, and the files they read."""

    steps: tuple[Layer, ...] = ()
    inputs: tuple[InputFile, ...] = ()

    def inputs_for(self, use_case_id: str | None) -> tuple[InputFile, ...]:
        """The files whose entries name ``use_case_id``, in the order they were read."""
        if use_case_id is None:
            return ()
        return tuple(f for f in self.inputs if use_case_id in f.use_cases)

    def apply(self, decision: Decision, intake: Mapping[str, object] | None,
              as_of: dt.date, line_of: Callable[[tuple[str | int, ...]], int] | None = None
              ) -> Decision:
        """``decision`` after each step; ``line_of`` gives the line of a path in the
        submission, for a step that has a ``located`` form taking it (the sign-offs,
        whose findings point at entries of the submission's approvals block)."""
        for step in self.steps:
            located = getattr(step, "located", None) if line_of is not None else None
            if located is not None:
                decision = located(decision, intake, as_of, line_of)
            else:
                decision = step(decision, intake, as_of)
        return decision


#: What opening a layer gives: its step and the files it read; None when the run has
#: nothing for it to do (no files, and the pack asks for nothing).
Opened: TypeAlias = "tuple[Layer, tuple[InputFile, ...]] | None"

#: The layers, by name, in the order they apply: sign-offs first, so that a waiver can
#: cover a sign-off finding too. Each opener reads and checks its files.
OPENERS: dict[str, Callable[[Settings, CompiledPack], Opened]] = {}


def _open_signoffs(settings: Settings, pack: CompiledPack) -> Opened:
    """Sign-offs along the approval path, when the pack requires them at some stage."""
    from aipolicy.signoffs.apply import open_signoffs

    layer = open_signoffs(pack, settings.approvals, settings.limits)
    if layer is None:
        return None
    return layer, tuple(InputFile("approval", f.path, f.digest, f.use_cases)
                        for f in layer.approvals.files)


OPENERS["signoffs"] = _open_signoffs
def open_waivers(settings: Settings, pack: CompiledPack) -> Opened:
    """The waiver layer: the files of ``--waivers`` (a file or directory), else of
    ./waivers when it exists; None when there are no waivers (nothing is imported)."""
    import os

    path = settings.waivers
    if path is None:
        if not os.path.isdir(DEFAULT_WAIVERS):
            return None
        path = DEFAULT_WAIVERS
    from aipolicy.waivers.apply import WaiverLayer
    from aipolicy.waivers.load import load_waivers

    files = load_waivers(path, settings.limits)
    if not any(f.waivers for f in files):
        return None
    inputs = tuple(InputFile("waiver", f.path, f.digest,
                             frozenset(w.waiver.use_case_id for w in f.waivers))
                   for f in files)
    return WaiverLayer.of(files, pack), inputs


#: Where waivers are read from when ``--waivers`` is not given (when it exists).
DEFAULT_WAIVERS = "waivers"

OPENERS["waivers"] = open_waivers


def open_layers(settings: Settings, pack: CompiledPack) -> Layers:
    """The layers ``settings`` and ``pack`` ask for, their files read and checked now
    (a :class:`~aipolicy.errors.ConfigError` with file:line for a malformed one)."""
    steps: list[Layer] = []
    inputs: list[InputFile] = []
    for opener in OPENERS.values():
        opened = opener(settings, pack)
        if opened is not None:
            steps.append(opened[0])
            inputs.extend(opened[1])
    return Layers(tuple(steps), tuple(inputs))
