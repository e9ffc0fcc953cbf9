"""The sign-off layer: at the stages the pack names, every role on the decision's approval
path must have signed, and each problem with a sign-off is a finding (AIP020-AIP028).

Pure: it reads the decision the engine made, the submission's data (and the lines of its
``approvals:`` block when the run has them), the approvals files read when the run began
and the date. Per role on the path, the latest entry counts (by date; on one date an
approvals file's over the submission's, then the one read last):

- no entry, or the latest ``deferred`` → ``pending`` (AIP020, blocking);
- ``rejected`` → ``rejected`` (AIP022, blocking: the submission fails);
- an approval by the use case's owner or technical owner, or naming no approver →
  ``refused`` (AIP021, blocking);
- an approval older than ``valid_days``, dated before a substantial change, or dated
  after the evaluation date → ``stale`` (AIP023, AIP024, AIP028, blocking);
- otherwise ``signed``; a role signed before an earlier role on the path signed is an
  advisory finding (AIP025); a sign-off for a role not on the path is too (AIP026), and
  so is one in the submission when the pack counts only approvals files (AIP027).

The roles the pack names as ``owner_roles`` are signed by the submission itself.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from aipolicy.decision import Decision, Finding, SignoffState, revise
from aipolicy.errors import ConfigError
from aipolicy.sources.files import DEFAULT_LIMITS, Limits, PathKey
from aipolicy.wording import quoted

from .load import Approvals, Entry, intake_entries, load_approvals

if TYPE_CHECKING:
    from aipolicy.form.schema import Form
    from aipolicy.pack.compiled import CompiledPack
    from aipolicy.pack.spec import SignoffSpec

#: The default directory of reviewer-owned approvals files.
DEFAULT_APPROVALS = "approvals"

LineOf = Callable[[PathKey], int]


@dataclass(frozen=True)
class SignoffLayer:
    """The sign-off step of a run: the pack's policy and roles, and the approvals files."""

    policy: SignoffSpec
    titles: Mapping[str, str]  # every role of the pack, in its order: its title
    form: Form
    stage_field: str
    approvals: Approvals
    #: who holds each role, where the pack names them (its ``members`` and ``people``,
    #: e-mails in lower case); a role left out is not checked
    holders: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def __call__(self, decision: Decision, intake: Mapping[str, object] | None,
                 as_of: dt.date) -> Decision:
        return self.located(decision, intake, as_of, None)

    def located(self, decision: Decision, intake: Mapping[str, object] | None,
                as_of: dt.date, line_of: LineOf | None) -> Decision:
        """The decision with its sign-offs; ``line_of`` gives the line of a path in the
        submission (None: lines unknown)."""
        if intake is None or decision.status == "error" or decision.blocked:
            return decision
        stage = intake.get(self.stage_field)
        if stage not in self.policy.stages or not decision.approval_path:
            return decision
        return _Check(self, decision, intake, as_of, line_of).run()

    def unknown_use_cases(self, seen: Iterable[str | None]) -> list[Finding]:
        """An advisory finding for each approvals file entry whose use case none of
        ``seen`` is: what only a run over the whole portfolio can tell."""
        known = set(seen)
        return [Finding(
            rule="AIP029", severity="low", blocking=False,
            message=f"The sign-off for {e.role} names the use case "
                    f"'{quoted(use_case, 60)}', which no submission of this run has; it "
                    "signs nothing off.",
            remediation="Correct use_case_id, or remove the entry if the use case was "
                        "retired.", line=e.line, title="Approval", file=e.file)
            for use_case, entries in self.approvals.by_use_case.items()
            if use_case not in known for e in entries]


class _Check:
    """One decision's sign-offs (the state of one application of the layer)."""

    def __init__(self, layer: SignoffLayer, decision: Decision,
                 intake: Mapping[str, object], as_of: dt.date, line_of: LineOf | None
                 ) -> None:
        self.layer = layer
        self.policy = layer.policy
        self.decision = decision
        self.intake = intake
        self.as_of = as_of
        self.line_of = line_of
        self.field = layer.form.names["approvals"]
        self.findings: list[Finding] = []

    def run(self) -> Decision:
        entries = self._entries()
        path = [step.role for step in self.decision.approval_path]
        titles = {step.role: step.title or step.role for step in self.decision.approval_path}
        owners = self.layer.form.owner_emails(self.intake)
        latest: dict[str, Entry] = {}
        for entry in entries:
            if entry.role in self.policy.owner_roles:
                continue  # signed by the submission itself
            if entry.role not in path:
                self._off_path(entry, path)
                continue
            if entry.role not in latest or _rank(entry) > _rank(latest[entry.role]):
                latest[entry.role] = entry
        states = []
        for role in path:
            if role in self.policy.owner_roles:
                states.append(self._by_submission(role, titles[role]))
                continue
            counted = latest.get(role)
            states.append(self._pending(role, titles[role]) if counted is None
                          else self._state(role, titles[role], counted, owners))
        self._order(states, latest)
        following = next((s.role for s in states if s.state != "signed"), None)
        revised = revise(self.decision, [*self.decision.findings, *self.findings])
        return replace(revised, signoffs=tuple(states), next_signer=following)

    # ------------------------------------------------------------------ the entries

    def _entries(self) -> list[Entry]:
        source = self.policy.source
        own = intake_entries(self.intake, self.field, self.line_of)
        if source == "approvals":
            for entry in own:
                self._add(entry, "AIP027", False, (
                    f"The sign-off for '{quoted(entry.role, 60)}' in the submission is not "
                    "counted: this rule pack counts only sign-offs kept in the reviewers' "
                    "approvals files."), "Ask the approver to record the decision in an approvals "
                    "file (approvals/); the submission cannot sign itself off.")
            own = ()
        files: tuple[Entry, ...] = ()
        if source != "intake" and self.decision.use_case_id is not None:
            files = self.layer.approvals.by_use_case.get(self.decision.use_case_id, ())
        return [*own, *files]

    def _off_path(self, entry: Entry, path: Sequence[str]) -> None:
        known = entry.role in self.layer.titles
        what = ("is not on this use case's approval path" if known
                else "is not a role of the rule pack")
        self._add(entry, "AIP026", False, (
            f"The sign-off for '{quoted(entry.role, 60)}' {what}, so it is not counted "
            f"(the path: {', '.join(path)})."),
            "Remove it, or record it for the role on the path it was meant for.")

    # ------------------------------------------------------------------ each role

    def _by_submission(self, role: str, title: str) -> SignoffState:
        owner = self.intake.get(self.layer.form.names["owner"])
        email = owner.get("email") if isinstance(owner, dict) else None
        return SignoffState(role=role, title=title, state="signed",
                            by=email.strip() if isinstance(email, str) else None,
                            source="submission")

    def _pending(self, role: str, title: str) -> SignoffState:
        # the approvals block, where the sign-off goes; without one, the stage requiring it
        anchor = self.field if self.field in self.intake else self.layer.stage_field
        line = self.line_of((anchor,)) if self.line_of is not None else None
        self.findings.append(Finding(
            rule="AIP020", severity="high", blocking=True,
            message=f"{title} ({role}) has not signed off; at {self._stage()} every role on "
                    "the approval path must sign off.",
            remediation=self._how_to_sign(role), path=self.field, line=line,
            title="Approvals"))
        return SignoffState(role=role, title=title, state="pending")

    def _state(self, role: str, title: str, entry: Entry, owners: frozenset[str]
               ) -> SignoffState:
        base = SignoffState(role=role, title=title, state="signed", decision=entry.decision,
                            by=entry.approver, date=entry.date.isoformat(),
                            conditions=entry.conditions, source=entry.source,
                            file=entry.file, line=entry.line)
        who = f"{title} ({role})"
        on = entry.date.isoformat()
        if entry.date > self.as_of:
            self._add(entry, "AIP028", True, f"The sign-off of {who} is dated {on}, after "
                      f"the evaluation date {self.as_of.isoformat()}; it does not count yet.",
                      "Correct the date of the decision, or check again on or after it.")
            return replace(base, state="stale")
        if entry.decision == "rejected":
            self._add(entry, "AIP022", True, f"{who} rejected this use case on {on}.",
                      "Address the reasons for the rejection with the approver, then ask "
                      "for a new decision; a later approval replaces this one.")
            return replace(base, state="rejected")
        if entry.decision == "deferred":
            self._add(entry, "AIP020", True, f"{who} deferred the decision on {on}; at "
                      f"{self._stage()} every role on the approval path must sign off.",
                      self._how_to_sign(role))
            return replace(base, state="pending")
        if entry.approver is None:
            self._add(entry, "AIP021", True, f"The sign-off of {who} names no approver, so "
                      "it cannot be shown not to be the owner's own; it is refused.",
                      "Add the e-mail address of the person who took the decision "
                      "(approver:).")
            return replace(base, state="refused")
        if entry.approver.lower() in owners:
            self._add(entry, "AIP021", True, f"The sign-off of {who} is by "
                      f"{quoted(entry.approver, 60)}, the use case's own owner or technical "
                      "owner; nobody can sign off their own use case, so it is refused.",
                      f"Ask the person who holds the role {role} to take the decision.")
            return replace(base, state="refused")
        holders = self.layer.holders.get(role)
        if holders is not None and entry.approver.strip().lower() not in holders:
            self._add(entry, "AIP021", True, f"The sign-off of {who} is by "
                      f"{quoted(entry.approver, 60)}, who does not hold the role {role} in "
                      "the rule pack; only a holder of the role can sign off for it, so it "
                      "is refused.",
                      f"Ask a holder of the role {role} to take the decision, or, if this "
                      "person now holds it, add them to the role's members in the pack.")
            return replace(base, state="refused")
        valid = self.policy.valid_days
        if valid is not None and (self.as_of - entry.date).days > valid:
            self._add(entry, "AIP023", True, f"The sign-off of {who} on {on} is older than "
                      f"the {valid} days a sign-off is valid for; it is stale.",
                      f"Ask {role} to review the use case and sign off again.")
            return replace(base, state="stale")
        changed = self._changed_on()
        if changed is not None and entry.date < changed:
            self._add(entry, "AIP024", True, f"The sign-off of {who} on {on} predates the "
                      f"substantial change to the use case reviewed on {changed.isoformat()}; "
                      "it approved what was there before the change, so it is stale.",
                      f"Ask {role} to review the changed use case and sign off again.")
            return replace(base, state="stale")
        return base

    def _order(self, states: list[SignoffState], latest: Mapping[str, Entry]) -> None:
        """An advisory finding for each role that signed before an earlier role did."""
        earlier: tuple[dt.date, str] | None = None
        for state in states:
            entry = latest.get(state.role)
            if state.state != "signed" or entry is None:
                continue
            if earlier is not None and entry.date < earlier[0]:
                self._add(entry, "AIP025", False, (
                    f"{state.title} ({state.role}) signed off on {entry.date.isoformat()}, "
                    f"before {earlier[1]}, which comes earlier on the approval path, signed "
                    f"on {earlier[0].isoformat()}."),
                    "Sign-offs follow the approval path: check that each approver saw the "
                    "decisions of the roles before theirs.")
            if earlier is None or entry.date > earlier[0]:
                earlier = (entry.date, f"{state.title} ({state.role})")

    # ------------------------------------------------------------------ helpers

    def _changed_on(self) -> dt.date | None:
        """The date of the substantial change the submission records, if it records one."""
        change = self.policy.change
        if change is None or _at(self.intake, change.field) not in change.values:
            return None
        value = _at(self.intake, change.date)
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None

    def _stage(self) -> str:
        return f"{self.intake.get(self.layer.stage_field)}"

    def _how_to_sign(self, role: str) -> str:
        where = {"intake": f"in the submission's {self.field} block",
                 "approvals": "in an approvals file (approvals/)",
                 "either": f"in an approvals file (approvals/) or the submission's "
                           f"{self.field} block"}[self.policy.source]
        return f"Ask the person who holds the role {role} to record their decision {where}."

    def _add(self, entry: Entry, rule: str, blocking: bool, message: str,
             remediation: str) -> None:
        self.findings.append(Finding(
            rule=rule, severity="high" if blocking else "low", blocking=blocking,
            message=message, remediation=remediation,
            path=f"{self.field}.{entry.index}" if entry.file is None else None,
            line=entry.line, title="Approval", file=entry.file))


def _rank(entry: Entry) -> tuple[dt.date, int, int]:
    """Which of two entries for one role is the latest."""
    return (entry.date, 1 if entry.file is not None else 0, entry.index)


def _at(data: Mapping[str, object], dotted: str) -> object:
    node: object = data
    for part in dotted.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def open_signoffs(pack: CompiledPack, approvals: str | None,
                  limits: Limits = DEFAULT_LIMITS) -> SignoffLayer | None:
    """The sign-off layer the pack asks for (None when it requires sign-off at no stage),
    its approvals files read and checked now: ``approvals`` (a file or directory) or, by
    default, ./approvals when it exists and the pack counts approvals files."""
    policy = pack.model.signoffs
    if not policy.stages:
        if approvals is not None:
            raise ConfigError(f"--approvals {approvals}: the rule pack requires no "
                              "sign-off (its signoffs section names no stages)")
        return None
    if policy.source == "intake" and approvals is not None:
        raise ConfigError(f"--approvals {approvals}: the rule pack counts only the sign-offs "
                          "in the submissions (signoffs.source: intake)")
    path = approvals
    if path is None and policy.source != "intake" and os.path.isdir(DEFAULT_APPROVALS):
        path = DEFAULT_APPROVALS
    roles = tuple(r.id for r in pack.model.roles)
    found = Approvals({}, ()) if path is None else load_approvals(path, roles, limits)
    return SignoffLayer(policy=policy, titles={r.id: r.title for r in pack.model.roles},
                        form=pack.form, stage_field=pack.stage_field, approvals=found,
                        holders=pack.role_members)
