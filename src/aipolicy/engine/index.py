"""The rule index: which rules a submission can meet, decided without running them.

Most rule conditions are an ``all`` of tests with a fixed operand: a field compared with
values the pack names, a fact compared with a value of its scale, a parameter compared
with a value. The outcome of such a test is a function of one value, the field's or the
fact's, so it can be computed once for each value met and remembered:

* for each indexed field, :class:`_Index` remembers, for each value a submission gave it,
  the mask of the rules whose tests on that field all hold (a bit per rule). For a
  submission the plan reads each indexed field once and ANDs the masks. Fields whose
  answers come from a closed set (choices, true/false, numbers, lists of choices) are
  indexed; free text and dates, seldom the same twice, are not;
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
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aipolicy.language.closures import Context, Fn, Getter, all_of
from aipolicy.language.evidence import evidence_tests
from aipolicy.language.nodes import Node, Not
from aipolicy.language.operators import MISSING

if TYPE_CHECKING:
    from aipolicy.pack.compiled import CompiledRule

#: bit positions set in each byte value, to walk a mask in order
_BITS: tuple[tuple[int, ...], ...] = tuple(
    tuple(i for i in range(8) if byte >> i & 1) for byte in range(256))

#: values remembered per field or fact; past this, new values are computed each time
MEMO_SIZE = 4096
#: and at most this many bits (256 KB) of what they hold, however wide a large pack makes it
MEMO_BITS = 1 << 21


def _memo_limit(bits_per_entry: int) -> int:
    """How many entries a memo keeps, when each costs about this many bits."""
    return min(MEMO_SIZE, max(16, MEMO_BITS // max(bits_per_entry, 1)))


@dataclass(frozen=True)
class Step:
    """One rule of a plan: what is left to test once the index has passed it."""

    rule: CompiledRule
    #: the tests the index leaves to run, in the pack's order; None when it decides all
    check: Fn | None
    #: the tests whose values explain a firing, sorted by key; None: walk the tree
    evidence: tuple[tuple[str, Getter], ...] | None
    gates: int = 0  # how many of its tests on facts the index decides
    rest: int = 0  # how many other tests are left to run, as compiled


class _Index:
    """The rules testing one field (or fact), and for each value met, those it passes."""

    __slots__ = (
        "absent",
        "as_of",
        "fact",
        "free",
        "given",
        "limit",
        "memos",
        "other",
        "params",
        "path",
        "tests",
        "text",
    )

    def __init__(self, tests: tuple[tuple[int, Fn], ...], free: int, params: dict[str, Any],
                 as_of: dt.date, fact: str | None, path: tuple[str, ...],
                 presence: bool) -> None:
        self.tests = tests  # (bit of the rule, its tests on this value)
        self.free = free  # the rules without a test here
        self.text: dict[Any, int] = {}  # by text, or a list of texts as a tuple
        self.other: dict[Any, int] = {}  # by (type, value) for true/false, numbers, null
        self.memos = (self.text, self.other)
        width = free.bit_length()
        for bit, _test in tests:
            width = max(width, bit.bit_length())
        self.limit = _memo_limit(width)
        self.params = params
        self.as_of = as_of
        self.fact = fact  # None: a field of the submission, at ``path``
        self.path = path
        #: the rules let through when the field is not there (facts: unused)
        self.absent = self._compute(MISSING, None) if fact is None else 0
        #: when the tests only ask whether the field is given: those let through when it
        #: is (unused otherwise)
        self.given = self._compute(True, None) if presence else 0

    def mask(self, found: Any, data: Any) -> int:
        """The rules that ``found`` (the value read; MISSING: absent) lets through;
        ``data``: the submission it was read from (None: a fact)."""
        kind = type(found)
        if kind is str:
            met = self.text.get(found)
            if met is None:
                met = self._store(self.text, found, found, data)
            return met
        if kind is list or kind is set:
            try:
                key: Any = tuple(found) if kind is list else frozenset(found)
                met = self.text.get(key)
            except TypeError:  # an item is a list or a group of fields
                return self._compute(found, data)
            if met is None:  # remembered only when every item is text: a hit is exact
                texts = all(type(item) is str for item in key)
                met = self._store(self.text, key, found, data) if texts else self._compute(
                    found, data)
            return met
        if kind is dict:
            return self._compute(found, data)
        key = (kind, found)
        met = self.other.get(key)
        if met is None:
            met = self._store(self.other, key, found, data)
        return met

    def _store(self, memo: dict[Any, int], key: Any, found: Any, data: Any) -> int:
        met = self._compute(found, data)
        if len(memo) < self.limit:
            memo[key] = met
        return met

    def _compute(self, found: Any, data: Any) -> int:
        """Run the tests: on the fact's value, or on the submission (None: a submission
        holding ``found`` at the path, or nothing there if MISSING)."""
        if self.fact is not None:
            ctx = Context({}, {self.fact: found}, self.params, self.as_of)
        else:
            if data is None:
                data = found
                for part in reversed(self.path):
                    data = {} if data is MISSING else {part: data}
            ctx = Context(data, {}, self.params, self.as_of)
        met = self.free
        for bit, test in self.tests:
            if test(ctx):
                met |= bit
        return met


@dataclass(frozen=True)
class Segment:
    """Consecutive steps, and the facts that are final where they begin."""

    start: int  # the bit of its first step
    width: int
    facts: tuple[tuple[str, _Index], ...]
    steps: tuple[Step, ...]
    #: for each byte of a mask, the steps of each of its values (filled as met)
    blocks: tuple[dict[int, tuple[Step, ...]], ...]
    #: how many masks to remember: fewer in a wide segment, whose masks rarely repeat
    limit: int
    #: the steps of each mask met so far
    seen: dict[int, tuple[Step, ...]] = field(default_factory=dict)

    def narrow(self, alive: int, facts: dict[str, Any]) -> int:
        """``alive`` without the rules that these facts' values rule out."""
        for name, index in self.facts:
            alive &= index.mask(facts[name], None)
        return alive

    def to_run(self, alive: int) -> tuple[Step, ...]:
        """The steps of this segment that ``alive`` lets through, in order."""
        mine = (alive >> self.start) & ((1 << self.width) - 1)
        run = self.seen.get(mine)
        if run is not None:  # a pack meets few combinations: most are seen before
            return run
        steps = self.steps
        blocks = self.blocks
        out: list[Step] = []
        for position, byte in enumerate(mine.to_bytes(len(blocks), "little")):
            if byte:
                block = blocks[position]
                part = block.get(byte)
                if part is None:
                    base = 8 * position
                    part = block[byte] = tuple(steps[base + i] for i in _BITS[byte])
                out.extend(part)
        run = tuple(out)
        if len(self.seen) < self.limit:
            self.seen[mine] = run
        return run


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
    """Sorts each rule's tests while :meth:`Plan.of` walks the rules.

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


#: an indexed field below a key of the submission: the rest of its path, the index of its
#: tests, and whether every test on it only asks whether it is given
_Field = tuple[tuple[str, ...], "_Index", bool]
#: the indexed fields under one key of the submission, with the mask they let through
#: when the key is absent
_Group = tuple[str, int, tuple[_Field, ...]]


@dataclass(frozen=True)
class Plan:
    """Rules in evaluation order, with the index that decides most of their tests."""

    steps: tuple[Step, ...]
    groups: tuple[_Group, ...]
    start: int  # the mask before any field is read: every rule that can run, every branch
    size: int  # rules in the plan: the width of a layer of the masks
    unbranched: int  # the rules without an indexed ``any``
    segments: tuple[Segment, ...]

    @staticmethod
    def of(rules: tuple[CompiledRule, ...], params: dict[str, Any], as_of: dt.date) -> Plan:
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
                  path: tuple[str, ...] = (), presence: bool = False) -> _Index:
            tested = 0
            for bit, _fn in tests:
                tested |= bit
            return _Index(tuple(tests), free & ~tested, params, as_of, fact, path, presence)

        heads: dict[str, list[_Field]] = {}
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
                                    _memo_limit(64 * width)))  # a step: a 64-bit pointer
        unbranched = everything
        for branching in build.layers:
            unbranched &= ~branching
        return Plan(steps, tuple(groups), start, size, unbranched, tuple(segments))

    def matches(self, data: Any) -> int:
        """The mask of rules whose indexed tests on the submission's fields all hold."""
        alive = self.start
        if type(data) is not dict:
            data = {}
        for head, gone, fields in self.groups:
            top = data.get(head, MISSING)
            if top is MISSING:  # the commonest answer: known when the plan was built
                alive &= gone
                continue
            for rest, index, presence in fields:
                found = top
                for part in rest:
                    found = found.get(part, MISSING) if type(found) is dict else MISSING
                if found is MISSING:
                    alive &= index.absent
                elif presence and found is not None:  # only whether it is given matters
                    alive &= index.given
                else:  # index.mask's lookup, inlined for remembered values; mask on a miss
                    kind = type(found)
                    scalar = kind is not str and kind is not list
                    try:
                        met = index.memos[scalar].get(
                            (kind, found) if scalar else found if kind is str else tuple(found))
                    except TypeError:  # a group of fields, or a list holding one
                        met = None
                    alive &= index.mask(found, data) if met is None else met
        size = self.size
        rules = (1 << size) - 1
        mine = alive & rules
        alive >>= size
        some = self.unbranched
        while alive:  # the branch layers: a rule with an any needs one branch's bit
            some |= alive & rules
            alive >>= size
        return mine & some
