"""What reports say of the pack: its rules, controls and headline facts (values).

The pack fills these in (pack/compiled.py); the run report carries them to the reporters,
which know nothing else of the pack.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Citation:
    """Where a rule or control comes from."""

    framework: str
    clause: str
    url: str | None = None
    #: what the framework is (the pack's ``sources:``): binding, guidance, standard or
    #: practice, and the date of its text (None: undated); None when the pack does not say
    basis: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class RuleInfo:
    """What reporters say about a rule (SARIF rules, JUnit, docs); empty when unknown."""

    title: str = ""
    description: str = ""
    severity: str = ""
    enforcement: str = ""
    citations: tuple[Citation, ...] = ()
    remediation: str = ""


@dataclass(frozen=True)
class ControlInfo:
    """What reporters say about a control of the pack's catalogue."""

    title: str
    description: str = ""
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class HeadlineFact:
    """One fact a headline shows: its dotted name and the label before its value."""

    fact: str
    label: str
    omit_empty: bool = False  # left out when it has no value (no labels, null)


@dataclass(frozen=True)
class Headline:
    """Facts the pack declares as its headline (the EU AI Act ones, in the starter pack):
    one line of a Markdown section, ``title: label value; label value...``, and, with a
    ``column``, a column of the table reports showing the first fact."""

    title: str
    facts: tuple[HeadlineFact, ...]
    column: str | None = None


def fact_value(facts: dict[str, Any], name: str) -> tuple[bool, Any]:
    """Whether a decision's (nested) facts hold the dotted fact ``name``, and its value."""
    node: Any = facts
    for part in name.split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node
