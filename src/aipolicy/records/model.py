"""A record line as read back: frozen pydantic models that refuse unknown keys and values
of the wrong kind (only the reader needs them: writing a record never imports pydantic)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

DIGEST = r"^sha256:[0-9a-f]{64}$"
TIMESTAMP = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$"
DATE = r"^\d{4}-\d\d-\d\d$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)


class Tool(_Strict):
    name: Literal["aipolicy"]
    version: str


class PackRef(_Strict):
    name: str
    version: str
    digest: str = Field(pattern=DIGEST)


class FormRef(_Strict):
    id: str
    digest: str = Field(pattern=DIGEST)


class IntakeRef(_Strict):
    path: str
    #: None: the file could not be read (its decision is in ``error``)
    digest: str | None = Field(pattern=DIGEST)


class InputRef(_Strict):
    kind: Literal["waiver", "approval"]
    path: str
    digest: str = Field(pattern=DIGEST)


class RecordLine(_Strict):
    """One line of a record file, as read back (unknown keys are refused)."""

    record: Literal[1]
    recorded_at: str = Field(pattern=TIMESTAMP)
    as_of: str = Field(pattern=DATE)
    tool: Tool
    pack: PackRef
    form: FormRef
    intake: IntakeRef
    inputs: list[InputRef]
    parameters: dict[str, Any]
    decision: dict[str, Any]
    prev: str = Field(pattern=DIGEST)
