"""A rule pack as typed frozen values: what the compiler and the engine read.

Two roads lead here and both end in exactly these types: on a cache miss the pydantic
models of :mod:`aipolicy.pack.model` validate the files and convert themselves
(``Pack.spec()``); on a hit :func:`aipolicy.pack.cache.thaw` rebuilds the same values from
JSON without importing pydantic. Attribute names are those of the pydantic models, so code
that reads a pack reads either the same way. Conditions (``when``) stay as written, plain
:data:`Json`, for :mod:`aipolicy.language.parser` to parse against the form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

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

@dataclass(frozen=True, slots=True, kw_only=True)
class Citation:
    """Where a rule or control comes from."""

    framework: str
    clause: str
    url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ParameterSpec:
    description: str = ""
    type: ParamType = "string"
    values: tuple[Json, ...] | None = None  # the only values allowed
    default: Json


@dataclass(frozen=True, slots=True, kw_only=True)
class FactSpec:
    """A derived fact: a value on a scale (``scale``), or a set of labels (``labels``)."""

    description: str = ""
    scale: str | None = None
    default: str | None = None
    labels: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RoleSpec:
    id: str
    title: str
    description: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class GateSpec:
    """What a required control needs at one deployment stage."""

    accept: tuple[EvidenceStatus, ...]
    enforcement: Enforcement = "blocking"
    severity: Severity = "high"


@dataclass(frozen=True, slots=True, kw_only=True)
class ControlSpec:
    title: str
    description: str
    citations: tuple[Citation, ...]
    gates: Mapping[str, GateSpec] | None = None
    valid_for_days: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ViolationSpec:
    message: str
    remediation: str
    field: str | None = None  # the intake field the finding concerns


@dataclass(frozen=True, slots=True, kw_only=True)
class ByParameter:
    """A date that depends on a parameter's value (``None``: the rule does not exist)."""

    parameter: str
    values: Mapping[str, dt.date | None]


Effective: TypeAlias = dt.date | ByParameter


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleSpec:
    id: str
    title: str
    description: str
    severity: Severity
    enforcement: Enforcement
    citations: tuple[Citation, ...]
    effective_from: Effective | None = None
    effective_until: Effective | None = None
    when: Condition = None
    raise_: Mapping[str, str] = field(default_factory=dict)
    add: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    require_controls: tuple[str, ...] = ()
    add_approvers: tuple[str, ...] = ()
    violation: ViolationSpec | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FormRef:
    id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class WaiverPolicy:
    not_waivable: tuple[str, ...] = ()


ApprovalPath: TypeAlias = tuple[str, ...] | Literal["blocked"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PackSpec:
    pack: str
    version: str
    description: str = ""
    form: FormRef | None = None
    parameters: Mapping[str, ParameterSpec] = field(default_factory=dict)
    scales: Mapping[str, tuple[str, ...]]
    facts: Mapping[str, FactSpec]
    stage_field: str = "deployment_stage"
    roles: tuple[RoleSpec, ...]
    approval_paths: Mapping[str, ApprovalPath]
    control_gates: Mapping[str, GateSpec] = field(default_factory=dict)
    controls: Mapping[str, ControlSpec] = field(default_factory=dict)
    rules: tuple[RuleSpec, ...]
    waivers: WaiverPolicy = WaiverPolicy()
