"""``--format json``: the machine-readable contract (SPEC §6), byte-identical across runs.

The dicts are :mod:`aipolicy.serialize`'s; this module lays them out and makes the text
safe to print.
"""

from __future__ import annotations

import json

from aipolicy.decision import Decision, Report
from aipolicy.serialize import decision_json, report_dict

from ._text import json_safe


def result_line(decision: Decision) -> str:
    """One decision as it appears in the report: one line of compact JSON.

    Values are the data, whole (the JSON report is not padded, so its size stays linear in
    the input's), with :func:`~._text.json_safe` keeping the text valid UTF-8 and inert.
    """
    return decision_json(decision)


def render(report: Report) -> str:
    """The report, indented, with each submission's result on one line of its own.

    One line per result keeps large reports readable with grep and diff, and lets the
    C encoder write them: indenting everything would take the pure-Python encoder, four
    times slower on a run over thousands of submissions.
    """
    whole = report_dict(report, results=False)
    parts = [result_line(d) for d in report.decisions]
    head = json_safe(json.dumps(whole, indent=2, ensure_ascii=False))
    lines = ",\n".join("    " + line for line in parts)
    body = f'"results": [\n{lines}\n  ]' if parts else '"results": []'
    # put the results back where report_dict has them: before "summary"
    cut = head.rindex('\n  "summary"')
    return f"{head[:cut]}\n  {body},{head[cut:]}\n"
