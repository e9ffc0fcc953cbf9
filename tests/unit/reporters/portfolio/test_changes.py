"""The drift section as text and Markdown: exact output, nothing without --compare-to,
and submitter text made inert."""

from __future__ import annotations

from typing import Any

from aipolicy.reporters.portfolio.changes import markdown_section, table_section


def changes(**lists: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "since": {"kind": "revision", "ref": "HEAD~1", "as_of": "2026-10-01"},
        "tier_mix": {"low": {"then": 1, "now": 1, "delta": 0},
                     "high": {"then": 2, "now": 3, "delta": 1}},
        "use_cases_added": [], "use_cases_retired": [], "exceptions_new": [],
        "exceptions_closed": [], "reviews_became_overdue": [], "controls_completed": [],
        "status_changed": []}
    out.update(lists)
    return out


SAMPLE = changes(
    exceptions_new=[{"id": "W-2", "use_case_id": "UC-1", "rule": "R-FRIA", "control": None,
                     "expires": "2027-01-31", "state": "open"}],
    reviews_became_overdue=[{"use_case_id": "UC-2", "file": "intake/b.yaml",
                             "next_review_due": "2026-11-01", "days_until": -21}])


def test_nothing_without_compare_to() -> None:
    assert table_section(None) == ""
    assert markdown_section(None) == ""


def test_the_table_section() -> None:
    assert table_section(SAMPLE) == """\
Changes since HEAD~1 (revision, as of 2026-10-01)

Tier mix:
  tier    then    now    change
  ------  ------  -----  --------
  low     1       1      0
  high    2       3      +1

Use cases added: none

Use cases retired: none

New exceptions (1):
  waiver    use case    waives    expires     state
  --------  ----------  --------  ----------  -------
  W-2       UC-1        R-FRIA    2027-01-31  open

Exceptions closed: none

Reviews that became overdue (1):
  use case    next review due    days overdue
  ----------  -----------------  --------------
  UC-2        2026-11-01         21

Controls completed: none

Status changed: none
"""


def test_the_markdown_section() -> None:
    assert markdown_section(SAMPLE) == """\
## Changes since HEAD\\~1 \\(revision, as of 2026\\-10\\-01\\)

### Tier mix

| Tier | Then | Now | Change |
| --- | --- | --- | --- |
| low | 1 | 1 | 0 |
| high | 2 | 3 | \\+1 |

### Use cases added (0)

None.

### Use cases retired (0)

None.

### New exceptions (1)

| Waiver | Use case | Waives | Expires | State |
| --- | --- | --- | --- | --- |
| `W-2` | `UC-1` | `R-FRIA` | 2027\\-01\\-31 | open |

### Exceptions closed (0)

None.

### Reviews that became overdue (1)

| Use case | Next review due | Days overdue |
| --- | --- | --- |
| `UC-2` | 2026\\-11\\-01 | 21 |

### Controls completed (0)

None.

### Status changed (0)

None.
"""


HOSTILE = "x\n# owned\x1b[31m | <img src=x> =cmd"


def test_submitter_text_is_inert_in_both() -> None:
    bad = changes(
        since={"kind": "records", "ref": HOSTILE, "as_of": "2026-10-01"},
        use_cases_added=[{"use_case_id": HOSTILE, "file": HOSTILE, "title": HOSTILE,
                          "business_unit": HOSTILE, "stage": HOSTILE, "tier": HOSTILE,
                          "status": "fail"}],
        controls_completed=[{"use_case_id": "UC`1", "control": HOSTILE}])
    text = table_section(bad)
    assert "\x1b" not in text
    assert "\n# owned" not in text
    assert "x\\n# owned\\x1b[31m" in text
    mark = markdown_section(bad)
    assert "\x1b" not in mark
    assert "<img" not in mark
    assert "\n# owned" not in mark
    # no "|" of a value splits a cell: the row has its five cells
    added = next(line for line in mark.splitlines() if "owned" in line and "fail" in line)
    assert added.replace("\\|", "").count("|") == 6  # five cells
