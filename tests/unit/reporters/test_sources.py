"""What the reporters say of citations' sources: SARIF rule help gives each citation's basis
and date, Markdown a finding's sources when its rule rests on guidance or a contested
reading, and the table keeps one line per finding."""

from __future__ import annotations

import dataclasses
from typing import Any

from aipolicy.decision import Report
from aipolicy.info import Citation, RuleInfo
from aipolicy.reporters import get_reporter, markdown
from unit.reporters.test_reporters import sarif_run, tiny_report, with_finding

BASIS: dict[str, Any] = {"reading": "guidance", "note": "the one-third test", "citations": [
    {"framework": "EU AI Act", "clause": "Art. 3(63)", "basis": "binding",
     "date": "2024-07-12"},
    {"framework": "Guide *G*", "clause": "s. 3", "basis": "guidance", "date": None}]}


def _with_rules(report: Report, *citations: Citation) -> Report:
    return dataclasses.replace(report, rules={"R-ONE": RuleInfo(
        title="Rule one", description="One.", citations=citations)})


def test_sarif_help_gives_each_citation_s_basis_and_date() -> None:
    report = _with_rules(tiny_report(),
                         Citation("EU AI Act", "Art. 6", None, "binding", "2024-07-12"),
                         Citation("Guide", "s. 3", "https://example.org/g", "guidance", None),
                         Citation("Old", "1"))
    (rule,) = [r for r in sarif_run(report)["tool"]["driver"]["rules"] if r["id"] == "R-ONE"]
    text = rule["help"]["text"]
    assert ("Sources:\n- EU AI Act, Art. 6 (binding, 2024-07-12)\n"
            "- Guide, s. 3 (guidance, undated): https://example.org/g\n- Old, 1") in text
    assert ("- Guide, [s. 3](https://example.org/g) (guidance, undated)"
            in rule["help"]["markdown"])


def test_markdown_lists_the_sources_of_a_finding_with_a_basis_only() -> None:
    plain = markdown.finding_item(tiny_report().decisions[0].findings[0])
    assert "*sources*" not in plain
    based = with_finding(tiny_report(), basis=BASIS).decisions[0].findings[0]
    item = markdown.finding_item(based)
    assert item.startswith(plain)
    assert item.endswith(r" — *sources*: EU AI Act Art\. 3\(63\) \(binding, 2024\-07\-12\); "
                         r"Guide \*G\* s\. 3 \(guidance, undated\)")


def test_the_table_keeps_one_line_per_finding() -> None:
    report = with_finding(tiny_report(), basis=BASIS,
                          message="Too risky. This rests on a guide (guidance, undated).")
    before = get_reporter("table")(tiny_report())
    after = get_reporter("table")(report)
    assert len(after.splitlines()) == len(before.splitlines())
