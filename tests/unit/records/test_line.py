"""A run's record lines: ASCII JSON, framed once per run, chained."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from aipolicy.commands.check import check
from aipolicy.commands.settings import Settings
from aipolicy.records.line import GENESIS, ascii_json, canonical, chained, entries, line_digest
from aipolicy.serialize import decision_dict, decision_json
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
        assert line.isascii()
        # the record's keys sorted and compact; its decision the report's very text
        text = ascii_json(decision_json(decision))
        assert line == canonical({**record, "decision": None}).encode().replace(
            b'"decision":null', b'"decision":' + text.encode())
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


@pytest.mark.parametrize("text", ["plain", "caf\u00e9 \u203a \u2014", "\U0001f600 and \u2028",
                                  "\\u00e9 already escaped", "\udc80 lone"])
def test_ascii_json_is_the_same_value_in_ascii(text: str) -> None:
    raw = json.dumps({"k": text, "n": [1, "\u00e9"]}, ensure_ascii=False)
    out = ascii_json(raw)
    assert out.isascii()
    assert json.loads(out) == json.loads(raw)
    assert out == json.dumps(json.loads(raw))  # what json writes with ensure_ascii


@pytest.mark.parametrize("text", ["plain", "caf\u00e9 \u203a", "\U0001f600", "del\x7f",
                                  "\u2028\u202e\x85 \ufffe", "ctl\x01\x1b", "\udcff byte"])
def test_a_decision_s_text_is_the_json_report_s_escaped_to_ascii(text: str) -> None:
    from aipolicy.decision import Decision, Finding
    from aipolicy.records.line import decision_text
    from aipolicy.serialize import as_json

    made = Decision(file=f"intake/{text}.yaml", use_case_id=text, status="fail", tier="low",
                    findings=(Finding(rule="R", severity="high", blocking=True,
                                      message=f"given {text}"),))
    expected = ascii_json(decision_json(made))
    assert decision_text(made) == expected
    assert decision_text(as_json(made)) == expected
    assert expected.isascii()
