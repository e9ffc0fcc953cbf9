"""Condition nodes: a parsed condition as typed, frozen values.

A rule's ``when`` is a tree of :class:`Test` leaves under :class:`AllOf`, :class:`AnyOf`,
:class:`NoneOf` and :class:`Not`. A test keeps what the pack wrote (the source it reads,
the path, the operator, the operand) and where (its :class:`Place`: the pack file, line
and column), so that what looks at a rule (explanations, coverage, lint, docs) needs
nothing but the node; beside it, its compiled closure ``fn(ctx) -> bool``, which the
engine calls.

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
from aipolicy.sources.documents import SourceDoc
from aipolicy.sources.files import PathKey

#: What a test reads: an answer of the submission, a fact rules derive, a pack parameter.
Source = Literal["field", "fact", "parameter"]
#: An operand read when the rule runs: another answer (``{field: …}``, perhaps scaled),
#: a parameter (``{parameter: …}``) or the evaluation date (``{as_of: N}``).
Reference = Literal["field", "parameter", "as_of"]

_NO_FACTS: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Place:
    """Where the pack wrote a node: its file and the path of keys and indexes to it in
    that file. The line and column are looked up when asked for, so that a pack rebuilt
    from the cache indexes the lines of its files only if something needs them."""

    file: str
    at: PathKey
    doc: SourceDoc = field(compare=False, repr=False)

    @property
    def location(self) -> Location:
        """``file:line:column``."""
        line, column = self.doc.position(self.at)
        return Location(self.file, line, column)


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
    place: Place
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

    def __post_init__(self) -> None:  # (a pack compiles a few thousand: kept lean)
        put = object.__setattr__
        path = self.path
        name = path[0] if len(path) == 1 else ".".join(path)
        source = self.source
        put(self, "key", name if source == "field" else f"{source}:{name}")
        each = self.each
        if each is None:
            put(self, "children", ())
            put(self, "reads_facts", frozenset((name,)) if source == "fact" else _NO_FACTS)
        else:
            put(self, "children", (each,))
            put(self, "reads_facts", each.reads_facts)

    @property
    def name(self) -> str:
        """The field path, fact or parameter as the pack writes it."""
        return ".".join(self.path)

    @property
    def location(self) -> Location:
        """The pack file, line and column of the test (of its field:, fact: or parameter:)."""
        return self.place.location

    @property
    def fixed(self) -> bool:
        """Whether the operand is fixed when the pack compiles, so that the outcome is a
        function of the one value the getter reads (given the parameters and the date)."""
        return self.reference is None and self.each is None


class _Composite:
    """What the rule index asks of a node that is not a test."""

    __slots__ = ()
    place: Place | None

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

    @property
    def location(self) -> Location | None:
        """The pack file, line and column of its all:, any:, none: or not: (TRUE: None)."""
        place = self.place
        return None if place is None else place.location


def _reads(children: tuple[Node, ...]) -> frozenset[str]:
    reads = _NO_FACTS
    for child in children:
        if child.reads_facts:
            reads = reads | child.reads_facts
    return reads


def _none_of(fns: tuple[Fn, ...]) -> Fn:
    some = any_of(fns)
    return lambda ctx: not some(ctx)


@dataclass(frozen=True, slots=True)
class _Group(_Composite):
    """A composite over a list of children: what ``all:``, ``any:`` and ``none:`` share.
    Each kind is a subclass naming its ``kind`` and how its children's closures join."""

    children: tuple[Node, ...]
    place: Place | None
    fn: Fn = field(init=False, compare=False, repr=False)
    reads_facts: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fn", self.join(tuple([child.fn for child in self.children])))
        object.__setattr__(self, "reads_facts", _reads(self.children))

    @staticmethod
    def join(fns: tuple[Fn, ...]) -> Fn:
        raise NotImplementedError


class AllOf(_Group):
    """``all:``: every child holds (``all`` of nothing always holds)."""

    __slots__ = ()
    kind: ClassVar[str] = "all"
    join = staticmethod(all_of)


class AnyOf(_Group):
    """``any:``: at least one child holds (``any`` of nothing never holds)."""

    __slots__ = ()
    kind: ClassVar[str] = "any"
    join = staticmethod(any_of)


class NoneOf(_Group):
    """``none:``: no child holds."""

    __slots__ = ()
    kind: ClassVar[str] = "none"
    join = staticmethod(_none_of)


@dataclass(frozen=True, slots=True)
class Not(_Composite):
    """``not:``: the child does not hold."""

    kind: ClassVar[str] = "not"

    child: Node
    place: Place | None
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
