"""A rule pack as typed frozen values: what the compiler and the engine read.

Two roads lead here and both end in exactly these types: on a cache miss the pydantic
models of :mod:`aipolicy.pack.model` validate the files and convert themselves
(``Pack.spec()``); on a hit :func:`aipolicy.pack.cache.thaw` rebuilds the same values from
JSON without importing pydantic. Attribute names are those of the pydantic models, so code
that reads a pack reads either the same way. Conditions (``when``) stay as written, plain
:data:`Json`, for :mod:`aipolicy.language.parser` to parse against the form.

The values are named tuples to the type checker and :class:`aipolicy.pack._record.Record`
at run time (the same tuple with named fields, made without ``collections.namedtuple``):
this module is imported on every run, the cache hit being the pre-commit hook's start-up
path. Twelve frozen dataclasses took ~7 ms to create and ``typing.NamedTuple`` ~15 M
instructions (2% of a ``check``); records take ~2.5 M. No field has a default, so both
producers must give every field (mypy checks it). Being tuples, two values of different
classes with equal fields compare equal: compare values of one class only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal, TypeAlias

if TYPE_CHECKING:
    from typing import NamedTuple as Record
else:
    from ._record import Record

#: A value as JSON (and a YAML 1.2 document) can hold it.
Json: TypeAlias = bool | int | float | str | list["Json"] | dict[str, "Json"] | None
#: A rule's condition as written in the pack, before :mod:`aipolicy.language.parser`.
Condition: TypeAlias = Json
#: Parameter values in force: each a scalar of its declared type.
Params: TypeAlias = Mapping[str, Json]

Severity = Literal["critical", "high", "medium", "low", "info"]
Enforcement = Literal["blocking", "advisory"]
EvidenceStatus = Literal["not_started", "in_progress", "done", "not_applicable", "waived"]
ParamType = Literal["string", "integer", "number", "boolean", "date"]
#: What resolving a rule's finding or a missing control takes (a portfolio groups by it):
#: the team itself, a budget, a vendor, or a policy decision.
Escalation = Literal["local", "budget", "vendor", "policy"]
#: What kind of text a source is: law that binds (where it applies), an authority's
#: non-binding reading of it, a voluntary standard or framework, the organisation's practice.
Basis = Literal["binding", "guidance", "standard", "practice"]
#: How a rule reads its binding text, where that is not settled by the text alone.
ReadingBasis = Literal["contested", "guidance"]


class Citation(Record):
    """Where a rule or control comes from."""

    framework: str
    clause: str
    url: str | None


class SourceSpec(Record):
    """One framework citations name (see ``sources`` in the pack format)."""

    basis: Basis
    title: str
    date: str | None  # YYYY-MM-DD, YYYY-MM or YYYY: the text cited; None: undated
    url: str | None
    note: str | None


class ReadingSpec(Record):
    """A rule's reading of its binding text is contested, or taken from guidance."""

    basis: ReadingBasis
    note: str


class ParameterSpec(Record):
    description: str
    type: ParamType
    values: tuple[Json, ...] | None  # the only values allowed
    default: Json


class FactSpec(Record):
    """A derived fact: a value on a scale (``scale``), or a set of labels (``labels``)."""

    description: str
    scale: str | None
    default: str | None
    labels: tuple[str, ...] | None


class RoleSpec(Record):
    id: str
    title: str
    description: str
    members: tuple[str, ...]  # e-mail addresses of the people who hold the role


class GateSpec(Record):
    """What a required control needs at one deployment stage."""

    accept: tuple[EvidenceStatus, ...]
    enforcement: Enforcement
    severity: Severity


class ControlSpec(Record):
    title: str
    description: str
    citations: tuple[Citation, ...]
    gates: Mapping[str, GateSpec] | None
    valid_for_days: int | None
    allow_not_applicable: bool  # `not_applicable` with a reason satisfies every gate
    escalation: Escalation | None  # what getting it in place takes; None: untagged


class ViolationSpec(Record):
    message: str
    remediation: str
    field: str | None  # the intake field the finding concerns


class ByParameter(Record):
    """A date that depends on a parameter's value (``None``: the rule does not exist)."""

    parameter: str
    values: Mapping[str, dt.date | None]


Effective: TypeAlias = dt.date | ByParameter


class RuleSpec(Record):
    id: str
    title: str
    description: str
    severity: Severity
    enforcement: Enforcement
    citations: tuple[Citation, ...]
    effective_from: Effective | None
    effective_until: Effective | None
    when: Condition
    raise_: Mapping[str, str]
    add: Mapping[str, tuple[str, ...]]
    require_controls: tuple[str, ...]
    add_approvers: tuple[str, ...]
    violation: ViolationSpec | None
    escalation: Escalation | None  # what resolving its finding takes; None: untagged
    reading: ReadingSpec | None  # None: the rule reads its citations as they stand


class FormRef(Record):
    id: str


class WaiverApproval(Record):
    """Who may approve a waiver of a finding of one severity, and for how long."""

    approvers: tuple[str, ...]  # role ids; empty: any approver
    max_days: int | None  # the longest a waiver may run (expires - granted)


class WaiverPolicy(Record):
    not_waivable: tuple[str, ...]
    notice_days: int  # a waiver expiring within this many days is reported
    max_days: int | None  # the longest any waiver may run, unless by_severity says
    by_severity: Mapping[str, WaiverApproval]


ApprovalPath: TypeAlias = tuple[str, ...] | Literal["blocked"]


class HeadlineFactSpec(Record):
    fact: str
    label: str
    omit_empty: bool


class HeadlineSpec(Record):
    """Facts reporters show for every submission (see ``headlines`` in the pack format)."""

    title: str
    facts: tuple[HeadlineFactSpec, ...]
    column: str | None


SignoffSource = Literal["intake", "approvals", "either"]


class SignoffChangeSpec(Record):
    """A substantial change (``field`` in ``values``), dated by the field ``date``."""

    field: str
    values: tuple[str, ...]
    date: str


class SignoffSpec(Record):
    """Sign-offs along the approval path (see ``signoffs`` in the pack format)."""

    stages: tuple[str, ...]
    source: SignoffSource
    valid_days: int | None
    owner_roles: tuple[str, ...]
    change: SignoffChangeSpec | None
    citations: tuple[Citation, ...]


class ReviewQuestionSpec(Record):
    """A legal question a rule can leave open (see ``review`` in the pack format)."""

    field: str | None  # the form's field it turns on; its title is the question's
    title: str | None  # instead of the field's title (a question no one field holds)
    why: str
    article: str


class ReviewSpec(Record):
    """The review gate: the label fact whose labels are the open questions, each declared."""

    fact: str
    questions: Mapping[str, ReviewQuestionSpec]
class ReportSpec(Record):
    """What the portfolio report (``aipolicy report``) takes from the pack."""

    review_notice_days: int  # a review due within this many days is due soon


class PackSpec(Record):
    pack: str
    version: str
    description: str
    form: FormRef | None
    parameters: Mapping[str, ParameterSpec]
    scales: Mapping[str, tuple[str, ...]]
    facts: Mapping[str, FactSpec]
    stage_field: str | None  # None: the form's stage field
    roles: tuple[RoleSpec, ...]
    approval_paths: Mapping[str, ApprovalPath]
    control_gates: Mapping[str, GateSpec]
    controls: Mapping[str, ControlSpec]
    rules: tuple[RuleSpec, ...]
    waivers: WaiverPolicy
    headlines: tuple[HeadlineSpec, ...]
    people: Mapping[str, tuple[str, ...]]  # role id -> e-mail addresses of its holders
    signoffs: SignoffSpec
    review: ReviewSpec | None  # None: results say nothing of legal review
    report: ReportSpec
    sources: Mapping[str, SourceSpec]  # framework name -> what it is; empty: undeclared


# Checked readers of a cache entry's JSON: a damaged entry raises ValueError (and is a miss).

def obj(v: Json) -> dict[str, Json]:
    """A cache entry's object value, checked."""
    if not isinstance(v, dict):
        raise ValueError("cache entry: not an object")
    return v


def text(v: Json) -> str:
    """A cache entry's text value, checked (ValueError: the entry is corrupt)."""
    if not isinstance(v, str):
        raise ValueError("cache entry: not text")
    return v


def optional_text(v: Json) -> str | None:
    """A cache entry's text value or None, checked."""
    return None if v is None else text(v)

