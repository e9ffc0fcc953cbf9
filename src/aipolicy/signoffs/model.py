"""The reviewer-owned approvals file as frozen pydantic models.

A file under ``approvals/`` holds one approval (a mapping) or a list of them under
``approvals:``; each is an entry of the intake form's ``approvals`` block plus the
``use_case_id`` it is for. Unknown keys are errors (``extra="forbid"``), so a misspelt key
is reported with its line rather than ignored. Every field has a ``title``: messages name
the field by it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

#: What an approver can decide (the form's ``approvals[].decision``).
Verdict = Literal["approved", "approved_with_conditions", "rejected", "deferred"]

EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Approval(_Frozen):
    """One decision by one approver for one role on one use case's approval path."""

    use_case_id: str = Field(min_length=1, title="Use case ID",
                             description="The use case the decision is for, e.g. HR-0042.")
    role: str = Field(min_length=1, title="Approver role",
                      description="The approving role as the rule pack names it, e.g. "
                      "ai_risk_committee.")
    decision: Verdict = Field(title="Decision", description="approved, "
                              "approved_with_conditions, rejected, or deferred.")
    date: dt.date = Field(title="Decision date",
                          description="The date of the decision (YYYY-MM-DD).")
    approver: str = Field(pattern=EMAIL, title="Approver email",
                          description="E-mail address of the person who took the decision "
                          "for that role.")
    conditions: str | None = Field(default=None, title="Conditions",
                                   description="Any conditions attached to the approval.")


class ApprovalsFile(_Frozen):
    """A file of several approvals: ``approvals: [...]``."""

    approvals: tuple[Approval, ...] = Field(min_length=1, title="Approvals")


def approval_json_schema() -> dict[str, Any]:
    """The JSON Schema of an approvals file (one approval, or a list under ``approvals:``):
    what ``aipolicy schema approval`` prints for editors."""
    from aipolicy.file_schema import one_or_many

    return one_or_many(Approval, ApprovalsFile, schema_id="urn:aipolicy:schema:approval",
                       title="aipolicy approvals file",
                       description="One approval, or a list of approvals under `approvals:`.")
