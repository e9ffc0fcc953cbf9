"""The values a run produces: findings, decisions and the report of a run.

Plain frozen dataclasses: cheap to build per submission, compared by equality in tests,
and turned into text only by the reporters (their canonical dict and JSON are in
:mod:`aipolicy.serialize`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .identity import NO_IDENTITY, Identity
from .info import ControlInfo, Headline, RuleInfo

if TYPE_CHECKING:
    from .errors import SourceError

#: Severities, most severe first.
SEVERITIES = ("critical", "high", "medium", "low", "info")

#: Finding codes the engine itself produces (rule packs use their own ids).
ENGINE_RULES: dict[str, str] = {
    "AIP001": "The file could not be read or parsed",
    "AIP002": "The submission does not fill in the intake form",
    "AIP003": "A required control lacks the evidence its deployment stage needs",
    "AIP004": "The evidence of a required control is out of date",
    "AIP005": "aipolicy could not evaluate the submission (a bug in aipolicy)",
    "AIP006": "More findings than one submission's report shows",
    "AIP007": "The evidence of a required control is dated after the evaluation date",
    # waivers (aipolicy.waivers): each finding is at the waiver's line in its file
    "AIP010": "A waiver has expired and waives nothing",
    "AIP011": "A waiver expires soon",
    "AIP012": "A waiver approved by the use case's owner or the waiver's own owner is "
              "rejected",
    "AIP013": "A waiver approved by someone who holds no role allowed to approve it is "
              "rejected",
    "AIP014": "A waiver that runs longer than the waiver policy allows is rejected",
    "AIP015": "A waiver of a rule that cannot be waived is rejected",
    "AIP016": "A waiver matches no finding: a stale exception to remove",
    "AIP017": "A waiver names a rule or a compensating control the pack does not have",
    "AIP018": "A waiver names a use case no submission of the run has",
    "AIP019": "A waiver is not in force yet",
    # sign-offs along the approval path (aipolicy.signoffs): each finding is at the line of
    # the sign-off in its file (an approvals file, or the submission's approvals block)
    "AIP020": "A role on the approval path has not signed off",
    "AIP021": ("A sign-off by the use case's own owner, by no one named, or by someone who "
               "does not hold the role is refused"),
    "AIP022": "A role on the approval path rejected the use case",
    "AIP023": "A sign-off is older than the pack allows",
    "AIP024": "A sign-off predates a substantial change to the use case",
    "AIP025": "A role signed off before a role earlier on the approval path",
    "AIP026": "A sign-off for a role that is not on the approval path",
    "AIP027": "A sign-off in the submission that this pack does not count",
    "AIP028": "A sign-off is dated after the evaluation date",
    "AIP029": "A sign-off names a use case no submission of the run has",
}

#: The most findings a decision keeps (then one AIP006 saying how many more there were):
#: a submission crafted to fail everywhere cannot make the report, or the memory of a
#: run over many such files, grow with it. The status still counts every finding.
MAX_FINDINGS = 200

STATUSES = ("pass", "fail", "incomplete", "error")


@dataclass(frozen=True)
class Finding:
    """One problem with one submission."""

    rule: str
    severity: str
    blocking: bool
    message: str
    remediation: str = ""
    path: str | None = None
    line: int | None = None
    column: int | None = None
    title: str = ""
    control: str | None = None
    waived: bool = False
    waiver: dict[str, Any] | None = None
    #: the file ``line`` is in when it is not the submission's (a waiver file, an
    #: approvals file); None: the submission's own file
    file: str | None = None
    #: what the rule rests on when that is guidance or a contested reading (JSON
    #: ``basis``: the reading, its note, each citation's basis and date); None: no such
    basis: dict[str, Any] | None = None

    def sort_key(self) -> tuple[int, int, str, str, str]:
        return (
            self.line if self.line is not None else 0,
            self.column if self.column is not None else 0,
            self.rule,
            self.path or "",
            self.message,
        )


@dataclass(frozen=True)
class ControlResult:
    """A control the submission must have, and where its evidence stands."""

    id: str
    title: str
    status: str  # the evidence status, or "missing"
    required_by: tuple[str, ...]
    needed: tuple[str, ...]  # statuses the current stage accepts; empty: no gate
    satisfied: bool


@dataclass(frozen=True)
class ApprovalStep:
    role: str
    title: str
    required_by: tuple[str, ...]


#: What a role's sign-off can be: ``signed`` (approved, approved with conditions),
#: ``pending`` (no decision yet, or deferred), ``refused`` (by the use case's own owner,
#: or by no one named), ``stale`` (too old, or before a substantial change, or dated after
#: the evaluation date), ``rejected``.
SIGNOFF_STATES = ("signed", "pending", "refused", "stale", "rejected")


@dataclass(frozen=True)
class SignoffState:
    """Where one role on the approval path stands: its state and the decision that counts
    (the latest for that role), who took it and when, and where it is written."""

    role: str
    title: str
    state: str  # one of SIGNOFF_STATES
    decision: str | None = None  # approved, approved_with_conditions, rejected, deferred
    by: str | None = None  # the approver's e-mail
    date: str | None = None  # YYYY-MM-DD
    conditions: str | None = None
    source: str | None = None  # "intake", "approvals" or "submission" (an owner role)
    file: str | None = None  # the approvals file; None: the submission's own file
    line: int | None = None


#: A result's classification is settled, or waits for legal counsel (:class:`Review`).
REVIEW_STATES = ("determined", "needs_review")


@dataclass(frozen=True)
class ReviewQuestion:
    """A question counsel must answer before a classification is settled: the pack's id,
    the form's field it turns on and its title, why it matters, the article."""

    id: str
    field: str | None
    title: str
    why: str
    article: str


@dataclass(frozen=True)
class Review:
    """Whether a result is determined or needs legal review, with the open questions in
    the order the pack declares them (empty when determined)."""

    state: str  # one of REVIEW_STATES
    questions: tuple[ReviewQuestion, ...] = ()


@dataclass(frozen=True)
class FiredRule:
    rule: str
    evidence: dict[str, Any]


@dataclass(frozen=True)
class Decision:
    """Everything aipolicy concludes about one submission."""

    file: str
    use_case_id: str | None
    status: str
    tier: str | None
    facts: dict[str, Any] = field(default_factory=dict)
    controls: tuple[ControlResult, ...] = ()
    approval_path: tuple[ApprovalStep, ...] = ()
    blocked: bool = False
    findings: tuple[Finding, ...] = ()
    rules_fired: tuple[FiredRule, ...] = ()
    #: per role on the approval path, in its order, where its sign-off stands; empty when
    #: the pack requires no sign-off at the submission's stage
    signoffs: tuple[SignoffState, ...] = ()
    #: the first role on the path that has not signed (None: all have, or none is needed)
    next_signer: str | None = None
    #: determined, or needs legal review (open questions); None: the pack has no review
    review: Review | None = None
    #: who and what the use case is, as its submission says (business unit, stage, owners,
    #: review dates): submitter text; all None when the file could not be read
    identity: Identity = NO_IDENTITY

    @property
    def needs_review(self) -> bool:
        return self.review is not None and self.review.state == "needs_review"

    @property
    def blocking_findings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.blocking and not f.waived)


def kept(findings: list[Finding], limit: int = MAX_FINDINGS) -> tuple[Finding, ...]:
    """``findings`` (sorted by place) when there are at most ``limit``; otherwise the
    ``limit`` that matter most, in order of place, then one finding saying how many more
    there were. Blocking findings are kept first, a rule's before the form's, so the
    findings shown explain the status (which is computed from them all, before)."""
    if len(findings) <= limit:
        return tuple(findings)
    import heapq

    def weight(f: Finding) -> tuple[bool, bool, tuple[int, int, str, str, str]]:
        return (not f.blocking or f.waived, f.rule == "AIP002", f.sort_key())

    shown = sorted(heapq.nsmallest(limit, findings, key=weight), key=Finding.sort_key)
    more = len(findings) - limit
    return (*shown, Finding(
        rule="AIP006", severity="info", blocking=False,
        message=f"{more:,} more finding{'s' if more != 1 else ''} are not shown: a report "
                f"shows at most {limit} per submission. The status counts them all.",
        remediation="Fix the findings shown (often one mistake repeated), then check the "
                    "file again to see the rest.",
        title="Findings"))


def revise(decision: Decision, findings: Iterable[Finding]) -> Decision:
    """``decision`` with ``findings`` instead of its own (what a layer applied after
    evaluation, waivers or sign-offs, concluded): sorted by place, capped as the engine
    caps them, and the status recomputed from them. A decision in ``error`` stays so."""
    ordered = sorted(findings, key=Finding.sort_key)
    status = status_for(ordered)
    if decision.status == "error":
        status = "error"
    return replace(decision, findings=kept(ordered), status=status)


def status_for(findings: tuple[Finding, ...] | list[Finding]) -> str:
    """``error`` > ``incomplete`` > ``fail`` > ``pass``, from the findings alone."""
    rules = {f.rule for f in findings if not f.waived}
    if "AIP001" in rules or "AIP005" in rules:
        return "error"
    if "AIP002" in rules:
        return "incomplete"
    if any(f.blocking and not f.waived for f in findings):
        return "fail"
    return "pass"


@dataclass(frozen=True)
class Report:
    """One run: the decisions and what produced them (the reporters' input)."""

    decisions: tuple[Decision, ...]
    tool_version: str
    as_of: str
    parameters: dict[str, Any]
    pack: dict[str, str] | None  # name, version, digest
    form: dict[str, str] | None  # id, digest
    tiers: tuple[str, ...] = ()  # the tier scale, lowest first
    #: what is known of each rule (the engine's own and the pack's), by rule id
    rules: dict[str, RuleInfo] = field(default_factory=dict)
    #: the pack's control catalogue, by control id
    controls: dict[str, ControlInfo] = field(default_factory=dict)
    #: the facts the pack declares as its headline, in its order
    headlines: tuple[Headline, ...] = ()
    #: findings about the run's configuration files rather than one submission (a waiver
    #: naming a use case no submission of the run has), each with its ``file``: advisory
    findings: tuple[Finding, ...] = ()
    #: ``check --strict``: a result that needs legal review fails the run (exit 1), its
    #: own status unchanged
    strict: bool = False

    def file_decisions(self) -> tuple[Decision, ...]:
        """The run's own :attr:`findings` by file, each file as a decision with no use case:
        what reporters list beside the submissions' findings (never counted as one)."""
        by_file: dict[str, list[Finding]] = {}
        for f in self.findings:
            by_file.setdefault(f.file or "", []).append(f)
        return tuple(Decision(file=file, use_case_id=None, status="pass", tier=None,
                              findings=tuple(sorted(found, key=Finding.sort_key)))
                     for file, found in by_file.items())

    def summary(self) -> dict[str, Any]:
        counts = dict.fromkeys(STATUSES, 0)
        by_tier: dict[str, int] = {}
        for d in self.decisions:
            counts[d.status] += 1
            if d.tier is not None:
                by_tier[d.tier] = by_tier.get(d.tier, 0) + 1
        order = {t: i for i, t in enumerate(self.tiers)}
        return {
            "submissions": len(self.decisions),
            **counts,
            "by_tier": dict(sorted(by_tier.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))),
        }

    def needing_review(self) -> tuple[Decision, ...]:
        """The decisions whose classification waits for legal review."""
        return tuple(d for d in self.decisions if d.needs_review)

    @property
    def ok(self) -> bool:
        """Every submission passes (and, with :attr:`strict`, none needs legal review)."""
        if self.strict and self.needing_review():
            return False
        return all(d.status == "pass" for d in self.decisions)


def error_decision(path: str, error: SourceError) -> Decision:
    """The decision for a file that could not be read or parsed: status ``error``."""
    loc = error.location
    finding = Finding(
        rule="AIP001",
        severity="high",
        blocking=True,
        message=error.message,
        remediation="Fix the file so that it is one valid YAML (or JSON) document; "
        "nothing in it was evaluated.",
        line=loc.line if loc is not None else None,
        column=loc.column if loc is not None else None,
        title="File",
    )
    return Decision(file=path, use_case_id=None, status="error", tier=None,
                    findings=(finding,))


def failed_decision(path: str, error: BaseException, use_case_id: str | None = None
                    ) -> Decision:
    """The decision for a submission aipolicy failed to evaluate (a bug): status ``error``,
    the others in the run still evaluated. The finding names the kind of error only; its
    text may quote the submission and a traceback helps no submitter."""
    finding = Finding(
        rule="AIP005",
        severity="high",
        blocking=True,
        message=f"aipolicy could not evaluate this submission ({type(error).__name__}); "
                "this is a bug in aipolicy, not in the file, and the submission cannot pass "
                "until it is fixed.",
        remediation="Please report it, with the command you ran and this file.",
        title="Evaluation",
    )
    return Decision(file=path, use_case_id=use_case_id, status="error", tier=None,
                    findings=(finding,))
