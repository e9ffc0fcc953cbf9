"""The findings a decision carries beyond the form's: one for each rule that holds with
a violation, and those on the evidence of the controls the rules require."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aipolicy.decision import ControlResult, Finding
from aipolicy.pack.compiled import CompiledPack
from aipolicy.sources.documents import SourceDoc
from aipolicy.wording import quoted


def violation_finding(pack: CompiledPack, rule: Any, doc: SourceDoc, found: dict[str, Any],
               params: dict[str, Any]) -> Finding:
    v = rule.violation
    field = v.field
    if field is None:
        field = next((k for k in found if ":" not in k), None)
    path = tuple(field.split(".")) if field else ()
    line, column = doc.position(path)
    basis = pack.rule_bases.get(rule.id)  # guidance or a contested reading: say so
    return Finding(
        rule=rule.id,
        severity=rule.severity,
        blocking=rule.enforcement == "blocking",
        message=v.message.strip() + ("" if basis is None else " " + basis.sentence)
        + _given(pack, rule.id, field, found, params),
        remediation=v.remediation.strip(),
        path=field,
        line=line,
        column=column,
        title=rule.title,
        basis=None if basis is None else basis.as_dict(),
    )


#: How many answers a rule's finding quotes, and how much of each.
SHOWN_ANSWERS = 4
SHOWN_CHARS = 80


def _given(pack: CompiledPack, rule_id: str, field: str | None, found: dict[str, Any],
           params: dict[str, Any]) -> str:
    """`` Given: <field title>: <value>; … In force: <parameter> = <value>.`` — the answers
    that made a rule hold, by the form's titles, and the parameters it compared them with."""
    fields = sorted((k for k in found if ":" not in k),
                    key=lambda k: (k != field and not k.startswith(f"{field}."), k))
    answers = [f"{pack.form.title_path(k.split('.'))}: {_shown(found[k])}"
               for k in fields[:SHOWN_ANSWERS]]
    names = [k.partition(":")[2] for k in found if k.startswith("parameter:")]
    model = next((r for r in pack.model.rules if r.id == rule_id), None)
    for name in _parameters(model.when if model is not None else None):
        if name not in names:
            names.append(name)
    in_force = [f"{name} = {_shown(params[name])}" for name in names if name in params]
    text = f" Given: {'; '.join(answers)}." if answers else ""
    return text + (f" In force: {'; '.join(in_force)}." if in_force else "")


def _parameters(when: Any) -> list[str]:
    """The parameters a condition compares answers with (``{parameter: name}`` values)."""
    out: list[str] = []
    stack = [when]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            name = node.get("parameter")
            if len(node) == 1 and isinstance(name, str) and name not in out:
                out.append(name)
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return out


def _shown(value: Any) -> str:
    """An answer as a finding quotes it: short, on one line."""
    if value is None:
        text = "not given"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            text = f"{len(value)} entr{'y' if len(value) == 1 else 'ies'}"
        else:
            text = ", ".join(_shown(v) for v in value[:10]) if value else "none"
    elif isinstance(value, dict):
        text = "given"
    else:
        try:
            text = str(value)
        except ValueError:  # a whole number too long to write out
            text = "a very large number"
    return quoted(" ".join(text.split()), SHOWN_CHARS - 1)


def control_findings(
    pack: CompiledPack, data: Any, doc: SourceDoc, required: dict[str, list[str]],
    as_of: dt.date,
) -> tuple[tuple[ControlResult, ...], list[Finding]]:
    """Where the evidence of each required control stands, and a finding for each that
    falls short of its stage's gate: one for all those not listed at all (with the lines
    to paste), one at its own line for each listed but short, stale or dated ahead."""
    model = pack.model
    if not required:
        return (), []
    stage = data.get(pack.stage_field) if isinstance(data, dict) else None
    field = pack.form.controls_field  # the list of control evidence
    listed = data.get(field) if isinstance(data, dict) else None
    evidence_at: dict[str, tuple[int, dict[str, Any]]] = {}
    if isinstance(listed, list):
        for i, item in enumerate(listed):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                evidence_at.setdefault(item["id"], (i, item))
    results: list[ControlResult] = []
    findings: list[Finding] = []
    unlisted: dict[tuple[str, bool, tuple[str, ...]], list[tuple[str, Any, tuple[str, ...]]]] = {}
    for cid, control in model.controls.items():
        if cid not in required:
            continue
        by = tuple(sorted(set(required[cid])))
        gates = control.gates if control.gates is not None else model.control_gates
        gate = gates.get(stage) if isinstance(stage, str) else None
        index, item = evidence_at.get(cid, (None, {}))
        found = item.get("status")
        status = found if isinstance(found, str) else "missing"
        accept: tuple[str, ...] = tuple(gate.accept) if gate is not None else ()
        ok = gate is None or status in accept
        missing_na: tuple[bool, bool] | None = None  # (pack permission, reason) lacking
        if gate is not None and status == "not_applicable":
            allowed = "not_applicable" in accept or control.allow_not_applicable
            reason = item.get("waiver_reason")
            reasoned = isinstance(reason, str) and bool(reason.strip())
            ok = allowed and reasoned
            missing_na = None if ok else (not allowed, not reasoned)
        ahead = ok and gate is not None and status != "not_applicable" \
            and _dated_ahead(item, as_of)
        stale = ok and not ahead and gate is not None and status != "not_applicable" \
            and _stale(control.valid_for_days, item, as_of)
        good = ok and not stale and not ahead
        results.append(ControlResult(cid, control.title, status, by, accept, good))
        if good or gate is None:
            continue
        blocking = gate.enforcement == "blocking"
        if index is None:
            unlisted.setdefault((gate.severity, blocking, accept), []).append(
                (cid, control, by))
            continue
        where: tuple[str | int, ...] = (field, index)
        at = ".".join(str(p) for p in where)
        if ahead:
            line, column = doc.position((*where, "date"))
            findings.append(Finding(
                rule="AIP007", severity=gate.severity, blocking=blocking,
                message=f"The evidence for control {cid} ({control.title}) is dated "
                        f"{item.get('date')}, after the evaluation date {as_of.isoformat()}; "
                        "evidence from the future does not count.",
                remediation=f"Give the date the evidence of {cid} was produced (YYYY-MM-DD, "
                            f"on or before {as_of.isoformat()}); if the work is still "
                            "planned, set its status to what it is today.",
                path=f"{at}.date", line=line, column=column, title=control.title,
                control=cid,
            ))
            continue
        line, column = doc.position(where)
        if stale:
            findings.append(Finding(
                rule="AIP004", severity=gate.severity, blocking=blocking,
                message=f"The evidence for control {cid} ({control.title}) is dated "
                        f"{item.get('date') or 'nowhere'}; it must be at most "
                        f"{control.valid_for_days} days old.",
                remediation=f"Renew it: {control.description.strip()} Then update the date "
                            f"and evidence link of {cid} under {field}:.",
                path=at, line=line, column=column, title=control.title, control=cid,
            ))
            continue
        if missing_na is not None:
            findings.append(_not_applicable(cid, control.title, by, stage, accept, missing_na,
                                            gate.severity, blocking, at, line, column, field))
            continue
        wanted = " or ".join(accept)
        extra = (" A control cannot be waived in the submission; ask the risk team for a "
                 "waiver." if status == "waived" else "")
        findings.append(Finding(
            rule="AIP003",
            severity=gate.severity,
            blocking=blocking,
            message=f"Control {cid} ({control.title}) is required by {', '.join(by)} and is "
                    f"'{status}'; at stage {stage} it must be {wanted}.",
            remediation=f"{control.description.strip()} Record it under {field}: with id "
                        f"{cid}, status {accept[-1]}, the date and a link to the evidence."
                        + extra,
            path=at,
            line=line,
            column=column,
            title=control.title,
            control=cid,
        ))
    line, column = doc.position((field,))
    for (severity, blocking, accept), missing in unlisted.items():
        findings.append(_unlisted(missing, stage, severity, blocking, accept, line, column,
                                  field))
    return tuple(results), findings


def _not_applicable(cid: str, title: str, by: tuple[str, ...], stage: Any,
                    accept: tuple[str, ...], lacking: tuple[bool, bool], severity: str,
                    blocking: bool, at: str, line: int, column: int, field: str) -> Finding:
    """The finding for a control marked ``not_applicable`` that does not satisfy its gate:
    the pack does not accept that for it, or no reason is given, or both (``lacking``)."""
    not_allowed, no_reason = lacking
    why = []
    if not_allowed:
        why.append(f"the pack does not accept not_applicable for it at stage {stage}")
    if no_reason:
        why.append("it gives no reason (waiver_reason)")
    todo = []
    if no_reason:
        todo.append(f"Say under {field}: why {cid} does not apply (waiver_reason).")
    if not_allowed:
        todo.append(f"Put the control in place (status {' or '.join(accept)}), or ask the "
                    f"risk team for a waiver of AIP003 with control: {cid}.")
    return Finding(
        rule="AIP003", severity=severity, blocking=blocking,
        message=f"Control {cid} ({title}) is required by {', '.join(by)} and is marked "
                f"not_applicable, but {' and '.join(why)}.",
        remediation=" ".join(todo), path=at, line=line, column=column, title=title,
        control=cid)


def _unlisted(missing: list[tuple[str, Any, tuple[str, ...]]], stage: Any, severity: str,
              blocking: bool, accept: tuple[str, ...], line: int, column: int,
              field: str = "controls") -> Finding:
    """One finding for the required controls a submission does not list, with the entries
    to paste under ``controls:`` (the form's ``field`` of control evidence)."""
    wanted = " or ".join(accept)
    if len(missing) == 1:
        (cid, control, by), = missing
        message = (f"Control {cid} ({control.title}) is required by {', '.join(by)} and is "
                   f"not listed under {field}; at stage {stage} it must be {wanted}.")
        todo = f"{control.description.strip()} "
    else:
        names = "; ".join(f"{cid} ({control.title}, required by {', '.join(by)})"
                          for cid, control, by in missing)
        message = (f"{len(missing)} required controls are not listed under {field}: "
                   f"{names}. At stage {stage} each must be {wanted}.")
        todo = ""
    snippet = "\n".join(f"  - {{id: {cid}, status: {accept[-1]}, date: YYYY-MM-DD, "
                        "evidence: LINK}" for cid, _control, _by in missing)
    return Finding(
        rule="AIP003", severity=severity, blocking=blocking, message=message,
        remediation=f"{todo}Put each in place, then add under {field}: (with the status "
                    f"it has, the date and a link to the evidence):\n{field}:\n{snippet}",
        path=field, line=line, column=column,
        title="Controls and evidence" if len(missing) > 1 else missing[0][1].title,
        control=missing[0][0] if len(missing) == 1 else None,
    )


def _dated_ahead(item: dict[str, Any], as_of: dt.date) -> bool:
    """Whether the evidence is dated after the evaluation date."""
    when = item.get("date")
    try:
        dated = dt.date.fromisoformat(when) if isinstance(when, str) else None
    except ValueError:
        dated = None
    return dated is not None and dated > as_of


def _stale(days: int | None, item: dict[str, Any], as_of: dt.date) -> bool:
    """Whether evidence that must be at most ``days`` old is older, or undated."""
    if days is None:
        return False
    when = item.get("date")
    try:
        dated = dt.date.fromisoformat(when) if isinstance(when, str) else None
    except ValueError:
        dated = None
    return dated is None or (as_of - dated).days > days
