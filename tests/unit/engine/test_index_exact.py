"""The rule index is exact: with it, the engine fires the same rules as running every rule,
and explains each firing as walking its condition would.

The index matcher (:class:`aipolicy.engine.index.IndexMatcher`, the default of
:func:`aipolicy.engine.evaluate.match`) must give the same rules, in the same order, and
the same facts as the sequential matcher (:class:`aipolicy.engine.matcher.SequentialMatcher`,
every rule in effect in evaluation order through its compiled condition), for any
submission, any pack. The reference here does the same as the sequential matcher, and
also explains each firing by walking its condition, which :func:`derive` must match.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from aipolicy.engine import masks
from aipolicy.engine.evaluate import derive, match
from aipolicy.engine.index import IndexMatcher
from aipolicy.engine.matcher import SequentialMatcher
from aipolicy.errors import PackError
from aipolicy.language.closures import Context
from aipolicy.language.evidence import evidence
from aipolicy.pack.compiled import CompiledPack
from aipolicy.pack.load import compile_pack, read_pack
from aipolicy.sources.documents import load_document, parse_document
from helpers.paths import ROOT, starter_form, starter_pack
from helpers.strategies import intakes, pack_header, rules

AS_OF = dt.date(2026, 11, 22)




def reference(pack: CompiledPack, data: Any, params: dict[str, Any], as_of: dt.date
              ) -> tuple[list[str], dict[str, Any], list[dict[str, Any]]]:
    """Every rule in effect, in order, without the index; with each firing's evidence,
    walked through its condition when it fired."""
    facts: dict[str, Any] = {name: set() if kind == "labels" else default
             for name, (kind, _values, default) in pack.fact_kinds.items()}
    ctx = Context(data if isinstance(data, dict) else {}, facts, params, as_of)
    fired = []
    explained = []
    for rule in pack.rules:
        if not rule.effective(params, as_of) or not rule.when.fn(ctx):
            continue
        fired.append(rule.id)
        for fact, value, position in rule.raises:
            if facts[fact] is None or pack.rank[fact][facts[fact]] < position:
                facts[fact] = value
        for fact, labels in rule.adds:
            facts[fact].update(labels)
        found: dict[str, Any] = {}
        evidence(rule.when, ctx, found)
        explained.append(dict(sorted(found.items())))
    return fired, facts, explained


def _agree(pack: CompiledPack, data: Any, params: dict[str, Any], as_of: dt.date,
           index: IndexMatcher | None = None) -> None:
    """The index (``index``, else the default) agrees with the sequential matcher and
    with the reference, in the rules that hold, the facts and the explanations."""
    data = pack.form.apply_defaults(data)
    want_rules, want_facts, want_evidence = reference(pack, data, params, as_of)
    sequential = SequentialMatcher(pack)
    plain = match(pack, data, params=params, as_of=as_of, matcher=sequential)
    got = match(pack, data, params=params, as_of=as_of, matcher=index)
    assert [s.rule.id for s in got.steps] == [s.rule.id for s in plain.steps]
    assert (got.facts, got.controls, got.approvers) == (
        plain.facts, plain.controls, plain.approvers)
    assert [s.rule.id for s in got.steps] == want_rules
    assert got.facts == want_facts
    for matcher in (index, sequential):
        explained = derive(pack, data, params=params, as_of=as_of, matcher=matcher).fired
        assert [(f.rule, f.evidence) for f in explained] == list(
            zip(want_rules, want_evidence, strict=True))


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=intakes(starter_form()))
def test_the_index_is_exact_for_the_starter_pack(data: dict[str, Any]) -> None:
    pack = starter_pack()
    for version in ("2024_original", "2026_consolidated"):
        params = pack.resolve_params({"act_version": version})
        _agree(pack, data, params, AS_OF)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(generated=rules(), data=intakes(starter_form()))
def test_the_index_is_exact_for_generated_packs(generated: list[dict[str, Any]],
                                                data: dict[str, Any]) -> None:
    try:
        pack = compile_pack([parse_document(json.dumps(pack_header(generated)), "p.yaml")],
                            starter_form())
    except PackError:
        return  # packs that do not compile are covered in test_properties
    for strict in (False, True):
        _agree(pack, data, {"strict": strict}, AS_OF)


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "intake" / "examples").iterdir()))
def test_the_index_is_exact_for_the_examples(name: str) -> None:
    doc = load_document(str(ROOT / "intake" / "examples" / name))
    pack = starter_pack()
    for as_of in (dt.date(2024, 1, 1), AS_OF, dt.date(2030, 1, 1)):
        _agree(pack, doc.data, pack.resolve_params({}), as_of)


def test_the_index_decides_most_tests_of_the_starter_pack() -> None:
    """A guard against the index silently indexing nothing (the tests above would pass)."""
    plan = IndexMatcher(starter_pack()).plan(starter_pack().resolve_params({}), AS_OF)
    decided = sum(s.rest == 0 for s in plan.steps)
    gated = sum(bool(s.gates) for s in plan.steps)
    assert sum(len(fields) for _head, _gone, fields in plan.groups) >= 10
    assert decided >= len(plan.steps) // 5
    assert gated >= 20


#: values of every kind a submission can hold where a field belongs (absent: not set)
ODD_VALUES: list[Any] = [None, True, False, 0, 2, 1.5, "", "EU", "pilot", "personal",
                         "in_house_trained", [], ["EU"], ["EU", 3, None], [["EU"]], [True], {},
                         {"status": "done"}]
ODD_TESTS: list[dict[str, Any]] = [
    {"field": "title", "exists": True}, {"field": "title", "exists": False},
    {"field": "title", "missing": True}, {"field": "dpia.status", "missing": False},
    {"field": "jurisdictions", "contains": "EU"},
    {"field": "jurisdictions", "contains_any": ["EU", "UK"]},
    {"field": "deployment_stage", "equals": "pilot"},
    {"field": "deployment_stage", "in": ["pilot", "production"]},
    {"field": "data_sensitivity", "not_in": ["personal", "public"]},
    {"field": "external_facing", "equals": True}, {"field": "external_facing", "equals": False},
    {"field": "model_source", "equals": "in_house_trained"},
]


@pytest.mark.parametrize("value", ODD_VALUES, ids=repr)
def test_the_index_is_exact_on_odd_values(value: Any) -> None:
    generated = [{"id": f"ODD-{i}", "title": "t", "description": "d", "severity": "low",
                  "enforcement": "advisory", "citations": [{"framework": "F", "clause": "c"}],
                  "when": {"all": [test, {"field": "title", "exists": True}]} if i % 2
                  else test, "raise": {"tier": "elevated"}}
                 for i, test in enumerate(ODD_TESTS)]
    pack = compile_pack([parse_document(json.dumps(pack_header(generated)), "p.yaml")],
                        starter_form())
    for field in {t["field"] for t in ODD_TESTS}:
        head, _, tail = field.partition(".")
        data: dict[str, Any] = {"title": "x"}
        data[head] = {tail: value} if tail else value
        _agree(pack, data, {"strict": False}, AS_OF)
        _agree(pack, {head: value} if not tail else {}, {"strict": False}, AS_OF)


@pytest.mark.parametrize("test", [
    {"fact": "level", "missing": True}, {"fact": "level", "exists": False},
    {"fact": "level", "missing": False}, {"fact": "level", "equals": "high"},
    {"fact": "level", "at_least": "elevated"}, {"fact": "level", "at_most": "elevated"},
    {"fact": "level", "not_equals": "low"}, {"fact": "level", "in": ["low", "high"]},
], ids=repr)
@pytest.mark.parametrize("raised", [None, "low", "elevated", "high"])
def test_gates_on_a_scale_fact_before_and_after_it_has_a_value(test: dict[str, Any],
                                                               raised: str | None) -> None:
    def rule(rid: str, when: dict[str, Any], effect: dict[str, Any]) -> dict[str, Any]:
        return {"id": rid, "title": "t", "description": "d", "severity": "low",
                "enforcement": "advisory", "citations": [{"framework": "F", "clause": "c"}],
                "when": when, "raise": effect}

    generated = [rule("READS", {"all": [test, {"field": "title", "exists": True}]},
                      {"tier": "high"})]
    if raised is not None:
        generated.append(rule("WRITES", {"field": "title", "exists": True}, {"level": raised}))
    pack = compile_pack([parse_document(json.dumps(pack_header(generated)), "p.yaml")],
                        starter_form())
    _agree(pack, {"title": "x"}, {"strict": False}, AS_OF)



@pytest.mark.parametrize("test", [
    {"fact": "flags", "length": {"at_least": 1}}, {"fact": "flags", "length": {"equals": 0}},
    {"fact": "flags", "length": {"at_most": 1}}, {"fact": "flags", "contains": "b"},
    {"fact": "flags", "contains_any": ["a", "c"]}, {"fact": "flags", "contains_all": ["a", "b"]},
], ids=repr)
@pytest.mark.parametrize("added", [[], ["a"], ["b"], ["a", "b"], ["a", "b", "c"]], ids=repr)
def test_gates_on_a_label_fact(test: dict[str, Any], added: list[str]) -> None:
    def rule(rid: str, when: dict[str, Any], **effects: Any) -> dict[str, Any]:
        return {"id": rid, "title": "t", "description": "d", "severity": "low",
                "enforcement": "advisory", "citations": [{"framework": "F", "clause": "c"}],
                "when": when, **effects}

    generated = [rule("READS", {"all": [test, {"field": "title", "exists": True}]},
                      **{"raise": {"tier": "high"}})]
    if added:
        generated.append(rule("WRITES", {"field": "title", "exists": True},
                              add={"flags": added}))
    pack = compile_pack([parse_document(json.dumps(pack_header(generated)), "p.yaml")],
                        starter_form())
    _agree(pack, {"title": "x"}, {"strict": False}, AS_OF)


def test_the_index_is_exact_when_it_remembers_no_value(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past its memo's size the index computes each value afresh; the result is the same."""
    monkeypatch.setattr(masks, "MEMO_SIZE", 0)
    pack = compile_pack(read_pack(str(ROOT / "policies")), starter_form())
    index = IndexMatcher(pack)  # no plan yet
    for path in sorted((ROOT / "intake" / "examples").iterdir()):
        _agree(pack, load_document(str(path)).data, pack.resolve_params({}), AS_OF, index)
    plan = index.plan(pack.resolve_params({}), AS_OF)
    assert all(not index.text and not index.other
               for _head, _gone, fields in plan.groups for _rest, index, _p in fields)
    assert all(not segment.seen for segment in plan.segments)


@pytest.mark.parametrize("when", [
    # an any whose branches are all tests on fields: decided by the index alone
    {"any": [{"all": [{"field": "deployment_stage", "equals": "pilot"},
                      {"field": "external_facing", "equals": True}]},
             {"all": [{"field": "jurisdictions", "contains": "EU"},
                      {"field": "log_retention_months", "less_than": 6}]}]},
    # a branch with a test the index does not take: the any runs again
    {"any": [{"all": [{"field": "deployment_stage", "equals": "pilot"},
                      {"field": "owner.email", "matches": "^a"}]},
             {"field": "external_facing", "equals": False}]},
    {"none": [{"field": "deployment_stage", "equals": "pilot"},
              {"field": "owner.email", "matches": "^a"}]},
    {"not": {"any": [{"field": "jurisdictions", "contains": "EU"},
                     {"field": "human_oversight", "exists": True}]}},
    {"all": [{"all": [{"field": "vendors", "exists": True},
                      {"field": "deployment_stage", "in": ["pilot", "production"]}]},
             {"field": "vendors", "any_item": {"field": "dpa_signed", "equals": True}}]},
], ids=["exact-any", "any-rerun", "none", "not-any", "nested-all"])
@pytest.mark.parametrize("stage", ["pilot", "production", None])
@pytest.mark.parametrize("months", [3, 12, None])
def test_the_index_is_exact_on_any_none_and_nested_all(when: dict[str, Any], stage: Any,
                                                      months: Any) -> None:
    generated = [{"id": "R", "title": "t", "description": "d", "severity": "low",
                  "enforcement": "advisory", "citations": [{"framework": "F", "clause": "c"}],
                  "when": when, "raise": {"tier": "high"}}]
    pack = compile_pack([parse_document(json.dumps(pack_header(generated)), "p.yaml")],
                        starter_form())
    for extra in ({}, {"external_facing": True, "jurisdictions": ["EU"],
                       "owner": {"email": "a@b.c"}, "human_oversight": {"can_override": True},
                       "vendors": [{"name": "v", "dpa_signed": True}]}):
        data = {"title": "x", **extra}
        if stage is not None:
            data["deployment_stage"] = stage
        if months is not None:
            data["log_retention_months"] = months
        _agree(pack, data, {"strict": False}, AS_OF)


def test_a_plan_with_no_rule_in_effect_runs_nothing() -> None:
    generated = [{"id": "LATER", "title": "t", "description": "d", "severity": "low",
                  "enforcement": "advisory", "citations": [{"framework": "F", "clause": "c"}],
                  "when": {"field": "title", "exists": True}, "raise": {"tier": "high"},
                  "effective_from": "2030-01-01"}]
    pack = compile_pack([parse_document(json.dumps(pack_header(generated)), "p.yaml")],
                        starter_form())
    params = {"strict": False}
    assert match(pack, {"title": "x"}, params=params, as_of=AS_OF).steps == []
    later = match(pack, {"title": "x"}, params=params, as_of=dt.date(2030, 1, 1))
    assert [step.rule.id for step in later.steps] == ["LATER"]


def test_what_the_index_remembers_is_bounded_and_it_stays_exact_past_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(masks, "MEMO_BITS", 1)  # every memo keeps its minimum, 16
    generated = [{"id": "SHORT", "title": "t", "description": "d", "severity": "low",
                  "enforcement": "advisory", "citations": [{"framework": "F", "clause": "c"}],
                  "when": {"field": "log_retention_months", "less_than": 20},
                  "raise": {"tier": "high"}}]
    pack = compile_pack([parse_document(json.dumps(pack_header(generated)), "p.yaml")],
                        starter_form())
    index = IndexMatcher(pack)
    for months in range(40):  # 40 answers, each new
        _agree(pack, {"log_retention_months": months}, {"strict": False}, AS_OF, index)
    plan = index.plan({"strict": False}, AS_OF)
    memos = [len(index.text) + len(index.other)
             for _head, _gone, fields in plan.groups for _rest, index, _p in fields]
    assert memos == [16]
    assert all(len(segment.seen) <= 16 for segment in plan.segments)
