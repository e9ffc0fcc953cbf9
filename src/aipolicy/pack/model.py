"""The rule-pack format as frozen pydantic models.

Unknown keys are errors (``extra="forbid"``), so a misspelt key in a pack is reported
with its line instead of being silently ignored.  Conditions (`when`) are kept as plain
data here and parsed by :mod:`aipolicy.language.parser`, which knows the form.
Each model converts itself (``spec()``) into the typed frozen values of
:mod:`aipolicy.pack.spec`, which the compiler reads (and the cache rebuilds without pydantic).
``aipolicy schema pack`` publishes :func:`pack_json_schema`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, model_validator

from . import spec as s
from .model_sources import Reading, Source
from .spec import Enforcement, Escalation, EvidenceStatus, ParamType, Severity

RULE_ID = r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$"
CONTROL_ID = r"^CTRL-[A-Z0-9]+(-[A-Z0-9]+)*$"
NAME = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"
EMAIL = r"^[^@\s]+@[^@\s]+$"
#: An e-mail address, as roles' members and people name the holders of a role.
Email = Annotated[str, Field(pattern=EMAIL)]


#: What ``escalation`` says, on a rule and on a control.
ESCALATION = ("what resolving it takes, for the portfolio report to group open items by: "
              "local (the team itself), budget, vendor, or policy (a decision of the "
              "governance forum)")


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Citation(_Frozen):
    """Where a rule or control comes from."""

    framework: str = Field(min_length=1, description="e.g. EU AI Act, NIST AI RMF, ISO/IEC 42001")
    clause: str = Field(min_length=1, description="e.g. Art. 6(3), GOVERN 1.6, A.6.2.8")
    url: str | None = None

    def spec(self) -> s.Citation:
        return s.Citation(framework=self.framework, clause=self.clause, url=self.url)


class Parameter(_Frozen):
    description: str = ""
    type: ParamType = "string"
    values: tuple[JsonValue, ...] | None = Field(
        default=None, description="the only values allowed"
    )
    default: JsonValue

    def spec(self) -> s.ParameterSpec:
        return s.ParameterSpec(description=self.description, type=self.type,
                               values=self.values, default=self.default)


class Fact(_Frozen):
    """A derived fact: a value on a scale, or a set of labels."""

    description: str = ""
    scale: str | None = Field(default=None, description="name of the scale this fact rises on")
    default: str | None = Field(default=None, description="starting value (scale facts)")
    labels: tuple[str, ...] | None = Field(default=None, description="the labels allowed")

    @model_validator(mode="after")
    def _one_kind(self) -> Fact:
        if (self.scale is None) == (self.labels is None):
            raise ValueError("a fact has either `scale` or `labels`, not both or neither")
        if self.labels is not None and self.default is not None:
            raise ValueError("a label fact has no `default`; it starts empty")
        return self

    def spec(self) -> s.FactSpec:
        return s.FactSpec(description=self.description, scale=self.scale,
                          default=self.default, labels=self.labels)


class Role(_Frozen):
    id: str = Field(pattern=NAME)
    title: str
    description: str = ""
    members: tuple[Email, ...] = Field(
        default=(), description="e-mail addresses of the people who hold the role (who "
        "may approve a waiver the waiver policy gives to the role)")

    def spec(self) -> s.RoleSpec:
        return s.RoleSpec(id=self.id, title=self.title, description=self.description,
                          members=self.members)


class Gate(_Frozen):
    """What a required control needs at one deployment stage."""

    accept: tuple[EvidenceStatus, ...] = Field(min_length=1)
    enforcement: Enforcement = "blocking"
    severity: Severity = "high"

    def spec(self) -> s.GateSpec:
        return s.GateSpec(accept=self.accept, enforcement=self.enforcement,
                          severity=self.severity)


class Control(_Frozen):
    title: str
    description: str
    citations: tuple[Citation, ...] = Field(min_length=1)
    gates: dict[str, Gate] | None = None
    valid_for_days: int | None = Field(
        default=None, ge=1, description="evidence older than this (by its date) is stale"
    )
    allow_not_applicable: bool = Field(
        default=False, description="a submission may mark this control not_applicable "
        "(with its reason, waiver_reason) at any stage; otherwise only where the stage's "
        "gate accepts not_applicable")
    escalation: Escalation | None = Field(default=None, description=ESCALATION)

    def spec(self) -> s.ControlSpec:
        gates = None if self.gates is None else {k: g.spec() for k, g in self.gates.items()}
        return s.ControlSpec(title=self.title, description=self.description,
                             citations=tuple(c.spec() for c in self.citations), gates=gates,
                             valid_for_days=self.valid_for_days,
                             allow_not_applicable=self.allow_not_applicable,
                             escalation=self.escalation)


class Violation(_Frozen):
    message: str = Field(min_length=1)
    remediation: str = Field(min_length=1)
    field: str | None = Field(default=None, description="the intake field the finding concerns")

    def spec(self) -> s.ViolationSpec:
        return s.ViolationSpec(message=self.message, remediation=self.remediation,
                               field=self.field)


class ByParameter(_Frozen):
    parameter: str
    values: dict[str, dt.date | None]

    def spec(self) -> s.ByParameter:
        return s.ByParameter(parameter=self.parameter, values=dict(self.values))


Effective = dt.date | ByParameter


class Rule(_Frozen):
    id: str = Field(pattern=RULE_ID)
    title: str = Field(min_length=1)
    description: str = Field(min_length=1)
    severity: Severity
    escalation: Escalation | None = Field(default=None, description=ESCALATION)
    enforcement: Enforcement
    citations: tuple[Citation, ...] = Field(min_length=1)
    effective_from: Effective | None = None
    effective_until: Effective | None = None
    when: JsonValue = None
    raise_: dict[str, str] = Field(default_factory=dict, alias="raise")
    add: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    require_controls: tuple[str, ...] = ()
    add_approvers: tuple[str, ...] = ()
    violation: Violation | None = None
    reading: Reading | None = Field(default=None, description="the rule's reading of its "
                                    "binding text is contested, or follows guidance")

    def spec(self) -> s.RuleSpec:
        return s.RuleSpec(
            id=self.id, title=self.title, description=self.description,
            severity=self.severity, enforcement=self.enforcement,
            citations=tuple(c.spec() for c in self.citations),
            effective_from=_effective(self.effective_from),
            effective_until=_effective(self.effective_until),
            when=self.when, raise_=dict(self.raise_), add=dict(self.add),
            require_controls=self.require_controls, add_approvers=self.add_approvers,
            violation=None if self.violation is None else self.violation.spec(),
            escalation=self.escalation,
            reading=None if self.reading is None else self.reading.spec(),
        )


def _effective(value: Effective | None) -> s.Effective | None:
    return value.spec() if isinstance(value, ByParameter) else value


class FormRef(_Frozen):
    id: str

    def spec(self) -> s.FormRef:
        return s.FormRef(id=self.id)


class WaiverApproval(_Frozen):
    """Who may approve a waiver of a finding of one severity, and for how long."""

    approvers: tuple[str, ...] = Field(
        default=(), description="the roles whose holders may approve (checked where the "
        "pack names the holders: roles' members or people)")
    max_days: int | None = Field(default=None, ge=1,
                                 description="the longest a waiver may run, expires - granted")

    def spec(self) -> s.WaiverApproval:
        return s.WaiverApproval(approvers=self.approvers, max_days=self.max_days)


class WaiverPolicy(_Frozen):
    not_waivable: tuple[str, ...] = Field(
        default=(), description="rules no waiver can cover (every Art. 5 prohibition)")
    notice_days: int = Field(default=30, ge=0,
                             description="a waiver expiring within this many days is reported")
    max_days: int | None = Field(
        default=None, ge=1, description="the longest any waiver may run, where by_severity "
        "says nothing for the severity")
    by_severity: dict[Severity, WaiverApproval] = Field(
        default_factory=dict, description="by the severity of the finding waived: who may "
        "approve and for how long")

    def spec(self) -> s.WaiverPolicy:
        return s.WaiverPolicy(not_waivable=self.not_waivable, notice_days=self.notice_days,
                              max_days=self.max_days,
                              by_severity={k: v.spec() for k, v in self.by_severity.items()})


class SignoffChange(_Frozen):
    """What makes earlier sign-offs stale: a submission whose ``field`` is one of
    ``values`` records a substantial change on the date in ``date``."""

    field: str = Field(pattern=NAME, description="the form's field saying what changed, "
                       "e.g. change_type")
    values: tuple[str, ...] = Field(min_length=1, description="its values that are a "
                                    "substantial change")
    date: str = Field(pattern=NAME, description="the form's date field the change is "
                      "dated by, e.g. review.last_reviewed")

    def spec(self) -> s.SignoffChangeSpec:
        return s.SignoffChangeSpec(field=self.field, values=self.values, date=self.date)


class SignoffPolicy(_Frozen):
    """Where sign-offs are required, which record of them counts, and for how long."""

    stages: tuple[str, ...] = Field(default=(), description="the deployment stages at "
                                    "which every role on the approval path must sign off")
    source: Literal["intake", "approvals", "either"] = Field(
        default="either", description="where sign-offs count from: the submission's own "
        "approvals block, the reviewer-owned approvals/ files, or either")
    valid_days: int | None = Field(default=None, ge=1, description="a sign-off older "
                                   "than this many days is stale")
    owner_roles: tuple[str, ...] = Field(default=(), description="roles the use case's "
                                         "owner holds: the submission is their sign-off")
    change: SignoffChange | None = None
    citations: tuple[Citation, ...] = ()

    def spec(self) -> s.SignoffSpec:
        return s.SignoffSpec(stages=self.stages, source=self.source,
                             valid_days=self.valid_days, owner_roles=self.owner_roles,
                             change=None if self.change is None else self.change.spec(),
                             citations=tuple(c.spec() for c in self.citations))


class HeadlineFact(_Frozen):
    fact: str = Field(pattern=NAME, description="a fact the pack declares")
    label: str = Field(description="shown before the value, e.g. `category` or `GPAI:`")
    omit_empty: bool = Field(default=False,
                             description="leave the fact out when it has no value")

    def spec(self) -> s.HeadlineFactSpec:
        return s.HeadlineFactSpec(fact=self.fact, label=self.label, omit_empty=self.omit_empty)


class Headline(_Frozen):
    """Facts reporters show for every submission, beside its tier."""

    title: str = Field(min_length=1, description="names the line, e.g. EU AI Act")
    facts: tuple[HeadlineFact, ...] = Field(min_length=1)
    column: str | None = Field(
        default=None, description="a table column of this title shows the first fact")

    def spec(self) -> s.HeadlineSpec:
        return s.HeadlineSpec(title=self.title, facts=tuple(f.spec() for f in self.facts),
                              column=self.column)


class ReviewQuestion(_Frozen):
    """A question legal counsel must answer: the field it turns on, why, the article."""

    field: str | None = Field(default=None, pattern=NAME, description="the form's field "
                              "the question turns on (its title is shown)")
    title: str | None = Field(default=None, min_length=1, description="shown instead of "
                              "the field's title (needed when no field is named)")
    why: str = Field(min_length=1, description="why the answer matters")
    article: str = Field(min_length=1, description="the article or guidance it rests on")

    def spec(self) -> s.ReviewQuestionSpec:
        return s.ReviewQuestionSpec(field=self.field, title=self.title, why=self.why,
                                    article=self.article)


class Review(_Frozen):
    """The review gate: a result whose ``fact`` holds labels needs legal review, and each
    label is a question declared here."""

    fact: str = Field(pattern=NAME, description="a label fact of the pack, e.g. "
                      "needs_legal_review")
    questions: dict[str, ReviewQuestion] = Field(
        description="every label of the fact: the question it stands for")

    def spec(self) -> s.ReviewSpec:
        return s.ReviewSpec(fact=self.fact,
                            questions={k: q.spec() for k, q in self.questions.items()})


class ReportPolicy(_Frozen):
    """What the portfolio report (``aipolicy report``) takes from the pack."""

    review_notice_days: int = Field(default=30, ge=0, description="a review due within "
                                    "this many days is reported as due soon")

    def spec(self) -> s.ReportSpec:
        return s.ReportSpec(review_notice_days=self.review_notice_days)


class Pack(_Frozen):
    pack: str = Field(min_length=1)
    version: str = Field(min_length=1)
    description: str = ""
    form: FormRef | None = None
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    scales: dict[str, tuple[str, ...]]
    facts: dict[str, Fact]
    stage_field: str | None = Field(
        default=None, description="the form's field whose value gates controls (default: "
        "the form's stage field, `deployment_stage` unless its x-aipolicy names another)")
    roles: tuple[Role, ...]
    approval_paths: dict[str, tuple[str, ...] | Literal["blocked"]]
    control_gates: dict[str, Gate] = Field(default_factory=dict)
    controls: dict[str, Control] = Field(default_factory=dict)
    rules: tuple[Rule, ...]
    waivers: WaiverPolicy = WaiverPolicy()
    report: ReportPolicy = ReportPolicy()
    headlines: tuple[Headline, ...] = Field(
        default=(), description="the facts reporters show for every submission")
    people: dict[str, tuple[Email, ...]] = Field(
        default_factory=dict, description="who holds each role: role id -> e-mail "
        "addresses (beside the roles' members; may be a file of its own in a pack directory)")
    signoffs: SignoffPolicy = SignoffPolicy()
    review: Review | None = Field(
        default=None, description="the review gate: which results need legal review, "
        "and the questions counsel must answer")
    sources: dict[str, Source] = Field(default_factory=dict, description="the frameworks "
                                       "citations name; once given, every citation's")

    def spec(self) -> s.PackSpec:
        """The pack as the typed frozen values the compiler reads."""
        return s.PackSpec(
            pack=self.pack, version=self.version, description=self.description,
            form=None if self.form is None else self.form.spec(),
            parameters={k: p.spec() for k, p in self.parameters.items()},
            scales=dict(self.scales), facts={k: f.spec() for k, f in self.facts.items()},
            stage_field=self.stage_field, roles=tuple(r.spec() for r in self.roles),
            approval_paths=dict(self.approval_paths),
            control_gates={k: g.spec() for k, g in self.control_gates.items()},
            controls={k: c.spec() for k, c in self.controls.items()},
            rules=tuple(r.spec() for r in self.rules), waivers=self.waivers.spec(),
            report=self.report.spec(),
            headlines=tuple(h.spec() for h in self.headlines),
            people={k: tuple(v) for k, v in self.people.items()},
            signoffs=self.signoffs.spec(),
            review=None if self.review is None else self.review.spec(),
            sources={k: v.spec() for k, v in self.sources.items()},
        )


def pack_json_schema(*, part: bool = False) -> dict[str, Any]:
    """The JSON Schema of a rule pack, for editors (``aipolicy schema pack``).

    ``part=True`` gives the schema of one file of a directory pack, where no section is
    required in any single file.
    """
    schema = Pack.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "urn:aipolicy:schema:pack" + (":part" if part else "")
    schema["title"] = "aipolicy rule pack" + (" (one file of a pack directory)" if part else "")
    if part:
        schema.pop("required", None)
    return schema
