"""The waiver layer: a decision, its submission's data and the date → the decision with
the findings that valid waivers cover marked waived, and a finding for each waiver that
is expired, rejected, stale or names an unknown rule.

A waiver covers every finding of its rule for its use case (``control:`` or ``path:``
narrows it to one). The finding stays, ``waived`` with the waiver's details, so every
report still shows it; a waived blocking finding no longer fails the submission. Every
outcome about the waiver itself is a finding at the waiver's line in its file
(``Finding.file``), with a code of :data:`aipolicy.decision.ENGINE_RULES` (AIP010-AIP019),
carrying the waiver's details (``waiver``, not ``waived``: it waives nothing itself).

The waivers are indexed by use case once, when the layer is made, so a decision that no
waiver names costs one dictionary look-up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from aipolicy.decision import ENGINE_RULES, SEVERITIES, Decision, Finding, revise

from .load import LoadedWaiver, WaiverFile

if TYPE_CHECKING:
    from aipolicy.pack.compiled import CompiledPack
    from aipolicy.pack.spec import WaiverPolicy

    from .spec import WaiverSpec

_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def waiver_dict(loaded: LoadedWaiver) -> dict[str, Any]:
    """What a waived finding, and a finding about the waiver itself, carries (``waiver``
    in the JSON report, SPEC §6): the portfolio report lists every waiver from these."""
    w = loaded.waiver
    return {
        "id": w.id,
        "owner": {"name": w.owner.name, "email": w.owner.email},
        "approver": {"name": w.approver.name, "email": w.approver.email},
        "justification": w.justification,
        "ticket": w.ticket,
        "granted": w.granted.isoformat(),
        "expires": w.expires.isoformat(),
        "controls": list(w.controls),
        "file": loaded.file,
        "line": loaded.line,
        "rule": w.rule,
        "use_case_id": w.use_case_id,
        "control": w.control,
        "path": w.path,
    }


def matches(w: WaiverSpec, f: Finding) -> bool:
    """Whether waiver ``w`` covers finding ``f`` (of the same use case)."""
    return (f.rule == w.rule and not f.waived
            and (w.control is None or f.control == w.control)
            and (w.path is None or f.path == w.path))


def _email(text: str) -> str:
    return text.strip().lower()


@dataclass(frozen=True)
class WaiverLayer:
    """The waivers of a run, by use case id, and what judging them needs."""

    by_use_case: Mapping[str, tuple[LoadedWaiver, ...]]
    policy: WaiverPolicy
    known_rules: frozenset[str]
    known_controls: frozenset[str]
    #: role id -> the e-mail addresses of its holders (empty: the pack names nobody)
    members: Mapping[str, frozenset[str]]
    owner_emails: Callable[[Any], frozenset[str]]  # Form.owner_emails (lower case)

    @classmethod
    def of(cls, files: Iterable[WaiverFile], pack: CompiledPack) -> WaiverLayer:
        index: dict[str, list[LoadedWaiver]] = {}
        for file in files:
            for loaded in file.waivers:
                index.setdefault(loaded.waiver.use_case_id, []).append(loaded)
        rules = frozenset(r.id for r in pack.model.rules) | frozenset(ENGINE_RULES)
        return cls({k: tuple(v) for k, v in index.items()}, pack.model.waivers, rules,
                   frozenset(pack.model.controls), pack.role_members, pack.form.owner_emails)

    def __call__(self, decision: Decision, intake: Mapping[str, object] | None,
                 as_of: dt.date) -> Decision:
        if decision.use_case_id is None or decision.status == "error":
            return decision
        mine = self.by_use_case.get(decision.use_case_id)
        if not mine:
            return decision
        owners: frozenset[str] = self.owner_emails(intake) if intake is not None \
            else frozenset()
        findings = list(decision.findings)
        outcomes: list[Finding] = []
        for loaded in mine:
            outcomes.extend(self._apply(loaded, findings, owners, as_of))
        return revise(decision, [*findings, *outcomes])

    def unknown_use_cases(self, seen: Iterable[str | None]) -> list[Finding]:
        """A finding for each waiver whose use case none of ``seen`` is: what a run over
        the whole portfolio can tell (a run over a few files cannot; see docs/waivers.md)."""
        known = set(seen)
        return [_outcome(loaded, "AIP018", "low", False,
                         f"Waiver {loaded.waiver.id} names the use case {use_case}, which no "
                         "submission of this run has; it waives nothing.",
                         "Correct use_case_id, or remove the waiver if the use case was "
                         "retired.")
                for use_case, waivers in self.by_use_case.items() if use_case not in known
                for loaded in waivers]

    def _apply(self, loaded: LoadedWaiver, findings: list[Finding],
               owners: frozenset[str], as_of: dt.date) -> list[Finding]:
        """Waive what ``loaded`` covers in ``findings`` (in place) when it is valid; the
        findings about the waiver itself."""
        w = loaded.waiver
        if w.rule not in self.known_rules:
            return [_outcome(loaded, "AIP017", "medium", False,
                             f"Waiver {w.id} names the rule {w.rule}, which the pack does "
                             "not have; it waives nothing.",
                             "Correct the rule id to one of the pack's rules (the id of a "
                             "finding it reports), or remove the waiver if the rule was "
                             "retired.")]
        unknown = [c for c in w.controls if c not in self.known_controls]
        plural = "s" if len(unknown) > 1 else ""
        notes = [_outcome(loaded, "AIP017", "low", False,
                          f"Waiver {w.id} names the compensating control{plural} "
                          f"{', '.join(unknown)}, which the pack's catalogue does not have.",
                          "Correct the control ids under controls: to controls of the "
                          "pack's catalogue, or remove them.")] if unknown else []
        return notes + self._judge(loaded, findings, owners, as_of)

    def _judge(self, loaded: LoadedWaiver, findings: list[Finding],
               owners: frozenset[str], as_of: dt.date) -> list[Finding]:
        w = loaded.waiver
        covered = [i for i, f in enumerate(findings) if matches(w, f)]
        if not covered:
            narrowed = (f" on control {w.control}" if w.control else "") + \
                (f" on field {w.path}" if w.path else "")
            return [_outcome(loaded, "AIP016", "low", False,
                             f"Stale exception: waiver {w.id} covers rule {w.rule}{narrowed} "
                             f"for {w.use_case_id}, which has no such finding any more.",
                             "Remove the waiver (the gap it covered is closed), or correct "
                             "its rule, control or path.")]
        severity = min((findings[i].severity for i in covered),
                       key=lambda s: _RANK.get(s, len(_RANK)))
        problems = self._rejections(loaded, severity, owners, as_of)
        if problems:
            return problems
        shown = waiver_dict(loaded)
        for i in covered:
            findings[i] = replace(findings[i], waived=True, waiver=shown)
        left = (w.expires - as_of).days
        if left <= self.policy.notice_days:
            when = "today" if left == 0 else f"in {left} day{'s' if left != 1 else ''}"
            return [_outcome(loaded, "AIP011", "low", False,
                             f"Waiver {w.id} of rule {w.rule} for {w.use_case_id} expires "
                             f"{when} ({w.expires.isoformat()}); the notice period is "
                             f"{self.policy.notice_days} days.",
                             "Close the gap before then, or have the waiver renewed (a new "
                             "justification, approval and expiry date).")]
        return []

    def _rejections(self, loaded: LoadedWaiver, severity: str, owners: frozenset[str],
                    as_of: dt.date) -> list[Finding]:
        """Why the waiver waives nothing, as findings (none: it is valid on ``as_of``)."""
        w = loaded.waiver
        policy = self.policy
        out: list[Finding] = []
        if w.rule in policy.not_waivable:
            out.append(_outcome(loaded, "AIP015", "high", True,
                                f"Waiver {w.id} is rejected: the pack does not allow rule "
                                f"{w.rule} to be waived (waivers.not_waivable).",
                                "Remove the waiver; the use case must change so that the "
                                "rule no longer holds."))
        approver = _email(w.approver.email)
        if approver in owners or approver == _email(w.owner.email):
            whose = ("the use case's owner or technical owner" if approver in owners
                     else "the waiver's own owner")
            out.append(_outcome(loaded, "AIP012", "high", True,
                                f"Waiver {w.id} is rejected: its approver "
                                f"({w.approver.email}) is {whose}; nobody may approve their "
                                "own exception.",
                                "Have the waiver approved by someone independent of the use "
                                "case and of the waiver's owner."))
        rule = policy.by_severity.get(severity)
        allowed = rule.approvers if rule is not None else ()
        if self.members and allowed:
            held = {role for role, emails in self.members.items() if approver in emails}
            if not held & set(allowed):
                roles = ", ".join(allowed)
                out.append(_outcome(loaded, "AIP013", "high", True,
                                    f"Waiver {w.id} is rejected: a {severity} finding's waiver "
                                    f"must be approved by a holder of {roles}, and the pack "
                                    f"names {w.approver.email} as holding "
                                    f"{', '.join(sorted(held)) or 'no role'}.",
                                    f"Have it approved by someone the pack names for {roles} "
                                    "(roles' members, or people:)."))
        longest = rule.max_days if rule is not None and rule.max_days else policy.max_days
        days = (w.expires - w.granted).days
        if longest is not None and days > longest:
            out.append(_outcome(loaded, "AIP014", "medium", True,
                                f"Waiver {w.id} is rejected: it runs {days} days "
                                f"({w.granted.isoformat()} to {w.expires.isoformat()}); a "
                                f"{severity} finding's waiver may run at most {longest} days.",
                                f"Set expires to {(w.granted + dt.timedelta(days=longest))} "
                                "or earlier; renew it then if the gap is still open."))
        if out:
            return out
        if w.granted > as_of:
            return [_outcome(loaded, "AIP019", "info", False,
                             f"Waiver {w.id} is granted from {w.granted.isoformat()}, after "
                             f"the evaluation date {as_of.isoformat()}; it waives nothing yet.",
                             "Nothing to do if the date is right; otherwise correct granted.")]
        if as_of > w.expires:
            return [_outcome(loaded, "AIP010", "medium", False,
                             f"Waiver {w.id} of rule {w.rule} for {w.use_case_id} expired on "
                             f"{w.expires.isoformat()}; it waives nothing.",
                             "Close the gap, or have a new waiver approved (a new id, "
                             "justification and expiry date); remove the expired one.")]
        return []


def _outcome(loaded: LoadedWaiver, code: str, severity: str, blocking: bool, message: str,
             remediation: str) -> Finding:
    return Finding(rule=code, severity=severity, blocking=blocking, message=message,
                   remediation=remediation, line=loaded.line, title="Waiver",
                   file=loaded.file, waiver=waiver_dict(loaded))
