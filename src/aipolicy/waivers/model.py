"""The waiver file format as frozen pydantic models (``aipolicy schema waiver``).

A waiver file holds one waiver (a mapping) or a list of them under ``waivers:``. Unknown
keys are errors (``extra="forbid"``), so a misspelt key is reported with its line instead
of being ignored; dates are real dates written YYYY-MM-DD, and nothing else.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from . import spec as s

RULE_ID = r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$"
CONTROL_ID = r"^CTRL-[A-Z0-9]+(-[A-Z0-9]+)*$"
EMAIL = r"^[^@\s]+@[^@\s]+$"


def _iso_date(value: Any) -> Any:
    """A date only as YYYY-MM-DD text (not a number of seconds, not 2026-1-5)."""
    from aipolicy.form.checks import is_date

    if isinstance(value, dt.date):
        return value
    if not is_date(value):
        raise ValueError("must be a date written YYYY-MM-DD, such as 2027-01-31")
    return dt.date.fromisoformat(value)


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
Text = Annotated[str, BeforeValidator(_stripped), Field(min_length=1)]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Person(_Frozen):
    """Someone a waiver names."""

    name: Text = Field(title="Name", description="The person's full name.")
    email: Annotated[str, BeforeValidator(_stripped)] = Field(
        pattern=EMAIL, title="E-mail",
        description="The person's e-mail address (compared in any case).")


class Waiver(_Frozen):
    """An accepted exception: one rule's findings for one use case, for a time."""

    id: Text = Field(title="Waiver ID", description="Unique across every waiver file, "
                     "e.g. WVR-2026-014; never reused.")
    rule: str = Field(pattern=RULE_ID, title="Rule",
                      description="The id of the rule whose findings the waiver covers.")
    use_case_id: Text = Field(title="Use case ID",
                              description="The use_case_id of the submission it covers.")
    owner: Person = Field(title="Waiver owner", description="Who is accountable for the "
                          "gap and for closing it before the waiver expires.")
    approver: Person = Field(title="Approver", description="Who accepted the risk: not the "
                             "use case's owner or technical owner, nor the waiver's owner.")
    justification: Text = Field(title="Justification", description="Why the gap is "
                                "acceptable for now, and what limits the risk meanwhile.")
    ticket: Text = Field(title="Ticket", description="The ticket or record of the decision.")
    granted: IsoDate = Field(title="Granted on", description="The day it was approved.")
    expires: IsoDate = Field(title="Expires on", description="The last day it is in force.")
    controls: tuple[Annotated[str, Field(pattern=CONTROL_ID)], ...] = Field(
        default=(), title="Compensating controls",
        description="Control ids of the pack's catalogue that limit the risk meanwhile.")
    control: str | None = Field(
        default=None, pattern=CONTROL_ID, title="Control",
        description="Covers only the finding on this control (AIP003, AIP004, AIP007).")
    path: str | None = Field(default=None, min_length=1, title="Field path",
                             description="Covers only the finding on this intake field.")

    @model_validator(mode="after")
    def _in_order(self) -> Waiver:
        if self.expires < self.granted:
            raise ValueError(f"expires ({self.expires}) is before granted ({self.granted})")
        return self

    def spec(self) -> s.WaiverSpec:
        """The waiver as the plain values the layer reads."""
        return s.WaiverSpec(
            id=self.id, rule=self.rule, use_case_id=self.use_case_id,
            owner=s.Person(self.owner.name, self.owner.email),
            approver=s.Person(self.approver.name, self.approver.email),
            justification=self.justification, ticket=self.ticket, granted=self.granted,
            expires=self.expires, controls=self.controls, control=self.control,
            path=self.path)


class WaiverList(_Frozen):
    """A file of several waivers."""

    waivers: tuple[Waiver, ...] = Field(title="Waivers")


#: The titles of a waiver's fields, for messages.
TITLES: dict[str, str] = {
    **{name: str(f.title) for name, f in Person.model_fields.items()},
    **{name: str(f.title) for name, f in Waiver.model_fields.items()},
}


def waiver_json_schema() -> dict[str, Any]:
    """The JSON Schema of a waiver file (one waiver, or a list under ``waivers:``)."""
    from aipolicy.file_schema import one_or_many

    return one_or_many(Waiver, WaiverList, schema_id="urn:aipolicy:schema:waiver",
                       title="aipolicy waiver file",
                       description="One waiver, or a list of waivers under `waivers:`.")
