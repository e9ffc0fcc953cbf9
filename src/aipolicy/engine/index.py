"""The rule index: which rules a submission can meet, decided without running them.

Most rule conditions are an ``all`` of tests with a fixed operand: a field compared with
values the pack names, a fact compared with a value of its scale, a parameter compared
with a value. The outcome of such a test is a function of one value, the field's or the
fact's, so it can be computed once for each value met and remembered:

* for each indexed field, a :class:`~aipolicy.engine.masks.ValueIndex` remembers, for
  each value a submission gave it, the mask of the rules whose tests on that field all
  hold (a bit per rule). For a submission the plan reads each indexed field once and ANDs
  the masks. Fields whose answers come from a closed set (choices, true/false, numbers,
  lists of choices) are indexed; free text and dates, seldom the same twice, are not;
* a fact changes as rules fire, but the pack orders every rule that reads a fact after
  every rule that writes it. So at the first rule that tests a fact, the fact is final:
  there the plan looks its value up the same way, and drops the rules it rules out;
* a test on a parameter is settled when the plan is built (parameters are fixed for a
  plan): it is dropped, or its rule never runs.

The tests of a rule are those that must all hold: its ``all``, nested ``all`` flattened,
and each condition of a ``none`` (or of a ``not`` around an ``any``) negated. Several of
them on one field or fact, and ``any``, ``none`` and ``not`` whose tests all read the
same field or fact, are indexed together. One ``any`` per rule is indexed branch by
branch, each branch in a layer of the masks of its own (see :class:`_Builder`).

The index is exact, not a filter: a value's mask is computed by running the very tests
the rule would run. Every other test stays in the rule's *residue* and runs as compiled,
in the order of the pack.

Here the plan is built (:func:`build_plan`, reading condition nodes only through the small
helpers below) and run (:class:`IndexMatcher`, which owns the plans and what they
remember); :mod:`aipolicy.engine.masks` holds what a plan is made of.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from aipolicy.language.closures import Context, Fn, all_of
from aipolicy.language.evidence import evidence_tests
from aipolicy.language.nodes import Node, Not
from aipolicy.pack.compiled import CompiledPack, CompiledRule

from .masks import Field, Plan, Segment, ValueIndex, memo_limit
from .matcher import Matched, Step, begin, fire


def _reads(node: Node) -> tuple[str, ...] | str | None:
    """The one field path (a tuple) or fact name whose value alone decides ``node``
    (given the parameters and the date), else None."""
    if node.kind == "test":
        if not node.fixed:
            return None
        path: tuple[str, ...] | None = getattr(node.getter, "path", None)
        return path if path is not None else getattr(node.getter, "fact", None)
    found = {_reads(child) for child in node.children}
    return found.pop() if len(found) == 1 and None not in found else None


def _presence(node: Node) -> bool:
    """Whether every test in ``node`` only asks whether its field is given."""
    if node.kind == "test":
        return node.op in ("exists", "missing")
    return all(_presence(child) for child in node.children)


def _varied(node: Node) -> bool:
    return node.varied or any(_varied(child) for child in node.children)


def _conjuncts(when: Node) -> list[Node]:
    """The tests that must all hold for ``when`` to hold, in the pack's order: nested
    ``all`` flattened, ``none`` of several conditions as ``not`` of each."""
    out: list[Node] = []

    def walk(node: Node) -> None:
        if node.kind == "all" and node.children:
            for child in node.children:
                walk(child)
        elif node.kind == "none" or (node.kind == "not" and node.children[0].kind == "any"):
            for child in (node.children if node.kind == "none" else node.children[0].children):
                out.append(_negated(child))
        else:
            out.append(node)

    walk(when)
    return out


def _negated(node: Node) -> Node:
    return Not(node, node.place)


def _field_of(test: Node) -> tuple[str, ...] | None:
    read = _reads(test)
    return read if isinstance(read, tuple) and not _varied(test) else None


def _worth_reading(rules: tuple[CompiledRule, ...]) -> set[tuple[str, ...]]:
    """The fields to index. Reading a field costs every submission the same; a field that
    only one rule tests is read only when that rule has no other indexable test (else the
    test stays in its residue, run only for submissions that pass the other tests)."""
    per_rule = [[p for t in _conjuncts(r.when) if (p := _field_of(t)) is not None] for r in rules]
    uses: dict[tuple[str, ...], int] = {}
    for paths in per_rule:
        for path in set(paths):
            uses[path] = uses.get(path, 0) + 1
    worth = {path for path, n in uses.items() if n > 1}
    for paths in per_rule:
        if paths and not worth.intersection(paths):
            worth.add(paths[0])
    return worth


#: an ``any`` with more branches than this is left to run as compiled
MAX_BRANCHES = 8


@dataclass
class _Builder:
    """Sorts each rule's tests while :func:`build_plan` walks the rules.

    The masks of the field index have a *layer* of one bit per rule for the rule's tests,
    then, for the rules whose ``any`` is indexed, a layer for each of its branches (the
    tests of a branch must all hold, like the rule's). A rule can hold when its own layer
    keeps its bit and, if it has an indexed ``any``, so does one of its branch layers.
    """

    params: dict[str, Any]
    as_of: dt.date
    worth: set[tuple[str, ...]]
    size: int  # rules in the plan: the width of a layer
    on_fields: dict[tuple[str, ...], list[tuple[int, Fn]]] = field(default_factory=dict)
    on_facts: dict[str, list[tuple[int, Fn]]] = field(default_factory=dict)
    first_use: dict[str, int] = field(default_factory=dict)  # fact -> its first test
    dead: int = 0
    layers: list[int] = field(default_factory=list)  # per branch layer: its rules
    #: the fields whose every indexed test only asks whether they are given
    presence: set[tuple[str, ...]] = field(default_factory=set)
    asks_more: set[tuple[str, ...]] = field(default_factory=set)

    def note(self, path: tuple[str, ...], test: Node) -> None:
        if path not in self.asks_more and _presence(test):
            self.presence.add(path)
        else:
            self.presence.discard(path)
            self.asks_more.add(path)

    def constant(self, test: Node) -> bool | None:
        """The outcome of a test on a parameter (fixed for a plan), else None."""
        if test.kind == "test" and test.fixed and test.key.startswith("parameter:"):
            return bool(test.fn(Context({}, {}, self.params, self.as_of)))
        return None

    def step(self, rule: CompiledRule, position: int) -> Step:
        """The rule's step: its tests on indexed fields and on facts go to the index, the
        others stay, in the pack's order (no check when none is left)."""
        bit = 1 << position
        fields: dict[tuple[str, ...], list[Node]] = {}
        facts: dict[str, list[Fn]] = {}
        left: list[Fn] = []
        branched = False
        for test in _conjuncts(rule.when):
            settled = self.constant(test)
            if settled is not None:
                if not settled:
                    self.dead |= bit
                continue
            read = _reads(test)
            if isinstance(read, str):
                facts.setdefault(read, []).append(test.fn)
            elif read is not None and read in self.worth and not _varied(test):
                fields.setdefault(read, []).append(test)
            elif test.kind == "any" and not branched:
                branched = True
                if not self.branches(test, position):
                    left.append(test.fn)
            else:
                left.append(test.fn)
        self.add(fields, bit)
        for name, fns in facts.items():
            self.on_facts.setdefault(name, []).append((bit, all_of(tuple(fns))))
            self.first_use.setdefault(name, position)
        check = all_of(tuple(left)) if left else None
        return Step(rule, check, evidence_tests(rule.when),
                    sum(len(fns) for fns in facts.values()), len(left))

    def add(self, fields: dict[tuple[str, ...], list[Node]], bit: int) -> None:
        for path, tests in fields.items():
            for test in tests:
                self.note(path, test)
            fn = all_of(tuple(test.fn for test in tests))
            self.on_fields.setdefault(path, []).append((bit, fn))

    def branches(self, test: Node, position: int) -> bool:
        """Index an ``any`` whose every branch has tests on fields, each branch in a layer
        of its own. True when the index decides it (every test of every branch is on a
        field), so that it need not run again; else the rule runs it when one branch's
        tests on fields hold."""
        if len(test.children) > MAX_BRANCHES:
            return False
        exact = True
        picked: list[dict[tuple[str, ...], list[Node]]] = []
        for branch in test.children:
            on: dict[tuple[str, ...], list[Node]] = {}
            for part in _conjuncts(branch):
                path = _field_of(part)
                if path is None:
                    exact = False
                else:
                    on.setdefault(path, []).append(part)
            if not on:
                return False  # a branch the index knows nothing of: no use
            picked.append(on)
        for layer, on in enumerate(picked):
            if layer == len(self.layers):
                self.layers.append(0)
            self.layers[layer] |= 1 << position
            self.add(on, 1 << (self.size * (layer + 1) + position))
        return exact


def build_plan(rules: tuple[CompiledRule, ...], params: dict[str, Any], as_of: dt.date) -> Plan:
    """The plan of ``rules`` (in evaluation order) for these parameters and date."""
    size = len(rules)
    build = _Builder(params, as_of, _worth_reading(rules), size)
    steps = tuple(build.step(rule, i) for i, rule in enumerate(rules))
    everything = ((1 << size) - 1) & ~build.dead
    start = everything
    for layer, branching in enumerate(build.layers, 1):
        start |= branching << (size * layer)
    ones = (1 << (size * (len(build.layers) + 1))) - 1

    def index(tests: list[tuple[int, Fn]], free: int, fact: str | None = None,
              path: tuple[str, ...] = (), presence: bool = False) -> ValueIndex:
        tested = 0
        for bit, _fn in tests:
            tested |= bit
        return ValueIndex(tuple(tests), free & ~tested, params, as_of, fact, path, presence)

    heads: dict[str, list[Field]] = {}
    for path, tests in sorted(build.on_fields.items()):
        presence = path in build.presence
        heads.setdefault(path[0], []).append(
            (path[1:], index(tests, ones, path=path, presence=presence), presence))
    groups = []
    for head, fields in heads.items():
        gone = ones
        for _rest, at, _presence in fields:
            gone &= at.absent
        groups.append((head, gone, tuple(fields)))
    starts = sorted({0, *build.first_use.values()})
    segments = []
    for first, end in zip(starts, [*starts[1:], size], strict=True):
        facts = tuple((name, index(build.on_facts[name], everything, fact=name))
                      for name, at in sorted(build.first_use.items()) if at == first)
        width = end - first
        segments.append(Segment(first, width, facts, steps[first:end],
                                tuple({} for _ in range((width + 7) // 8)),
                                memo_limit(64 * width)))  # a step: a 64-bit pointer
    unbranched = everything
    for branching in build.layers:
        unbranched &= ~branching
    return Plan(steps, tuple(groups), start, size, unbranched, tuple(segments))


#: plans an :class:`IndexMatcher` keeps (one per parameters and date; a run uses one)
MAX_PLANS = 16


class IndexMatcher:
    """The index as a :class:`~aipolicy.engine.matcher.Matcher` for one pack: it builds
    the plan of each parameters and date it meets, and keeps it with what its indexes
    remember (the memo is the matcher's, not the pack's: hold one matcher per run)."""

    __slots__ = ("_plans", "pack")

    def __init__(self, pack: CompiledPack) -> None:
        self.pack = pack
        self._plans: list[tuple[dict[str, Any], dt.date, Plan]] = []

    def plan(self, params: dict[str, Any], as_of: dt.date) -> Plan:
        """The rules in effect for these parameters on this date, with their index."""
        for known, day, plan in self._plans:
            if day == as_of and known == params:
                return plan
        plan = build_plan(tuple(r for r in self.pack.rules if r.effective(params, as_of)),
                          params, as_of)
        if len(self._plans) >= MAX_PLANS:
            del self._plans[0]
        self._plans.append((dict(params), as_of, plan))
        return plan

    def match(self, data: Any, *, params: dict[str, Any], as_of: dt.date) -> Matched:
        ctx, out = begin(self.pack, data, params, as_of)
        facts = out.facts
        rank = self.pack.rank
        plan = self.plan(params, as_of)
        # the index passes only the rules whose indexed tests hold; the rest would be false
        alive = plan.matches(ctx.data)
        for segment in plan.segments:
            if segment.facts:  # facts final from here on: drop the rules they rule out
                alive = segment.narrow(alive, facts)
            for step in segment.to_run(alive):
                if step.check is None or step.check(ctx):
                    fire(step, rank, out)
        return out


#: packs whose default matcher is kept (a process usually evaluates with one)
DEFAULT_MATCHERS = 8
_defaults: dict[int, IndexMatcher] = {}


def default_matcher(pack: CompiledPack) -> IndexMatcher:
    """The index matcher used when a caller passes none: one per pack, kept for the last
    :data:`DEFAULT_MATCHERS` packs it was made for (each holds its pack, so that no other
    pack can have its id while it is kept)."""
    found = _defaults.get(id(pack))
    if found is not None and found.pack is pack:
        return found
    while len(_defaults) >= DEFAULT_MATCHERS:
        del _defaults[next(iter(_defaults))]
    made = _defaults[id(pack)] = IndexMatcher(pack)
    return made
