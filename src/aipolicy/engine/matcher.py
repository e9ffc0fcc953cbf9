"""Which rules hold for a submission: the :class:`Matcher` protocol, and the plain one.

A matcher is made for one compiled pack. Given submission data (the form's defaults
applied), the parameters and the date, it runs the rules in effect in evaluation order,
applies the effects of each rule that holds before the next runs, and returns what they
concluded (:class:`Matched`). Two matchers implement it and give the same result:

* :class:`SequentialMatcher` runs every rule's compiled condition in turn: the reference,
  and the path for whatever must look at each rule (``explain``, coverage);
* :class:`aipolicy.engine.index.IndexMatcher` decides most tests with a bit-mask index
  built once per parameters and date (the default).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from aipolicy.language.closures import Context, Fn, Getter
from aipolicy.language.evidence import evidence_tests
from aipolicy.pack.compiled import CompiledPack, CompiledRule


@dataclass(frozen=True)
class Step:
    """One rule as a matcher runs it: what is left to test once it reaches it."""

    rule: CompiledRule
    #: the tests left to run, in the pack's order; None when the matcher decided all
    check: Fn | None
    #: the tests whose values explain a firing, sorted by key; None: walk the tree
    evidence: tuple[tuple[str, Getter], ...] | None
    gates: int = 0  # how many of its tests on facts the index decides
    rest: int = 0  # how many other tests are left to run, as compiled


@dataclass
class Matched:
    """Which rules hold for one submission and what they conclude, in evaluation order."""

    facts: dict[str, Any]
    steps: list[Step]
    controls: dict[str, list[str]]
    approvers: dict[str, list[str]]


class Matcher(Protocol):
    """Runs the rules of one pack on submissions."""

    @property
    def pack(self) -> CompiledPack: ...

    def match(self, data: Any, *, params: dict[str, Any], as_of: dt.date) -> Matched:
        """The rules that hold for ``data`` (defaults applied), and what they add."""
        ...


def begin(pack: CompiledPack, data: Any, params: dict[str, Any],
          as_of: dt.date) -> tuple[Context, Matched]:
    """The context rules read, with every fact at its default, and nothing matched yet."""
    facts = dict(pack.fact_defaults)
    for name in pack.label_facts:
        facts[name] = set()
    ctx = Context(data if isinstance(data, dict) else {}, facts, params, as_of)
    return ctx, Matched(facts, [], {}, {})


def fire(step: Step, rank: dict[str, dict[str, int]], out: Matched) -> None:
    """Record a rule that holds, and apply its effects to the facts."""
    out.steps.append(step)
    rule = step.rule
    facts = out.facts
    for fact, value, position in rule.raises:
        current = facts[fact]
        if current is None or rank[fact][current] < position:
            facts[fact] = value
    for fact, labels in rule.adds:
        facts[fact].update(labels)
    for cid in rule.controls:
        out.controls.setdefault(cid, []).append(rule.id)
    for role in rule.approvers:
        out.approvers.setdefault(role, []).append(rule.id)


class SequentialMatcher:
    """Every rule in evaluation order: in effect on the date, and its condition holds."""

    __slots__ = ("_steps", "pack")

    def __init__(self, pack: CompiledPack) -> None:
        self.pack = pack
        self._steps = tuple(Step(rule, rule.when.fn, evidence_tests(rule.when))
                            for rule in pack.rules)

    def match(self, data: Any, *, params: dict[str, Any], as_of: dt.date) -> Matched:
        ctx, out = begin(self.pack, data, params, as_of)
        rank = self.pack.rank
        for step in self._steps:
            if step.rule.effective(params, as_of) and step.rule.when.fn(ctx):
                fire(step, rank, out)
        return out
