"""Condition nodes: a parsed condition as typed, frozen values.

A rule's ``when`` is a tree of :class:`Test` leaves under :class:`AllOf`, :class:`AnyOf`,
:class:`NoneOf` and :class:`Not`. A test keeps what the pack wrote (the source it reads,
the path, the operator, the operand) and where (the pack file, line and column), so that
what looks at a rule (explanations, coverage, lint, docs) needs nothing but the node;
beside it, its compiled closure ``fn(ctx) -> bool``, which the engine calls.

A composite builds its closure from its children's when it is made, so that the two can
never disagree. Every node answers what the rule index asks of a node (``key``,
``getter``, ``fixed``, ``varied``, ``op``, ``reads_facts``, ``children``), a composite
with the answers of a node that is not a test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Literal

from aipolicy.errors import Location
from aipolicy.language.closures import Fn, Getter, all_of, any_of

#: What a test reads: an answer of the submission, a fact rules derive, a pack parameter.
Source = Literal["field", "fact", "parameter"]
#: An operand read when the rule runs: another answer (``{field: …}``, perhaps scaled),
#: a parameter (``{parameter: …}``) or the evaluation date (``{as_of: N}``).
Reference = Literal["field", "parameter", "as_of"]


@dataclass(frozen=True, slots=True)
class Test:
    """One test: ``{field: purposes, contains: recruitment_screening}``."""

    kind: ClassVar[str] = "test"

    source: Source
    #: the field's path (relative to the items of ``within``), or the fact's or the
    #: parameter's name as its only part
    path: tuple[str, ...]
    op: str
    #: the operand as the pack wrote it (for ``any_item``/``all_items``: the condition)
    operand: object
    #: the operand as the operator's test receives it (a set, a date, a compiled pattern,
    #: a position on a scale); None when it is a ``reference`` or a condition
    prepared: object = field(compare=False)
    reference: Reference | None
    location: Location
    fn: Fn = field(compare=False, repr=False)
    getter: Getter = field(compare=False, repr=False)
    #: for the rule index: a test with a fixed operand whose target is free text or a
    #: date (or a group of fields), whose value is seldom the same twice
    varied: bool = False
    #: the condition each item must meet, for ``any_item`` and ``all_items``
    each: Node | None = None
    #: the list (a field path) whose items ``path`` is relative to; None: the submission
    within: tuple[str, ...] | None = None
    #: the key of the value in a firing's evidence: the path, ``fact:x`` or ``parameter:x``
    key: str = field(init=False)
    reads_facts: frozenset[str] = field(init=False)
    children: tuple[Node, ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        name = self.name
        key = name if self.source == "field" else f"{self.source}:{name}"
        object.__setattr__(self, "key", key)
        children = () if self.each is None else (self.each,)
        object.__setattr__(self, "children", children)
        reads = frozenset({name}) if self.source == "fact" else frozenset[str]().union(
            *(child.reads_facts for child in children))
        object.__setattr__(self, "reads_facts", reads)

    @property
    def name(self) -> str:
        """The field path, fact or parameter as the pack writes it."""
        return ".".join(self.path)

    @property
    def fixed(self) -> bool:
        """Whether the operand is fixed when the pack compiles, so that the outcome is a
        function of the one value the getter reads (given the parameters and the date)."""
        return self.reference is None and self.each is None


class _Composite:
    """What the rule index asks of a node that is not a test."""

    __slots__ = ()

    @property
    def key(self) -> str:
        return ""

    @property
    def getter(self) -> Getter | None:
        return None

    @property
    def op(self) -> str:
        return ""

    @property
    def fixed(self) -> bool:
        return False

    @property
    def varied(self) -> bool:
        return False


def _reads(children: tuple[Node, ...]) -> frozenset[str]:
    return frozenset[str]().union(*(child.reads_facts for child in children))


@dataclass(frozen=True, slots=True)
class AllOf(_Composite):
    """``all:``: every child holds (``all`` of nothing always holds)."""

    kind: ClassVar[str] = "all"

    children: tuple[Node, ...]
    location: Location | None
    fn: Fn = field(init=False, compare=False, repr=False)
    reads_facts: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fn", all_of(tuple(child.fn for child in self.children)))
        object.__setattr__(self, "reads_facts", _reads(self.children))


@dataclass(frozen=True, slots=True)
class AnyOf(_Composite):
    """``any:``: at least one child holds (``any`` of nothing never holds)."""

    kind: ClassVar[str] = "any"

    children: tuple[Node, ...]
    location: Location | None
    fn: Fn = field(init=False, compare=False, repr=False)
    reads_facts: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fn", any_of(tuple(child.fn for child in self.children)))
        object.__setattr__(self, "reads_facts", _reads(self.children))


@dataclass(frozen=True, slots=True)
class NoneOf(_Composite):
    """``none:``: no child holds."""

    kind: ClassVar[str] = "none"

    children: tuple[Node, ...]
    location: Location | None
    fn: Fn = field(init=False, compare=False, repr=False)
    reads_facts: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        some = any_of(tuple(child.fn for child in self.children))
        object.__setattr__(self, "fn", lambda ctx: not some(ctx))
        object.__setattr__(self, "reads_facts", _reads(self.children))


@dataclass(frozen=True, slots=True)
class Not(_Composite):
    """``not:``: the child does not hold."""

    kind: ClassVar[str] = "not"

    child: Node
    location: Location | None
    fn: Fn = field(init=False, compare=False, repr=False)
    reads_facts: frozenset[str] = field(init=False, repr=False)
    children: tuple[Node, ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        inner = self.child.fn
        object.__setattr__(self, "fn", lambda ctx: not inner(ctx))
        object.__setattr__(self, "reads_facts", self.child.reads_facts)
        object.__setattr__(self, "children", (self.child,))


#: A condition: a test, or a composite of conditions.
Node = Test | AllOf | AnyOf | NoneOf | Not

#: The condition of a rule without ``when``: it always holds.
TRUE = AllOf((), None)
