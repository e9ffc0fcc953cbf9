"""The index matcher owns its plans and memo; the default one is kept per pack, bounded."""

from __future__ import annotations

import datetime as dt

from aipolicy.engine import index as index_module
from aipolicy.engine.evaluate import match
from aipolicy.engine.index import DEFAULT_MATCHERS, MAX_PLANS, IndexMatcher, default_matcher
from helpers.minipack import mini_pack, rule

AS_OF = dt.date(2026, 11, 22)


def test_a_plan_is_built_once_per_parameters_and_date() -> None:
    pack = mini_pack()
    index = IndexMatcher(pack)
    params = pack.resolve_params({})
    plan = index.plan(params, AS_OF)
    assert index.plan(dict(params), AS_OF) is plan
    assert index.plan(params, dt.date(2030, 1, 1)) is not plan
    assert index.plan(pack.resolve_params({"act": "old"}), AS_OF) is not plan
    assert IndexMatcher(pack).plan(params, AS_OF) is not plan  # each matcher its own


def test_the_plans_kept_are_bounded() -> None:
    pack = mini_pack()
    index = IndexMatcher(pack)
    params = pack.resolve_params({})
    first = index.plan(params, AS_OF)
    for day in range(1, MAX_PLANS + 1):
        index.plan(params, AS_OF + dt.timedelta(days=day))
    assert index.plan(params, AS_OF) is not first  # the oldest went first
    assert len(index._plans) == MAX_PLANS


def test_the_default_matcher_is_one_per_pack_and_follows_the_pack() -> None:
    one = mini_pack([rule("ONE", {"field": "external", "equals": True},
                          raise_={"tier": "high"})])
    two = mini_pack([rule("TWO", {"field": "external", "equals": True},
                          raise_={"tier": "elevated"})])
    assert default_matcher(one) is default_matcher(one)
    assert default_matcher(one).pack is one
    assert default_matcher(two).pack is two
    for pack, fired in ((one, "ONE"), (two, "TWO"), (one, "ONE")):
        found = match(pack, {"external": True}, params={"max_months": 6, "act": "new"},
                      as_of=AS_OF)
        assert [s.rule.id for s in found.steps] == [fired]


def test_the_default_matchers_kept_are_bounded() -> None:
    packs = [mini_pack() for _ in range(DEFAULT_MATCHERS + 2)]
    for pack in packs:
        default_matcher(pack)
    assert len(index_module._defaults) == DEFAULT_MATCHERS
    assert all(m.pack in packs[2:] for m in index_module._defaults.values())
