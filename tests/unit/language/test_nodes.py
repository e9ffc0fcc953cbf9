"""Condition nodes: what the pack wrote, and where, kept on the compiled rule."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import aipolicy.pack.load
from aipolicy.errors import Location
from aipolicy.language import nodes
from aipolicy.language.closures import Context
from aipolicy.pack.load import load_pack
from helpers.minipack import HEADER, RULES, _yaml, mini_form, mini_pack, rule

WHEN = {"all": [
    {"fact": "eu.category", "at_least": "high_risk"},
    {"any": [{"field": "log_retention_months", "less_than": {"parameter": "max_months"}},
             {"none": [{"field": "deployment_stage", "in": ["idea", "pilot"]}]}]},
    {"not": {"field": "vendors", "any_item": {"field": "dpa_signed", "equals": False}}},
]}


def _compiled(when: dict[str, Any]) -> tuple[nodes.Node, list[str]]:
    """The condition of a rule in its own file of a split pack, and that file's lines."""
    rules = [*RULES, rule("NEW", when)]
    pack = mini_pack(rules, split=True)
    text = _yaml({"rules": [rules[-1]]})
    return next(r for r in pack.rules if r.id == "NEW").when, text.splitlines()


def _at(lines: list[str], text: str, nth: int = 0) -> Location:
    """Where the nth line holding ``text`` starts its mapping (after any ``- ``)."""
    found = [i for i, line in enumerate(lines) if text in line][nth]
    line = lines[found]
    column = len(line) - len(line.lstrip(" -")) + 1
    return Location(f"pack/r{len(RULES)}.yaml", found + 1, column)


def test_each_node_keeps_its_source_path_operator_operand_and_location() -> None:
    when, lines = _compiled(WHEN)
    assert isinstance(when, nodes.AllOf)
    assert when.location == _at(lines, "all:")
    scale, anyof, negated = when.children
    assert isinstance(scale, nodes.Test)
    assert (scale.source, scale.path, scale.op, scale.operand, scale.reference) == (
        "fact", ("eu.category",), "at_least", "high_risk", None)
    assert scale.location == _at(lines, "fact: eu.category")
    assert scale.key == "fact:eu.category"
    assert isinstance(anyof, nodes.AnyOf)
    assert anyof.location == _at(lines, "- any:")
    months, noneof = anyof.children
    assert isinstance(months, nodes.Test)
    assert (months.source, months.path, months.op, months.operand, months.reference) == (
        "field", ("log_retention_months",), "less_than", {"parameter": "max_months"},
        "parameter")
    assert months.location == _at(lines, "field: log_retention_months")
    assert isinstance(noneof, nodes.NoneOf)
    (stage,) = noneof.children
    assert isinstance(stage, nodes.Test)
    assert (stage.op, stage.operand, stage.prepared) == (
        "in", ["idea", "pilot"], frozenset({"idea", "pilot"}))
    assert stage.location == _at(lines, "field: deployment_stage")
    assert isinstance(negated, nodes.Not)
    assert negated.location == _at(lines, "- not:")
    vendors = negated.child
    assert isinstance(vendors, nodes.Test)
    assert (vendors.op, vendors.path, vendors.within) == ("any_item", ("vendors",), None)
    assert vendors.operand == {"field": "dpa_signed", "equals": False}
    assert vendors.location == _at(lines, "field: vendors")
    each = vendors.each
    assert isinstance(each, nodes.Test)
    assert (each.path, each.within, each.key, each.operand) == (
        ("dpa_signed",), ("vendors",), "dpa_signed", False)
    assert each.location == _at(lines, "field: dpa_signed")
    assert vendors.children == (each,)


def test_what_the_rule_index_reads_of_a_node() -> None:
    when, _lines = _compiled(WHEN)
    assert when.reads_facts == frozenset({"eu.category"})
    scale, anyof, negated = when.children
    assert isinstance(scale, nodes.Test)
    assert scale.fixed
    assert not scale.varied
    months = anyof.children[0]
    assert not months.fixed  # its operand is a parameter, read when the rule runs
    assert not negated.children[0].fixed  # a quantifier
    for composite in (when, anyof, negated):
        assert (composite.key, composite.getter, composite.op, composite.fixed,
                composite.varied) == ("", None, "", False, False)
    text, _lines = _compiled({"field": "use_case_id", "matches": "^HR-"})
    assert text.fixed
    assert text.varied  # free text: seldom the same twice


def _ctx(data: dict[str, Any], **facts: Any) -> Context:
    return Context(data, {"eu.category": None, **facts}, {"max_months": 6, "act": "new"},
                   dt.date(2026, 11, 22))


@pytest.mark.parametrize(
    ("data", "category", "result"),
    [({"log_retention_months": 3}, "high_risk", True),
     ({"log_retention_months": 3}, "minimal", False),
     ({"log_retention_months": 9, "deployment_stage": "production"}, "high_risk", True),
     ({"log_retention_months": 9, "deployment_stage": "pilot"}, "high_risk", False),
     ({"log_retention_months": 3, "vendors": [{"dpa_signed": False}]}, "high_risk", False),
     ({"log_retention_months": 3, "vendors": [{"dpa_signed": True}]}, "prohibited", True)],
)
def test_a_composite_holds_as_its_children_do(data: dict[str, Any], category: str,
                                              result: bool) -> None:
    when, _lines = _compiled(WHEN)
    assert when.fn(_ctx(data, **{"eu.category": category})) is result


def test_a_rule_without_a_condition_always_holds_and_any_of_nothing_never_does() -> None:
    pack = mini_pack()
    scope = next(r for r in pack.rules if r.id == "SCOPE")
    assert scope.when is nodes.TRUE
    assert nodes.TRUE.fn(_ctx({})) is True
    assert nodes.TRUE.location is None
    assert nodes.AnyOf((), None).fn(_ctx({})) is False


def test_nodes_are_frozen_values_equal_when_compiled_twice() -> None:
    first, _lines = _compiled(WHEN)
    again, _lines = _compiled(WHEN)
    assert first == again
    assert first.fn is not again.fn
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.place = None  # type: ignore[misc]
    other, _lines = _compiled({**WHEN, "all": WHEN["all"][:2]})
    assert other != first


def test_a_pack_rebuilt_from_the_cache_has_equal_conditions(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIPOLICY_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "pack.yaml").write_text(_yaml({**HEADER, "rules": [*RULES, rule("NEW", WHEN)]}))
    form = mini_form()
    fresh = load_pack(str(tmp_path / "pack.yaml"), form)
    assert list((tmp_path / "cache" / "packs").iterdir())

    def not_from_the_files(*args: object) -> None:
        raise AssertionError("compiled from the files, not rebuilt from the cache")

    monkeypatch.setattr(aipolicy.pack.load, "_validate", not_from_the_files)
    cached = load_pack(str(tmp_path / "pack.yaml"), form)
    assert [r.when for r in cached.rules] == [r.when for r in fresh.rules]
    assert [r.when.location for r in cached.rules] == [r.when.location for r in fresh.rules]
