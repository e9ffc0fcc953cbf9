"""A generated portfolio for the report's tests: the shipped examples copied ``n`` times
with their identity varied (ids, business units, stages' review dates, a missing
on-call), laid out as a governance repository (``intake/``, ``waivers/``), with waivers
in every state the report sorts: open, expired, expiring soon and stale."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from .paths import EXAMPLES

UNITS = ("Human Resources", "Retail Banking", "Marketing", "Operations", "Finance")
AS_OF = "2026-11-22"

WAIVERS = """\
waivers:
  - id: WVR-OPEN
    rule: V-LOG-RETENTION
    use_case_id: HR-0042
    owner: {name: Wes Owner, email: wes.owner@example.com}
    approver: {name: Rita Risk, email: rita.risk@example.com}
    justification: Logs move to the archive next quarter.
    ticket: RISK-001
    granted: 2026-11-01
    expires: 2027-01-31
  - id: WVR-SOON
    rule: V-DEROGATION-PROFILING
    use_case_id: HR-0042
    owner: {name: Wes Owner, email: wes.owner@example.com}
    approver: {name: Rita Risk, email: rita.risk@example.com}
    justification: Accepted for the pilot while the design changes.
    ticket: RISK-002
    granted: 2026-11-01
    expires: 2026-12-10
  - id: WVR-GONE
    rule: V-LOG-RETENTION
    use_case_id: GEN-0004
    owner: {name: Wes Owner, email: wes.owner@example.com}
    approver: {name: Rita Risk, email: rita.risk@example.com}
    justification: Accepted for a trial that ended.
    ticket: RISK-003
    granted: 2026-08-01
    expires: 2026-11-01
  - id: WVR-STALE
    rule: V-LOG-RETENTION
    use_case_id: ENG-0311
    owner: {name: Wes Owner, email: wes.owner@example.com}
    approver: {name: Rita Risk, email: rita.risk@example.com}
    justification: Nothing left to waive.
    ticket: RISK-004
    granted: 2026-10-01
    expires: 2027-02-01
"""


def _line(text: str, key: str, value: str) -> str:
    """``text`` with the top-level (or, with leading spaces in ``key``, nested) line
    ``key: ...`` given ``value``: the examples are edited as text, so that YAML 1.2's
    reading of them (``yes`` is a string) stays as it is."""
    return re.sub(rf"^{key}: .*$", lambda _m: f"{key}: {value}", text, count=1,
                  flags=re.M)


def _varied(text: str, i: int, hostile: str | None) -> str:
    text = _line(text, "use_case_id", f'"GEN-{i:04d}"')
    unit = UNITS[i % len(UNITS)]
    text = _line(text, "business_unit", json.dumps(f"{hostile or ''}{unit}"))
    if hostile is not None:
        text = re.sub(r"^title: (.*)$", lambda m: "title: " + json.dumps(
            f"{hostile}{m.group(1)}"), text, count=1, flags=re.M)
    if i % 3 == 1:
        text = _line(text, "  next_review_due", f"2026-{10 + i % 3:02d}-{1 + i % 27:02d}")
    if i % 4 == 2:
        text = re.sub(r"^  on_call:\n(    .*\n)+", "", text, count=1, flags=re.M)
    return text


def write(root: Path, n: int = 24, *, hostile: str | None = None) -> Path:
    """``root/intake`` holds the twelve examples as shipped and ``n`` varied copies;
    ``root/waivers/waivers.yaml`` the waivers above. ``hostile`` is put before the title
    and business unit of every copy. Returns ``root``."""
    intake = root / "intake"
    intake.mkdir(parents=True)
    examples = sorted(EXAMPLES.glob("*.yaml"))
    for path in examples:
        shutil.copy(path, intake / path.name)
    for i in range(n):
        source = examples[i % len(examples)]
        text = _varied(source.read_text(), i, hostile)
        (intake / f"gen-{i:04d}-{source.name}").write_text(text)
    (root / "waivers").mkdir()
    (root / "waivers" / "waivers.yaml").write_text(WAIVERS)
    return root
