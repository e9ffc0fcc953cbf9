"""Layers apply in order, each to what the one before it made."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace

from aipolicy.commands.layers import Layer, Layers
from aipolicy.decision import Decision

DAY = dt.date(2026, 12, 1)


def _tag(name: str) -> Layer:
    def step(decision: Decision, intake: Mapping[str, object] | None,
             as_of: dt.date) -> Decision:
        assert as_of == DAY
        seen = intake.get("use_case_id") if intake else None
        return replace(decision, use_case_id=f"{decision.use_case_id}>{name}:{seen}")
    return step


def test_layers_apply_in_their_order() -> None:
    start = Decision(file="a.yaml", use_case_id="A", status="pass", tier="low")
    done = Layers((_tag("signoffs"), _tag("waivers"))).apply(start, {"use_case_id": "A"}, DAY)
    assert done.use_case_id == "A>signoffs:A>waivers:A"


def test_no_layers_leave_the_decision_as_it_is() -> None:
    start = Decision(file="a.yaml", use_case_id="A", status="pass", tier="low")
    assert Layers().apply(start, None, DAY) is start


def test_the_inputs_of_a_submission_are_the_files_naming_it() -> None:
    from aipolicy.commands.layers import InputFile

    a = InputFile("waiver", "waivers/a.yaml", "sha256:a", frozenset({"A", "B"}))
    b = InputFile("approval", "approvals/b.yaml", "sha256:b", frozenset({"B"}))
    layers = Layers((), (a, b))
    assert layers.inputs_for("A") == (a,)
    assert layers.inputs_for("B") == (a, b)
    assert layers.inputs_for("C") == ()
    assert layers.inputs_for(None) == ()
