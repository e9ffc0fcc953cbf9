"""The canonical dict and JSON of findings, decisions and reports, and the way back.

One place for the shape SPEC §6 fixes: the JSON reporter renders it, the golden cases
(``tests/cases``) compare it, and decision records will store and re-read it. Keys are
in contract order; values are the data, whole (a reporter makes the text safe to print,
see :func:`aipolicy.reporters._text.json_safe`).

:func:`decision_from_dict` reads a decision back from its dict; :class:`JsonDecision` is a
decision that travels as its canonical JSON (from a worker process to the one that
reports) and reads the rest of itself from that text only when a field is asked for.
"""

from __future__ import annotations

import json
import re
from typing import Any

from aipolicy.decision import (
    ApprovalStep,
    ControlResult,
    Decision,
    Finding,
    FiredRule,
    Report,
    Review,
    ReviewQuestion,
    SignoffState,
)
from aipolicy.identity import Identity, OnCall, Person, ReviewSchedule


def finding_dict(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": f.rule,
        "severity": f.severity,
        "blocking": f.blocking,
        "message": f.message,
        "remediation": f.remediation,
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "title": f.title,
        "waived": f.waived,
        "waiver": f.waiver,
    }
    if f.control is not None:
        out["control"] = f.control
    if f.file is not None:
        out["file"] = f.file
    if f.basis is not None:
        out["basis"] = f.basis
    return out


def signoff_dict(s: SignoffState) -> dict[str, Any]:
    return {"role": s.role, "title": s.title, "state": s.state, "decision": s.decision,
            "by": s.by, "date": s.date, "conditions": s.conditions, "source": s.source,
            "file": s.file, "line": s.line}


def review_dict(r: Review) -> dict[str, Any]:
    return {"state": r.state,
            "questions": [{"id": q.id, "field": q.field, "title": q.title, "why": q.why,
                           "article": q.article} for q in r.questions]}


def review_from_dict(raw: dict[str, Any] | None) -> Review | None:
    if raw is None:
        return None
    return Review(state=raw["state"],
                  questions=tuple(ReviewQuestion(**q) for q in raw["questions"]))
#: The keys of a result that say who and what the use case is, not what was decided: a
#: decision record made before they existed still reproduces without them.
IDENTITY_KEYS = ("title", "business_unit", "stage", "owner", "technical_owner", "on_call",
                 "review_schedule")


def _person(p: Person | None) -> dict[str, Any] | None:
    return None if p is None else {"name": p.name, "email": p.email}


def identity_dict(i: Identity) -> dict[str, Any]:
    """The identity keys of a result (SPEC §6 adds them): submitter text, whole."""
    return {
        "title": i.title,
        "business_unit": i.business_unit,
        "stage": i.stage,
        "owner": _person(i.owner),
        "technical_owner": _person(i.technical_owner),
        "on_call": None if i.on_call is None else {"team": i.on_call.team,
                                                   "contact": i.on_call.contact},
        "review_schedule": {"cadence": i.review.cadence,
                            "last_reviewed": i.review.last_reviewed,
                            "next_review_due": i.review.next_review_due},
    }


def identity_from_dict(raw: dict[str, Any]) -> Identity:
    """The identity a result's dict holds (all None when it has none: an older record)."""
    def person(value: Any) -> Person | None:
        return Person(value["name"], value["email"]) if isinstance(value, dict) else None

    paged, review = raw.get("on_call"), raw.get("review_schedule") or {}
    return Identity(
        title=raw.get("title"), business_unit=raw.get("business_unit"),
        stage=raw.get("stage"), owner=person(raw.get("owner")),
        technical_owner=person(raw.get("technical_owner")),
        on_call=OnCall(paged["team"], paged["contact"]) if isinstance(paged, dict) else None,
        review=ReviewSchedule(review.get("cadence"), review.get("last_reviewed"),
                              review.get("next_review_due")))


def decision_dict(d: Decision) -> dict[str, Any]:
    out = {
        "file": d.file,
        "use_case_id": d.use_case_id,
        "status": d.status,
        "tier": d.tier,
        **identity_dict(d.identity),
        "facts": d.facts,
        "controls": [
            {
                "id": c.id,
                "title": c.title,
                "status": c.status,
                "required_by": list(c.required_by),
                "needed": list(c.needed),
                "satisfied": c.satisfied,
            }
            for c in d.controls
        ],
        "approval_path": [
            {"role": s.role, "title": s.title, "required_by": list(s.required_by)}
            for s in d.approval_path
        ],
        "blocked": d.blocked,
        "findings": [finding_dict(f) for f in d.findings],
        "rules_fired": [{"rule": r.rule, "evidence": r.evidence} for r in d.rules_fired],
    }
    if d.review is not None:  # only where the pack declares a review gate
        out["review"] = review_dict(d.review)
    if d.signoffs:  # only where the pack requires sign-off: other output stays as it was
        out["signoffs"] = [signoff_dict(s) for s in d.signoffs]
        out["next_signer"] = d.next_signer
    return out


def report_dict(report: Report, *, results: bool = True) -> dict[str, Any]:
    return {
        "tool": {"name": "aipolicy", "version": report.tool_version},
        "pack": report.pack,
        "form": report.form,
        "as_of": report.as_of,
        "parameters": dict(sorted(report.parameters.items())),
        **({"results": [decision_dict(d) for d in report.decisions]} if results else {}),
        # the run's own findings (a waiver of an unknown use case): only when there are any
        **({"findings": [finding_dict(f) for f in report.findings]} if report.findings
           else {}),
        "summary": _summary(report),
    }


def _summary(report: Report) -> dict[str, Any]:
    """The run's counts; with a review gate, how many results need legal review, and
    under ``check --strict`` that those fail the run."""
    out = report.summary()
    if any(d.review is not None for d in report.decisions):
        out["needs_review"] = len(report.needing_review())
    if report.strict:
        out["strict"] = True
    return out


#: What :func:`json_safe` escapes in JSON text: C1 controls, DEL, separators, bidi
#: controls and noncharacters (JSON escapes the C0 controls itself); lone surrogates apart.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogate(match: re.Match[str]) -> str:
    # shown as text, as a JSON string holds it (its backslash escaped): a byte of a file
    # name that was not UTF-8 (``\udcff``) as the byte, ``\xff``; any other as ``\udxxx``
    code = ord(match.group())
    shown = f"x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"u{code:04x}"
    return "\\\\" + shown


def json_safe(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) that is valid UTF-8 and inert.

    C1 controls, DEL, separators, bidi controls and noncharacters become ``\\uXXXX``
    escapes, which decode to the same string; a lone surrogate (a byte of a file name that
    was not UTF-8), which UTF-8 cannot encode, becomes visible text (``\\xff``).
    """
    if _SURROGATE.search(text) is not None:
        text = _SURROGATE.sub(_surrogate, text)
    return _inert(text)


def _inert(text: str) -> str:
    """JSON text without a lone surrogate made inert (see :func:`json_safe`)."""
    if _JSON_UNSAFE.search(text) is not None:
        text = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


def decision_json(d: Decision) -> str:
    """The canonical JSON of a decision: one line of compact JSON, valid UTF-8 and inert
    when printed (:func:`json_safe`)."""
    if isinstance(d, JsonDecision):
        text = d.__dict__.get("_json")
        if text is not None:
            return str(text)
    return json_safe(json.dumps(decision_dict(d), ensure_ascii=False))


def finding_from_dict(raw: dict[str, Any]) -> Finding:
    return Finding(
        rule=raw["rule"], severity=raw["severity"], blocking=raw["blocking"],
        message=raw["message"], remediation=raw["remediation"], path=raw["path"],
        line=raw["line"], column=raw["column"], title=raw["title"],
        control=raw.get("control"), waived=raw["waived"], waiver=raw["waiver"],
        file=raw.get("file"), basis=raw.get("basis"),
    )


def decision_from_dict(raw: dict[str, Any]) -> Decision:
    """The decision whose :func:`decision_dict` is ``raw`` (lists back to tuples)."""
    return Decision(
        file=raw["file"],
        use_case_id=raw["use_case_id"],
        status=raw["status"],
        tier=raw["tier"],
        facts=raw["facts"],
        controls=tuple(
            ControlResult(c["id"], c["title"], c["status"], tuple(c["required_by"]),
                          tuple(c["needed"]), c["satisfied"])
            for c in raw["controls"]),
        approval_path=tuple(ApprovalStep(s["role"], s["title"], tuple(s["required_by"]))
                            for s in raw["approval_path"]),
        blocked=raw["blocked"],
        findings=tuple(finding_from_dict(f) for f in raw["findings"]),
        rules_fired=tuple(FiredRule(r["rule"], r["evidence"]) for r in raw["rules_fired"]),
        signoffs=tuple(SignoffState(**s) for s in raw.get("signoffs", ())),
        next_signer=raw.get("next_signer"),
        review=review_from_dict(raw.get("review")),
        identity=identity_from_dict(raw),
    )


#: The fields a :class:`JsonDecision` reads from its JSON when one is first asked for.
_DEFERRED = ("facts", "controls", "approval_path", "blocked", "findings", "rules_fired",
             "signoffs", "next_signer", "identity")


def as_json(decision: Decision) -> Decision:
    """``decision`` as a :class:`JsonDecision` when its canonical JSON holds it exactly;
    otherwise (a lone surrogate: a byte of a file name that was not UTF-8) itself."""
    raw = json.dumps(decision_dict(decision), ensure_ascii=False)
    if _SURROGATE.search(raw) is not None:
        return decision
    return JsonDecision.from_json(_inert(raw), decision.file, decision.use_case_id,
                                  decision.status, decision.tier, review=decision.review)


class JsonDecision(Decision):
    """A whole decision that travels as its canonical JSON.

    A worker process sends it (:func:`as_json`) instead of the decision's objects, which
    cost the parent several times as much to unpickle; the JSON reporter renders the text
    as it came (:func:`decision_json`). The fields a summary reads (file, use case id,
    status, tier) are set; the others are read from the JSON the first time any is asked
    for, so every reader sees the whole decision. Equal to any decision with the same
    fields.
    """

    @classmethod
    def from_json(cls, text: str, file: str, use_case_id: str | None, status: str,
                  tier: str | None, *, review: Review | None = None) -> JsonDecision:
        """The decision whose canonical JSON is ``text`` (its head fields given, and its
        review: whether a run under ``--strict`` fails is read without the rest)."""
        made = object.__new__(cls)
        state = made.__dict__
        state["file"] = file
        state["use_case_id"] = use_case_id
        state["status"] = status
        state["tier"] = tier
        state["review"] = review
        state["_json"] = text
        return made

    def __getattr__(self, name: str) -> Any:
        # only called for an attribute not set: one of the fields still in the JSON
        text = self.__dict__.get("_json")
        if name not in _DEFERRED or text is None:
            raise AttributeError(name)
        whole = decision_from_dict(json.loads(text))
        for each in _DEFERRED:
            self.__dict__[each] = getattr(whole, each)
        return self.__dict__[name]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Decision):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in _FIELDS)

    __hash__ = Decision.__hash__


_FIELDS = ("file", "use_case_id", "status", "tier", "review", *_DEFERRED)
