"""The two matchers agree: the sequential one (every rule in turn) and the index."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from aipolicy.engine.evaluate import derive, evaluate, match
from aipolicy.engine.index import IndexMatcher
from aipolicy.engine.matcher import Matched, Matcher, SequentialMatcher
from aipolicy.pack.compiled import CompiledPack
from aipolicy.sources.documents import load_document
from helpers.minipack import mini_pack, rule
from helpers.paths import EXAMPLES, starter_form, starter_pack
from helpers.strategies import intakes

AS_OF = dt.date(2026, 11, 22)
DATES = (dt.date(2024, 1, 1), AS_OF, dt.date(2030, 1, 1))


def _seen(found: Matched) -> tuple[Any, ...]:
    return ([s.rule.id for s in found.steps], found.facts, found.controls, found.approvers)


def _both(pack: CompiledPack, data: Any, params: dict[str, Any], as_of: dt.date,
          index: IndexMatcher, sequential: SequentialMatcher) -> tuple[Matched, Matched]:
    data = pack.form.apply_defaults(data)
    return (index.match(data, params=params, as_of=as_of),
            sequential.match(data, params=params, as_of=as_of))


def test_both_are_matchers() -> None:
    pack = starter_pack()
    matchers: list[Matcher] = [IndexMatcher(pack), SequentialMatcher(pack)]
    assert all(m.pack is pack for m in matchers)


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.iterdir()))
def test_they_agree_on_every_example(name: str) -> None:
    pack = starter_pack()
    index, sequential = IndexMatcher(pack), SequentialMatcher(pack)
    data = load_document(str(EXAMPLES / name)).data
    for version in ("2024_original", "2026_consolidated"):
        params = pack.resolve_params({"act_version": version})
        for as_of in DATES:
            indexed, plain = _both(pack, data, params, as_of, index, sequential)
            assert _seen(indexed) == _seen(plain)
    assert plain.steps, "a starter example no rule holds for: the test would be weak"


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=intakes(starter_form()))
def test_they_agree_on_generated_submissions(data: dict[str, Any]) -> None:
    pack = starter_pack()
    index, sequential = IndexMatcher(pack), SequentialMatcher(pack)
    params = pack.resolve_params({})
    indexed, plain = _both(pack, data, params, AS_OF, index, sequential)
    assert _seen(indexed) == _seen(plain)


def test_evaluate_takes_the_matcher_and_decides_the_same_with_either() -> None:
    pack = starter_pack()
    params = pack.resolve_params({})
    for path in sorted(EXAMPLES.iterdir()):
        doc = load_document(str(path))
        default = evaluate(pack, doc, params=params, as_of=AS_OF)
        for matcher in (IndexMatcher(pack), SequentialMatcher(pack)):
            assert evaluate(pack, doc, params=params, as_of=AS_OF, matcher=matcher) == default


def test_derive_explains_the_same_with_either() -> None:
    pack = starter_pack()
    params = pack.resolve_params({})
    for path in sorted(EXAMPLES.iterdir()):
        data = pack.form.apply_defaults(load_document(str(path)).data)
        indexed = derive(pack, data, params=params, as_of=AS_OF, matcher=IndexMatcher(pack))
        plain = derive(pack, data, params=params, as_of=AS_OF, matcher=SequentialMatcher(pack))
        assert indexed.fired == plain.fired
        assert [r.id for r, _ in indexed.violations] == [r.id for r, _ in plain.violations]


def test_a_matcher_for_another_pack_is_refused() -> None:
    other = mini_pack()
    with pytest.raises(ValueError, match="another pack"):
        match(starter_pack(), {}, params={}, as_of=AS_OF, matcher=SequentialMatcher(other))


def test_the_sequential_matcher_runs_only_the_rules_in_effect() -> None:
    pack = mini_pack([rule("LATER", {"field": "external", "exists": True},
                           raise_={"tier": "high"}, effective_from="2030-01-01")])
    sequential = SequentialMatcher(pack)
    params = pack.resolve_params({})
    assert sequential.match({"external": True}, params=params, as_of=AS_OF).steps == []
    later = sequential.match({"external": True}, params=params, as_of=dt.date(2030, 1, 1))
    assert [s.rule.id for s in later.steps] == ["LATER"]
    assert later.facts["tier"] == "high"


@pytest.mark.parametrize("data", [
    {}, {"purposes": ["recruitment_screening"], "log_retention_months": 3},
    {"purposes": ["recruitment_screening", "other"], "external": True,
     "oversight": {"can_override": False}, "vendors": [{"name": "v", "dpa_signed": False}]},
    {"purposes": ["other"], "next_review_due": "2020-01-01", "log_retention_months": 12},
], ids=repr)
@pytest.mark.parametrize("act", ["old", "new"])
def test_they_agree_on_a_small_pack_with_facts_and_parameters(data: dict[str, Any],
                                                              act: str) -> None:
    pack = mini_pack()
    index, sequential = IndexMatcher(pack), SequentialMatcher(pack)
    params = pack.resolve_params({"act": act})
    indexed, plain = _both(pack, data, params, AS_OF, index, sequential)
    assert _seen(indexed) == _seen(plain)
