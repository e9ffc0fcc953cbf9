"""A run's record lines: canonical JSON, framed once per run, chained."""

from __future__ import annotations

import datetime as dt
import json

from aipolicy.commands.check import check
from aipolicy.commands.settings import Settings
from aipolicy.records.line import GENESIS, canonical, chained, entries, line_digest
from aipolicy.serialize import decision_dict
from helpers.paths import AS_OF, EXAMPLES

WHEN = "2026-12-01T09:30:00Z"


def test_framed_lines_are_the_canonical_json_of_the_whole_record() -> None:
    report = check([str(EXAMPLES)], Settings(as_of=dt.date.fromisoformat(AS_OF)))
    digests = [f"sha256:{i:064x}" for i in range(len(report.decisions))]
    inputs = [("waiver", "waivers/\x1b\u202e.yaml", "sha256:" + "1" * 64)]
    lines = entries(report, digests, lambda uc: inputs if uc == "CS-0107" else [], WHEN)
    data, head = chained(lines, GENESIS)
    raw = data.splitlines()
    assert len(raw) == len(report.decisions)
    prev = GENESIS
    for line, decision, digest in zip(raw, report.decisions, digests, strict=True):
        record = json.loads(line)
        assert line == canonical(record).encode("ascii")  # sorted, compact, ASCII
        assert record == json.loads(canonical({
            "record": 1, "recorded_at": WHEN, "as_of": AS_OF,
            "tool": {"name": "aipolicy", "version": report.tool_version},
            "pack": report.pack, "form": report.form, "parameters": report.parameters,
            "intake": {"path": decision.file, "digest": digest},
            "inputs": ([{"kind": "waiver", "path": inputs[0][1], "digest": inputs[0][2]}]
                       if decision.use_case_id == "CS-0107" else []),
            "decision": decision_dict(decision), "prev": prev}))
        prev = line_digest(line)
    assert head == prev


def test_a_json_decision_is_recorded_as_the_same_data() -> None:
    day = dt.date.fromisoformat(AS_OF)
    plain = check([str(EXAMPLES)], Settings(as_of=day))
    as_json = check([str(EXAMPLES)], Settings(as_of=day), as_json=True)
    none = [None] * len(plain.decisions)
    a = chained(entries(plain, none, lambda uc: [], WHEN), GENESIS)
    b = chained(entries(as_json, none, lambda uc: [], WHEN), GENESIS)
    assert a == b
