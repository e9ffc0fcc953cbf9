"""The rule index: which rules a submission can meet, decided without running them.

Most rule conditions are an ``all`` of plain tests: a field compared with fixed values
(``equals`` text or true/false, ``in``, ``not_in``, ``contains``, ``contains_any``,
``exists``, ``missing``), a fact compared with a value of its scale, a parameter compared
with a value. :class:`Plan` turns such tests into bit masks over the rules:

* a field's tables map each value to the rules whose test on that field it meets. For a
  submission the plan reads each indexed field once and ANDs the masks;
* a scale fact has few values, so each test on it is run once per value when the plan is
  built, giving the values that meet it; a ``length`` test on a label fact depends only
  on how many labels it holds, so it is run once per count; ``contains``/``contains_any``
  on a label fact is met when the labels meet its values. Each becomes a one-line test
  (a set lookup) run before the rule's other tests: facts change as rules fire, so they
  cannot be masked up front;
* a test on a parameter is settled when the plan is built (parameters are
  fixed for a plan): it is dropped, or its rule never runs.

The index is exact, not a filter: a test moves into it only when its outcome is a
function of the value that the masks reproduce, with the operators' treatment of absent
fields, nulls, lone values where a list belongs and true/false against text. Every other
test stays in the rule's *residue* and runs as compiled, in the order of the pack.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .closures import Context, Fn, Getter, all_of
from .conditions import Node, evidence_tests
from .operators import MISSING

if TYPE_CHECKING:
    from .packs import CompiledRule

#: bit positions set in each byte value, to walk a mask in order
_BITS: tuple[tuple[int, ...], ...] = tuple(
    tuple(i for i in range(8) if byte >> i & 1) for byte in range(256))


@dataclass(frozen=True)
class Step:
    """One rule of a plan: what is left to test once the index has passed it."""

    rule: CompiledRule
    #: what the index leaves to run: the gates on facts, then the other tests in the
    #: pack's order; None when the index alone decides the rule
    check: Fn | None
    #: the tests whose values explain a firing, sorted by key; None: walk the tree
    evidence: tuple[tuple[str, Getter], ...] | None
    gates: int = 0  # how many of its tests on facts became set lookups (run first)
    rest: int = 0  # how many other tests are left to run, as compiled


@dataclass
class _Tables:
    """Masks of the rules whose test on one value is met, by the kind of test."""

    text: dict[str, int] = field(default_factory=dict)  # equals/in: the text is this value
    flag: dict[bool, int] = field(default_factory=dict)  # equals true/false
    item: dict[str, int] = field(default_factory=dict)  # contains/contains_any
    listed: dict[str, int] = field(default_factory=dict)  # not_in: its list names the value
    outside: int = 0  # not_in: every rule with such a test
    given: int = 0  # exists: true, missing: false
    absent: int = 0  # exists: false, missing: true
    bits: int = 0  # every rule with a test here

    def add(self, kind: str, values: tuple[Any, ...], bit: int) -> None:
        self.bits |= bit
        if kind == "outside":
            self.outside |= bit
        elif kind == "given":
            self.given |= bit
        elif kind == "absent":
            self.absent |= bit
        tables: dict[str, dict[Any, int]] = {
            "text": self.text, "flag": self.flag, "item": self.item, "outside": self.listed}
        table = tables.get(kind, {})
        for v in values:
            table[v] = table.get(v, 0) | bit

    def frozen(self) -> _Frozen:
        return (self.text, self.flag, self.item, self.listed, self.outside, self.given,
                self.absent)


_Frozen = tuple[dict[str, int], dict[bool, int], dict[str, int], dict[str, int], int, int, int]


def _met(found: Any, tables: _Frozen) -> int:
    """The rules whose test in ``tables`` the value ``found`` meets (MISSING: absent)."""
    text, flag, item, listed, outside, given, absent = tables
    kind = type(found)
    if kind is str:
        met = given | text.get(found, 0) | item.get(found, 0)
        if outside:
            met |= outside & ~listed.get(found, 0)
        return met
    if kind is list or kind is set:
        met = given
        if item:
            for value in found:
                if type(value) is str:
                    met |= item.get(value, 0)
        return met
    if kind is bool:
        return given | flag.get(found, 0) | outside
    if kind is int or kind is float:
        return given | outside  # not_in holds for any given value it does not list
    if found is None:
        return absent | outside
    if found is MISSING:
        return absent
    return given  # a group of fields


def _plain(test: Node) -> tuple[str, tuple[Any, ...]] | None:
    """(kind, values) of a test that :func:`_met` decides exactly, else None."""
    if test.kind != "test" or not test.op:
        return None
    op, value = test.op, test.value
    if op == "equals" and type(value) in (str, bool):
        return ("flag" if type(value) is bool else "text"), (value,)
    if op == "contains" and type(value) is str:
        return "item", (value,)
    if op in ("exists", "missing") and type(value) is bool:
        return ("given" if (op == "exists") is value else "absent"), ()
    values = tuple(value) if isinstance(value, frozenset) else None
    if values is None or not all(type(v) is str for v in values):
        return None
    kinds = {"in": "text", "contains_any": "item", "not_in": "outside"}
    return (kinds[op], values) if op in kinds else None


def _path(test: Node) -> tuple[str, ...] | None:
    return getattr(test.getter, "path", None) if test.kind == "test" else None


@dataclass
class _Builder:
    """Collects the masks while :meth:`Plan.of` walks the rules."""

    facts: dict[str, tuple[str, tuple[str, ...], str | None]]  # name -> kind, values, default
    params: dict[str, Any]
    as_of: dt.date
    worth: set[tuple[str, ...]]
    conj: dict[tuple[str, ...], _Tables] = field(default_factory=dict)
    dead: int = 0

    def constant(self, test: Node) -> bool | None:
        """The outcome of a test on a parameter (fixed for a plan), else None."""
        if test.kind == "test" and test.op and test.key.startswith("parameter:"):
            return bool(test.fn(Context({}, {}, self.params, self.as_of)))
        return None

    def on_fact(self, test: Node, gated: set[tuple[str, str]]) -> Fn | None:
        """A test on a fact as a set lookup (its gate), or None if it cannot be one."""
        name = getattr(test.getter, "fact", None)
        if test.kind != "test" or not test.op or name is None:
            return None
        kind, values, _default = self.facts.get(name, ("", (), None))
        if kind == "scale" and (name, "value") not in gated:
            gated.add((name, "value"))
            ok = frozenset(value for value in (*values, None) if self._holds(test, name, value))
            return lambda ctx: ctx.facts[name] in ok
        if kind != "labels":
            return None
        if test.op == "length" and (name, "size") not in gated:
            gated.add((name, "size"))
            sizes = frozenset(n for n in range(len(values) + 1)
                              if self._holds(test, name, set(values[:n])))
            return lambda ctx: len(ctx.facts[name]) in sizes
        found = _plain(test)
        if found is not None and found[0] == "item" and (name, "meets") not in gated:
            gated.add((name, "meets"))
            wanted = frozenset(found[1])
            return lambda ctx: not wanted.isdisjoint(ctx.facts[name])
        return None

    def _holds(self, test: Node, name: str, value: Any) -> bool:
        return bool(test.fn(Context({}, {name: value}, self.params, self.as_of)))

    def on_field(self, test: Node, bit: int, used: set[Any]) -> bool:
        """Index a test on a field of the submission, if that field is worth reading."""
        found, path = _plain(test), _path(test)
        if found is None or path is None or path in used or path not in self.worth:
            return False
        used.add(path)
        self.conj.setdefault(path, _Tables()).add(*found, bit)
        return True

    def step(self, rule: CompiledRule, bit: int) -> Step:
        """The rule's step: what the index leaves of it, its gates on facts first, then
        its other tests in the pack's order (no check when nothing is left)."""
        gates: list[Fn] = []
        left: list[Fn] = []
        used: set[Any] = set()
        gated: set[tuple[str, str]] = set()
        for test in _tests(rule):
            settled = self.constant(test)
            if settled is False:
                self.dead |= bit
            if settled is not None or self.on_field(test, bit, used):
                continue
            gate = self.on_fact(test, gated)
            if gate is not None:
                gates.append(gate)
            else:
                left.append(test.fn)
        check = all_of((*gates, *left)) if gates or left else None
        return Step(rule, check, evidence_tests(rule.when), len(gates), len(left))


def _tests(rule: CompiledRule) -> tuple[Node, ...]:
    return rule.when.children if rule.when.kind == "all" else (rule.when,)


def _worth_reading(rules: tuple[CompiledRule, ...]) -> set[tuple[str, ...]]:
    """The fields to index. Reading a field costs every submission the same; a field that
    only one rule tests is read only when that rule has no other indexable test (else the
    test stays in its residue, run only for submissions that pass the other tests)."""
    per_rule = [[p for t in _tests(r) if _plain(t) and (p := _path(t))] for r in rules]
    uses: dict[tuple[str, ...], int] = {}
    for paths in per_rule:
        for path in set(paths):
            uses[path] = uses.get(path, 0) + 1
    worth = {path for path, n in uses.items() if n > 1}
    for paths in per_rule:
        if paths and not worth.intersection(paths):
            worth.add(paths[0])
    return worth


#: per indexed field: its path, the tables of its tests, and the rules without a test on it
_Field = tuple[tuple[str, ...], _Frozen, int]


@dataclass(frozen=True)
class Plan:
    """Rules in evaluation order, with the index that decides most of their tests."""

    steps: tuple[Step, ...]
    fields: tuple[_Field, ...]
    everything: int  # every rule that can run
    #: for each byte of a mask, the steps of each of its values (filled as met)
    blocks: tuple[dict[int, tuple[Step, ...]], ...]

    @staticmethod
    def of(rules: tuple[CompiledRule, ...],
           facts: dict[str, tuple[str, tuple[str, ...], str | None]],
           params: dict[str, Any], as_of: dt.date) -> Plan:
        """The plan of ``rules`` (in evaluation order) for these parameters and date;
        ``facts`` is the pack's ``fact_kinds``."""
        build = _Builder(facts, params, as_of, _worth_reading(rules))
        steps = tuple(build.step(rule, 1 << i) for i, rule in enumerate(rules))
        everything = ((1 << len(rules)) - 1) & ~build.dead
        fields = tuple((path, t.frozen(), everything & ~t.bits)
                       for path, t in sorted(build.conj.items()))
        blocks: tuple[dict[int, tuple[Step, ...]], ...] = tuple(
            {} for _ in range((len(steps) + 7) // 8))
        return Plan(steps, fields, everything, blocks)

    def matches(self, data: Any) -> int:
        """The mask of rules whose indexed tests on the submission's fields all hold."""
        alive = self.everything
        for path, tables, free in self.fields:
            found = data
            for part in path:
                found = found.get(part, MISSING) if type(found) is dict else MISSING
            alive &= _met(found, tables) | free
        return alive

    def to_run(self, data: Any) -> list[Step]:
        """The steps whose indexed tests on the submission's fields hold, in order."""
        alive = self.matches(data)
        if not alive:
            return []
        steps = self.steps
        blocks = self.blocks
        out: list[Step] = []
        for position, byte in enumerate(alive.to_bytes(len(blocks), "little")):
            if byte:
                block = blocks[position]
                run = block.get(byte)
                if run is None:  # built on first use: a pack meets few combinations
                    base = 8 * position
                    run = block[byte] = tuple(steps[base + i] for i in _BITS[byte])
                out.extend(run)
        return out
