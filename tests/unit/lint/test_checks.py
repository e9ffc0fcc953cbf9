"""Lint warnings on escalation tags (the other checks are covered through ``aipolicy lint``)."""

from __future__ import annotations

import copy

from aipolicy.lint.checks import lint
from helpers.minipack import HEADER, RULES, mini_pack, rule


def _escalation_warnings(rules: list[dict[str, object]], header: dict[str, object]
                         ) -> list[str]:
    return [w for w in lint(mini_pack(rules, header=header)) if "escalation" in w]


def test_an_untagged_pack_has_no_escalation_warning() -> None:
    assert _escalation_warnings(RULES, HEADER) == []


def test_a_tag_that_groups_nothing_and_the_gaps_of_a_tagged_pack() -> None:
    header = copy.deepcopy(HEADER)
    header["controls"]["CTRL-A"]["escalation"] = "budget"
    rules = [*RULES[:3], {**RULES[3], "escalation": "local"},
             rule("TAGGED", {"field": "external", "equals": True}, escalation="policy"),
             *RULES[4:]]
    assert _escalation_warnings(rules, header) == [
        "rule TAGGED has an escalation but raises no violation, so no finding of it is "
        "grouped by it",
        "rule BAN raises a blocking violation but has no escalation: the portfolio report "
        "lists its findings as untagged",
        "control CTRL-B has no escalation: the portfolio report lists it as untagged",
    ]
