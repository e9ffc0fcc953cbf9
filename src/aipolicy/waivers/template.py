"""``aipolicy new waiver``: a prefilled, commented waiver for one rule and use case.

The people, the justification and the ticket are left empty, so the file is refused
(exit 2, with the line of each) until someone fills them in: a template committed as it
came can never waive anything.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aipolicy.pack.spec import WaiverPolicy

#: The longest a waiver runs when the pack's policy sets no limit.
DEFAULT_DAYS = 90


def longest_days(policy: WaiverPolicy, severity: str | None) -> int:
    """The longest a waiver of a finding of ``severity`` may run (None: the finding's
    severity is not known in advance, an engine finding's: the shortest of any)."""
    if severity is None:
        limits = [a.max_days for a in policy.by_severity.values() if a.max_days]
        if policy.max_days:
            limits.append(policy.max_days)
        return min(limits, default=DEFAULT_DAYS)
    rule = policy.by_severity.get(severity)
    if rule is not None and rule.max_days:
        return rule.max_days
    return policy.max_days or DEFAULT_DAYS


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render(*, rule: str, title: str, severity: str | None, use_case_id: str,
           granted: dt.date, policy: WaiverPolicy,
           role_titles: Mapping[str, str]) -> str:
    """The waiver's text."""
    days = longest_days(policy, severity)
    expires = granted + dt.timedelta(days=days)
    approval = policy.by_severity.get(severity) if severity is not None else None
    roles = ", ".join(f"{role_titles.get(r, r)} ({r})" for r in approval.approvers) \
        if approval is not None and approval.approvers else ""
    who = (f"# Who may approve a waiver of a {severity} finding: {roles}.\n" if roles else "")
    kind = f"a {severity} finding" if severity else "this finding"
    lines = [
        f"# A waiver of {rule} ({_one_line(title)}) for use case {json.dumps(use_case_id)}.",
        "# Fill in every empty value: aipolicy refuses this file (exit 2) until then.",
        "# The approver may be neither the use case's owner or technical owner nor the",
        "# waiver's owner.",
        who.rstrip("\n"),
        f"id: {json.dumps(f'WVR-{granted:%Y%m%d}-{use_case_id}-{rule}')}"
        "  # unique across every waiver, never reused",
        f"rule: {rule}",
        f"use_case_id: {json.dumps(use_case_id)}",
        "owner:  # who closes the gap before the waiver expires",
        '  name: ""',
        '  email: ""',
        "approver:  # who accepted the risk",
        '  name: ""',
        '  email: ""',
        'justification: ""  # why the gap is acceptable for now, and what limits the risk',
        'ticket: ""  # the ticket or record of the decision',
        f"granted: {granted.isoformat()}",
        f"expires: {expires.isoformat()}  # the last day in force; {kind}'s waiver runs at "
        f"most {days} days",
        "# controls: [CTRL-...]  # compensating controls of the pack's catalogue",
        "# control: CTRL-...  # only the finding on this control (AIP003, AIP004, AIP007)",
        "# path: field.path  # only the finding on this intake field",
    ]
    return "\n".join(line for line in lines if line) + "\n"
