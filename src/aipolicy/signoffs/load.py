"""Reading sign-offs: the reviewer-owned approvals files, and the entries of a submission's
own ``approvals:`` block, as one kind of value (:class:`Entry`).

An approvals file that cannot be read, is malformed, has an unknown key, a bad date or a
role the pack does not declare stops the run with a :class:`ConfigError` naming its
file:line, before any submission is evaluated: a reviewer's typo is never ignored. A
submission's own entries are checked by the form (a malformed one makes the submission
incomplete); here the well-formed ones are read and the rest left to the form's findings.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aipolicy.errors import ConfigError, Location, SourceError
from aipolicy.form.schema import did_you_mean
from aipolicy.sources.discovery import iter_documents
from aipolicy.sources.documents import SourceDoc, load_document
from aipolicy.sources.files import DEFAULT_LIMITS, Limits, PathKey
from aipolicy.wording import quoted

if TYPE_CHECKING:
    from pydantic import ValidationError

#: What an approver can decide, as the form lists it.
VERDICTS = ("approved", "approved_with_conditions", "rejected", "deferred")


@dataclass(frozen=True)
class Entry:
    """One sign-off decision: from an approvals file (``file`` set) or from the
    submission's own ``approvals:`` block (``file`` None, ``index`` its item)."""

    role: str
    decision: str
    date: dt.date
    approver: str | None  # the e-mail as written, stripped; None when not given
    conditions: str | None
    file: str | None
    line: int | None
    index: int  # reading order: its item in the block, or in the run's approvals files

    @property
    def source(self) -> str:
        return "intake" if self.file is None else "approvals"


@dataclass(frozen=True)
class ApprovalFile:
    """An approvals file read: its path, digest and the use cases its entries name."""

    path: str
    digest: str
    use_cases: frozenset[str]


@dataclass(frozen=True)
class Approvals:
    """Every approvals file of a run, its entries by use case id, in reading order."""

    by_use_case: Mapping[str, tuple[Entry, ...]]
    files: tuple[ApprovalFile, ...]


def approvals_files(path: str) -> list[str]:
    """The files of an approvals file or directory (its .yaml, .yml and .json files)."""
    if not os.path.exists(path):
        raise ConfigError(f"{path}: no such approvals file or directory")
    if not os.path.isdir(path):
        return [path]
    return list(iter_documents([path]))


def load_approvals(path: str, roles: Sequence[str], limits: Limits = DEFAULT_LIMITS
                   ) -> Approvals:
    """The approvals under ``path`` (a file or a directory); a :class:`ConfigError` with
    file:line for the first malformed entry, or a role not in ``roles``."""
    by_use_case: dict[str, list[Entry]] = {}
    files = []
    order = 0
    for file in approvals_files(path):
        try:
            doc = load_document(file, limits)
        except SourceError as exc:
            raise ConfigError(f"cannot read the approvals file: {exc.message}",
                              exc.location or Location(file)) from None
        named: set[str] = set()
        for entry_path, approval in _parse(doc):
            at = Location(file, doc.line_of((*entry_path, "role")))
            if approval.role not in roles:
                raise ConfigError(
                    f"Approver role: '{quoted(approval.role, 60)}' is not a role of the rule "
                    f"pack{did_you_mean(approval.role, roles)}; write one of: "
                    f"{', '.join(roles)}", at)
            by_use_case.setdefault(approval.use_case_id, []).append(Entry(
                role=approval.role, decision=approval.decision, date=approval.date,
                approver=approval.approver.strip(), conditions=approval.conditions,
                file=file, line=doc.line_of(entry_path) if entry_path else 1, index=order))
            named.add(approval.use_case_id)
            order += 1
        files.append(ApprovalFile(file, doc.digest, frozenset(named)))
    return Approvals({k: tuple(v) for k, v in by_use_case.items()}, tuple(files))


def _parse(doc: SourceDoc) -> list[tuple[PathKey, Any]]:
    """(path of each entry in the file, its validated model)."""
    from pydantic import ValidationError

    from .model import Approval, ApprovalsFile

    data = doc.data
    try:
        if isinstance(data, dict) and "approvals" in data:
            many = ApprovalsFile.model_validate(data)
            return [(("approvals", i), a) for i, a in enumerate(many.approvals)]
        if isinstance(data, dict):
            return [((), Approval.model_validate(data))]
    except ValidationError as exc:
        raise _config_error(doc, exc) from None
    raise ConfigError("an approvals file holds one approval (a mapping of use_case_id, "
                      "role, decision, date, approver) or a list of them under `approvals:`",
                      Location(doc.path, 1))


def _config_error(doc: SourceDoc, exc: ValidationError) -> ConfigError:
    """The first problem pydantic found, as file:line, the field's title, the value given
    and what to write."""
    from .model import Approval, ApprovalsFile

    # a misspelt key first: it explains the "missing" error of the key it was meant to be
    errors = sorted(exc.errors(include_url=False), key=lambda e: e["type"] != "extra_forbidden")
    err = errors[0]
    loc = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
    name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    field = Approval.model_fields.get(name) or ApprovalsFile.model_fields.get(name)
    title = field.title if field is not None and field.title else name or "The approval"
    kind = err["type"]
    given = err.get("input")
    line = doc.line_of(loc)
    if kind == "extra_forbidden":
        known = [*Approval.model_fields]
        message = (f"unknown key '{quoted(str(name), 60)}'{did_you_mean(str(name), known)}; "
                   f"an approval has: {', '.join(known)}")
    elif kind == "missing":
        message = f"{title} is missing; add `{name}:` to the approval"
    else:
        what = str(err["msg"]).replace("Value error, ", "")
        shown = (quoted(str(given), 60) if not isinstance(given, (dict, list))
                 else "a list" if isinstance(given, list) else "a group of fields")
        hint = {"decision": "write one of: " + ", ".join(VERDICTS),
                "date": "write the date as YYYY-MM-DD",
                "approver": "write the approver's e-mail address, e.g. jane.doe@example.com"
                }.get(str(name), "correct the value")
        message = f"{title}: '{shown}' is not valid ({what}); {hint}"
    return ConfigError(message, Location(doc.path, line))


def intake_entries(intake: Mapping[str, object], field: str,
                   line_of: Callable[[PathKey], int] | None) -> tuple[Entry, ...]:
    """The well-formed entries of a submission's ``approvals`` block (the form reports
    the others), with their lines when ``line_of`` is given."""
    block = intake.get(field)
    if not isinstance(block, list):
        return ()
    out = []
    for i, item in enumerate(block):
        if not isinstance(item, dict):
            continue
        role, verdict, date = item.get("role"), item.get("decision"), _date(item.get("date"))
        if not isinstance(role, str) or verdict not in VERDICTS or date is None:
            continue
        approver = item.get("approver")
        conditions = item.get("conditions")
        out.append(Entry(
            role=role, decision=str(verdict), date=date,
            approver=approver.strip() if isinstance(approver, str) and approver.strip()
            else None,
            conditions=conditions if isinstance(conditions, str) else None,
            file=None, line=line_of((field, i)) if line_of is not None else None, index=i))
    return tuple(out)


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None

