"""A compiled pack's inputs, frozen to JSON for the cache, and thawed without pydantic.

The cache holds the parsed data of each pack file and the validated pack as its
:mod:`aipolicy.pack.spec` values. :func:`thaw` rebuilds exactly those types, checking each
value's type on the way, so a cache hit needs neither the YAML parser nor pydantic and
hands the compiler what a miss would. JSON, never pickle: a cache file must not be able to
run code.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import TypeVar

from .provenance import reading_json, reading_of, sources_json, sources_of
from .spec import (
    ByParameter,
    Citation,
    ControlSpec,
    Effective,
    Enforcement,
    Escalation,
    EvidenceStatus,
    FactSpec,
    FormRef,
    GateSpec,
    HeadlineFactSpec,
    HeadlineSpec,
    Json,
    PackSpec,
    ParameterSpec,
    ParamType,
    ReportSpec,
    ReviewQuestionSpec,
    ReviewSpec,
    RoleSpec,
    RuleSpec,
    Severity,
    SignoffChangeSpec,
    SignoffSource,
    SignoffSpec,
    ViolationSpec,
    WaiverApproval,
    WaiverPolicy,
    optional_text,
    text,
)
from .spec import obj as _obj

FORMAT = 8  # 4: the waiver policy, roles' members, people, allow_not_applicable; 5: signoffs;
# 6: review; 7: escalation on rules and controls, the report section; 8: sources, reading

# ----------------------------------------------------------------------------- freezing


def _citations(cs: tuple[Citation, ...]) -> list[Json]:
    return [{"framework": c.framework, "clause": c.clause, "url": c.url} for c in cs]


def _gate(g: GateSpec) -> Json:
    return {"accept": list(g.accept), "enforcement": g.enforcement, "severity": g.severity}


def _gates(gates: Mapping[str, GateSpec]) -> dict[str, Json]:
    return {k: _gate(g) for k, g in gates.items()}


def _date(d: dt.date | None) -> Json:
    return None if d is None else d.isoformat()


def _effective(e: Effective | None) -> Json:
    if isinstance(e, ByParameter):
        return {"parameter": e.parameter, "values": {k: _date(d) for k, d in e.values.items()}}
    return _date(e)


def _rule(r: RuleSpec) -> Json:
    v = r.violation
    return {
        "id": r.id, "title": r.title, "description": r.description, "severity": r.severity,
        "enforcement": r.enforcement, "citations": _citations(r.citations),
        "effective_from": _effective(r.effective_from),
        "effective_until": _effective(r.effective_until),
        "when": r.when, "raise": dict(r.raise_),
        "add": {k: list(labels) for k, labels in r.add.items()},
        "require_controls": list(r.require_controls), "add_approvers": list(r.add_approvers),
        "violation": None if v is None else
        {"message": v.message, "remediation": v.remediation, "field": v.field},
        "escalation": r.escalation, "reading": reading_json(r.reading),
    }


def _pack(p: PackSpec) -> Json:
    return {
        "pack": p.pack, "version": p.version, "description": p.description,
        "form": None if p.form is None else p.form.id,
        "parameters": {k: {"description": x.description, "type": x.type,
                           "values": None if x.values is None else list(x.values),
                           "default": x.default} for k, x in p.parameters.items()},
        "scales": {k: list(values) for k, values in p.scales.items()},
        "facts": {k: {"description": f.description, "scale": f.scale, "default": f.default,
                      "labels": None if f.labels is None else list(f.labels)}
                  for k, f in p.facts.items()},
        "stage_field": p.stage_field,
        "roles": [{"id": r.id, "title": r.title, "description": r.description,
                   "members": list(r.members)} for r in p.roles],
        "approval_paths": {k: a if isinstance(a, str) else list(a)
                           for k, a in p.approval_paths.items()},
        "control_gates": _gates(p.control_gates),
        "controls": {k: {"title": c.title, "description": c.description,
                         "citations": _citations(c.citations),
                         "gates": None if c.gates is None else _gates(c.gates),
                         "valid_for_days": c.valid_for_days,
                         "allow_not_applicable": c.allow_not_applicable,
                         "escalation": c.escalation}
                     for k, c in p.controls.items()},
        "rules": [_rule(r) for r in p.rules],
        "waivers": _waiver_policy(p.waivers),
        "report": {"review_notice_days": p.report.review_notice_days},
        "headlines": [{"title": h.title, "column": h.column,
                       "facts": [{"fact": f.fact, "label": f.label, "omit_empty": f.omit_empty}
                                 for f in h.facts]} for h in p.headlines],
        "people": {k: list(v) for k, v in p.people.items()},
        "signoffs": _signoffs(p.signoffs),
        "review": _review(p.review), "sources": sources_json(p.sources),
    }


def _review(r: ReviewSpec | None) -> Json:
    if r is None:
        return None
    return {"fact": r.fact, "questions": {
        k: {"field": q.field, "title": q.title, "why": q.why, "article": q.article}
        for k, q in r.questions.items()}}


def _waiver_policy(w: WaiverPolicy) -> Json:
    return {"not_waivable": list(w.not_waivable), "notice_days": w.notice_days,
            "max_days": w.max_days,
            "by_severity": {k: {"approvers": list(a.approvers), "max_days": a.max_days}
                            for k, a in w.by_severity.items()}}


def _signoffs(g: SignoffSpec) -> Json:
    c = g.change
    return {"stages": list(g.stages), "source": g.source, "valid_days": g.valid_days,
            "owner_roles": list(g.owner_roles),
            "change": None if c is None else {"field": c.field, "values": list(c.values),
                                              "date": c.date},
            "citations": _citations(g.citations)}


def freeze(datas: list[Json], spec: PackSpec) -> str:
    """The cache entry for a pack: its files' data and its validated spec."""
    return json.dumps({"format": FORMAT, "docs": datas, "pack": _pack(spec)})


# ----------------------------------------------------------------------------- thawing
# Every reader checks the type it returns: a damaged entry raises (and is a miss).


def _list(v: Json) -> list[Json]:
    if not isinstance(v, list):
        raise ValueError("cache entry: not a list")
    return v




def _bool(v: Json) -> bool:
    if not isinstance(v, bool):
        raise ValueError("cache entry: not true or false")
    return v


def _strs(v: Json) -> tuple[str, ...]:
    return tuple(text(x) for x in _list(v))


def _opt_int(v: Json) -> int | None:
    if v is None or (isinstance(v, int) and not isinstance(v, bool)):
        return v
    raise ValueError("cache entry: not a whole number")


def _int(v: Json) -> int:
    found = _opt_int(v)
    if found is None:
        raise ValueError("cache entry: not a whole number")
    return found


T = TypeVar("T")


def _map(v: Json, item: Callable[[Json], T]) -> dict[str, T]:
    return {k: item(x) for k, x in _obj(v).items()}


_SEVERITY: dict[Json, Severity] = {
    "critical": "critical", "high": "high", "medium": "medium", "low": "low", "info": "info"}
_ENFORCEMENT: dict[Json, Enforcement] = {"blocking": "blocking", "advisory": "advisory"}
_STATUS: dict[Json, EvidenceStatus] = {
    "not_started": "not_started", "in_progress": "in_progress", "done": "done",
    "not_applicable": "not_applicable", "waived": "waived"}
_ESCALATION: dict[Json, Escalation] = {
    "local": "local", "budget": "budget", "vendor": "vendor", "policy": "policy"}


def _escalation_of(v: Json) -> Escalation | None:
    return None if v is None else _ESCALATION[v]


_PARAM_TYPE: dict[Json, ParamType] = {
    "string": "string", "integer": "integer", "number": "number", "boolean": "boolean",
    "date": "date"}


def _citations_of(v: Json) -> tuple[Citation, ...]:
    out = []
    for x in _list(v):
        c = _obj(x)
        out.append(Citation(framework=text(c["framework"]), clause=text(c["clause"]),
                            url=optional_text(c["url"])))
    return tuple(out)


def _gate_of(v: Json) -> GateSpec:
    g = _obj(v)
    return GateSpec(accept=tuple(_STATUS[s] for s in _list(g["accept"])),
                    enforcement=_ENFORCEMENT[g["enforcement"]], severity=_SEVERITY[g["severity"]])


def _date_of(v: Json) -> dt.date | None:
    return None if v is None else dt.date.fromisoformat(text(v))


def _effective_of(v: Json) -> Effective | None:
    if isinstance(v, dict):
        return ByParameter(parameter=text(v["parameter"]), values=_map(v["values"], _date_of))
    return _date_of(v)


def _rule_of(v: Json) -> RuleSpec:
    r = _obj(v)
    found = r["violation"]
    violation = None
    if found is not None:
        x = _obj(found)
        violation = ViolationSpec(message=text(x["message"]),
                                  remediation=text(x["remediation"]),
                                  field=optional_text(x["field"]))
    return RuleSpec(
        id=text(r["id"]), title=text(r["title"]), description=text(r["description"]),
        severity=_SEVERITY[r["severity"]], enforcement=_ENFORCEMENT[r["enforcement"]],
        citations=_citations_of(r["citations"]),
        effective_from=_effective_of(r["effective_from"]),
        effective_until=_effective_of(r["effective_until"]),
        when=r["when"], raise_=_map(r["raise"], text), add=_map(r["add"], _strs),
        require_controls=_strs(r["require_controls"]), add_approvers=_strs(r["add_approvers"]),
        violation=violation, escalation=_escalation_of(r["escalation"]),
        reading=reading_of(r["reading"]),
    )


def _parameter_of(v: Json) -> ParameterSpec:
    p = _obj(v)
    values = p["values"]
    return ParameterSpec(description=text(p["description"]), type=_PARAM_TYPE[p["type"]],
                         values=None if values is None else tuple(_list(values)),
                         default=p["default"])


def _fact_of(v: Json) -> FactSpec:
    f = _obj(v)
    labels = f["labels"]
    return FactSpec(description=text(f["description"]), scale=optional_text(f["scale"]),
                    default=optional_text(f["default"]),
                    labels=None if labels is None else _strs(labels))


def _role_of(v: Json) -> RoleSpec:
    r = _obj(v)
    return RoleSpec(id=text(r["id"]), title=text(r["title"]),
                    description=text(r["description"]), members=_strs(r["members"]))


def _control_of(v: Json) -> ControlSpec:
    c = _obj(v)
    gates = c["gates"]
    return ControlSpec(title=text(c["title"]), description=text(c["description"]),
                       citations=_citations_of(c["citations"]),
                       gates=None if gates is None else _map(gates, _gate_of),
                       valid_for_days=_opt_int(c["valid_for_days"]),
                       allow_not_applicable=_bool(c["allow_not_applicable"]),
                       escalation=_escalation_of(c["escalation"]))


def _waiver_policy_of(v: Json) -> WaiverPolicy:
    w = _obj(v)
    by_severity: dict[str, WaiverApproval] = {}
    for severity, x in _obj(w["by_severity"]).items():
        a = _obj(x)
        by_severity[_SEVERITY[severity]] = WaiverApproval(
            approvers=_strs(a["approvers"]), max_days=_opt_int(a["max_days"]))
    return WaiverPolicy(not_waivable=_strs(w["not_waivable"]),
                        notice_days=_int(w["notice_days"]),
                        max_days=_opt_int(w["max_days"]), by_severity=by_severity)


def _pack_of(v: Json) -> PackSpec:
    p = _obj(v)
    form = p["form"]
    return PackSpec(
        pack=text(p["pack"]), version=text(p["version"]), description=text(p["description"]),
        form=None if form is None else FormRef(id=text(form)),
        parameters=_map(p["parameters"], _parameter_of), scales=_map(p["scales"], _strs),
        facts=_map(p["facts"], _fact_of), stage_field=optional_text(p["stage_field"]),
        roles=tuple(_role_of(r) for r in _list(p["roles"])),
        approval_paths={k: "blocked" if a == "blocked" else _strs(a)
                        for k, a in _obj(p["approval_paths"]).items()},
        control_gates=_map(p["control_gates"], _gate_of),
        controls=_map(p["controls"], _control_of),
        rules=tuple(_rule_of(r) for r in _list(p["rules"])),
        waivers=_waiver_policy_of(p["waivers"]),
        report=ReportSpec(review_notice_days=_int(_obj(p["report"])["review_notice_days"])),
        headlines=tuple(_headline_of(h) for h in _list(p["headlines"])),
        people=_map(p["people"], _strs),
        signoffs=_signoffs_of(p["signoffs"]),
        review=_review_of(p["review"]), sources=sources_of(p["sources"]),
    )


def _review_of(v: Json) -> ReviewSpec | None:
    if v is None:
        return None
    r = _obj(v)

    def question(x: Json) -> ReviewQuestionSpec:
        q = _obj(x)
        return ReviewQuestionSpec(field=optional_text(q["field"]), title=optional_text(q["title"]),
                                  why=text(q["why"]), article=text(q["article"]))

    return ReviewSpec(fact=text(r["fact"]), questions=_map(r["questions"], question))


_SOURCE: dict[Json, SignoffSource] = {
    "intake": "intake", "approvals": "approvals", "either": "either"}


def _signoffs_of(v: Json) -> SignoffSpec:
    g = _obj(v)
    found = g["change"]
    change = None
    if found is not None:
        c = _obj(found)
        change = SignoffChangeSpec(field=text(c["field"]), values=_strs(c["values"]),
                                   date=text(c["date"]))
    return SignoffSpec(stages=_strs(g["stages"]), source=_SOURCE[g["source"]],
                       valid_days=_opt_int(g["valid_days"]), owner_roles=_strs(g["owner_roles"]),
                       change=change, citations=_citations_of(g["citations"]))


def _headline_of(v: Json) -> HeadlineSpec:
    h = _obj(v)
    return HeadlineSpec(
        title=text(h["title"]), column=optional_text(h["column"]),
        facts=tuple(HeadlineFactSpec(fact=text(f["fact"]), label=text(f["label"]),
                                     omit_empty=_bool(f["omit_empty"]))
                    for f in map(_obj, _list(h["facts"]))))


def thaw(raw: str) -> tuple[list[Json], PackSpec]:
    """The files' data and the pack's spec; ValueError (or KeyError, TypeError) for an
    entry of another format or a damaged one."""
    found: Json = json.loads(raw)
    entry = _obj(found)
    if entry.get("format") != FORMAT:
        raise ValueError("cache format")
    return _list(entry["docs"]), _pack_of(entry["pack"])
