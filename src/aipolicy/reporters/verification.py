"""``verify-record`` reports: what no longer reproduces, and why, as text (table),
Markdown or JSON. Pure functions of a :class:`~aipolicy.records.compare.Verification`.

Records hold submitter text (file names, use case ids, finding messages): every value is
made inert and short (:mod:`._text`) before it is shown; the JSON keeps the data whole
and safe to print (:func:`~._text.json_safe`).
"""

from __future__ import annotations

import json
from typing import Any

from aipolicy.records.compare import Change, Difference, Outcome, Verification

from ._text import MAX_ID, json_safe, path, show
from .markdown import code, md

#: A value shown in a difference, at most.
MAX_VALUE = 120
#: The differences of one record a text report shows (the JSON report has them all).
TEXT_DIFFERENCES = 12
#: The hex digits of a digest shown in a text report.
DIGEST_SHOWN = 12


def render(done: Verification, fmt: str) -> str:
    """The report of ``done`` in ``fmt`` (table, json or markdown)."""
    return {"table": table, "json": as_json, "markdown": markdown}[fmt](done)


def short(digest: str | None) -> str:
    if digest is None:
        return "none"
    return digest[:len("sha256:") + DIGEST_SHOWN] + "…"


def change_text(change: Change) -> str:
    name = "the pack" if change.kind == "pack" else (
        "the form" if change.kind == "form" else f"{change.kind} {change.name}")
    if change.kind == "intake":
        name = "the intake"
    if change.what == "changed":
        return f"{name} changed: {short(change.recorded)} → {short(change.now)}"
    if change.what == "added":
        return f"{name} bears on it now, and did not then: {short(change.now)}"
    if change.what == "removed":
        return f"{name} bore on it then, and does not now (removed): {short(change.recorded)}"
    return f"{name} cannot be read now (it was {short(change.recorded)})"


def value_text(value: Any) -> str:
    """A recorded or current value in a few words: absent, a scalar, a list's items, an
    object's status or message."""
    if value is None:
        return "absent"
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if "rule" in value and "evidence" in value:
            return "fired"
        for key in ("status", "message", "role"):
            if isinstance(value.get(key), str):
                return str(value[key])
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def difference_text(diff: Difference) -> str:
    return (f"{show(diff.field, MAX_ID * 2)}: {show(value_text(diff.recorded), MAX_VALUE)}"
            f" → {show(value_text(diff.now), MAX_VALUE)}")


def reasons(outcome: Outcome) -> list[str]:
    """What does not reproduce, one line each: the inputs changed, then the fields."""
    out = [show(change_text(c)) for c in outcome.changes]
    if outcome.problem is not None:
        out.append(show(outcome.problem))
    out += [difference_text(d) for d in outcome.differences[:TEXT_DIFFERENCES]]
    more = outcome.more + max(0, len(outcome.differences) - TEXT_DIFFERENCES)
    if more:
        out.append(f"… and {more} more difference{'s' if more != 1 else ''} (see "
                   "--format json)")
    if not outcome.differences and not outcome.problem and outcome.changes:
        out.append("the decision is the same")
    out += [f"note: {show(n)}" for n in outcome.notes]
    return out


def _who(outcome: Outcome) -> str:
    uc = f" ({show(outcome.use_case_id, MAX_ID)})" if outcome.use_case_id else ""
    return f"{path(outcome.file)}{uc}"


def _summary(done: Verification) -> str:
    s = done.summary()
    records = f"{s['records']} record{'s' if s['records'] != 1 else ''}"
    if s["not_reproduced"] == 0:
        result = "all reproduce" if s["records"] else "nothing to replay"
    else:
        result = (f"{s['reproduced']} reproduce, {s['not_reproduced']} "
                  f"do{'es' if s['not_reproduced'] == 1 else ''} not")
    problems = done.chain.problems
    if not problems:
        chain = f"the chain is intact (head {short(done.chain.head)})"
    else:
        chain = (f"the chain is broken: {len(problems)} problem"
                 f"{'s' if len(problems) != 1 else ''}, first at line {problems[0].line}")
    return f"{records}: {result}; {chain}"


def table(done: Verification) -> str:
    """One block per record that does not reproduce and per problem of the chain, in line
    order (``FILE:LINE: ...``), then a summary line."""
    where = path(done.chain.path)
    blocks: list[tuple[int, str]] = []
    for outcome in done.outcomes:
        if outcome.reproduced:
            continue
        lines = [f"{where}:{outcome.line}: {_who(outcome)} does not reproduce (recorded "
                 f"{show(outcome.recorded_at, MAX_ID)}, as of {show(outcome.as_of, MAX_ID)})"]
        lines += [f"    {r}" for r in reasons(outcome)]
        blocks.append((outcome.line, "\n".join(lines)))
    for problem in done.chain.problems:
        blocks.append((problem.line, f"{where}:{problem.line}: {show(problem.message)}"))
    blocks.sort(key=lambda b: b[0])
    body = "".join(text + "\n" for _line, text in blocks)
    return f"{body}{chr(10) if body else ''}{where}: {_summary(done)}\n"


def markdown(done: Verification) -> str:
    """A heading with the result, a table of what does not reproduce, the chain's problems."""
    ok = "✅" if done.ok else "❌"
    out = [f"## {ok} Decision records: {code(done.chain.path)}", "", md(_summary(done)), ""]
    failed = [o for o in done.outcomes if not o.reproduced]
    if failed:
        out += ["| line | file | use case | what no longer reproduces |", "|---|---|---|---|"]
        for o in failed:
            why = "<br>".join(md(r) for r in reasons(o))
            uc = md(o.use_case_id, MAX_ID) if o.use_case_id else "-"
            out.append(f"| {o.line} | {code(o.file, in_table=True)} | {uc} | {why} |")
        out.append("")
    if done.chain.problems:
        out += ["| line | problem with the file |", "|---|---|"]
        out += [f"| {p.line} | {md(p.message)} |" for p in done.chain.problems]
        out.append("")
    return "\n".join(out)


def _outcome_dict(o: Outcome) -> dict[str, Any]:
    return {
        "line": o.line,
        "file": o.file,
        "use_case_id": o.use_case_id,
        "recorded_at": o.recorded_at,
        "as_of": o.as_of,
        "reproduced": o.reproduced,
        "changes": [{"kind": c.kind, "name": c.name, "change": c.what,
                     "recorded": c.recorded, "now": c.now} for c in o.changes],
        "differences": [{"field": d.field, "recorded": d.recorded, "now": d.now}
                        for d in o.differences],
        "more_differences": o.more,
        "problem": o.problem,
        "notes": list(o.notes),
    }


def as_json(done: Verification) -> str:
    """The whole verification: the chain, each record's outcome (one line each, as the
    ``check`` JSON report has its results), a summary."""
    whole = {
        "tool": {"name": "aipolicy", "version": done.tool_version},
        "records": done.chain.path,
        "chain": {"intact": done.chain.intact, "lines": done.chain.lines,
                  "head": done.chain.head,
                  "problems": [{"line": p.line, "message": p.message, "chain": p.chain}
                               for p in done.chain.problems]},
        "summary": done.summary(),
    }
    head = json.dumps(whole, indent=2, ensure_ascii=False)
    parts = [json.dumps(_outcome_dict(o), ensure_ascii=False) for o in done.outcomes]
    lines = ",\n".join("    " + line for line in parts)
    body = f'"results": [\n{lines}\n  ]' if parts else '"results": []'
    cut = head.rindex('\n  "summary"')
    return json_safe(f"{head[:cut]}\n  {body},{head[cut:]}\n")
