"""``report --format csv``: one row per use case (the portfolio's ``use_cases``), for
spreadsheets and GRC imports. RFC 4180 (the csv module; CRLF line ends, quoted where
needed); the columns are :data:`COLUMNS`, in that order.

Submitter text is defused for spreadsheets: control characters are escaped (a value stays
on its row), and a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return, which a spreadsheet would run as a formula, gets a leading ``'``.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from aipolicy.reporters._text import MAX_TEXT, show

COLUMNS = ("use_case_id", "file", "title", "business_unit", "stage", "owner",
           "technical_owner", "status", "tier", "category", "review_state",
           "next_review_due", "last_reviewed", "open_findings", "blocking_findings",
           "waived_findings", "controls_required", "controls_done", "next_signer",
           "exceptions_open")
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA):
        text = "'" + text
    return show(text, MAX_TEXT)


def render(portfolio: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in portfolio.get("use_cases") or []:
        writer.writerow([cell(row.get(c)) for c in COLUMNS])
    return out.getvalue()
