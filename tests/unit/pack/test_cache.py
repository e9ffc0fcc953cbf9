"""A cache hit and a miss give the compiler, and so the engine, the same typed pack."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given

from aipolicy.engine.evaluate import evaluate
from aipolicy.form.schema import Form
from aipolicy.pack import load
from aipolicy.pack.cache import freeze, thaw
from aipolicy.pack.compiled import CompiledPack
from aipolicy.pack.spec import FormRef, WaiverPolicy
from aipolicy.serialize import decision_dict
from helpers.minipack import CITE, HEADER, RULES, intake, mini_form, rule
from helpers.paths import AS_OF, EXAMPLES, PACK, starter_form
from helpers.strategies import pack_header, rules

Shape = object


def shape(value: object) -> Shape:
    """``value`` as nested plain data that keeps every type and every order: two values
    of the same shape are indistinguishable to code that reads them (closures aside,
    which are compared by what they compute, and a dataclass's fields that take no part
    in its equality, such as the document a condition's place looks its line up in)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__qualname__,
                tuple((f.name, shape(getattr(value, f.name)))
                      for f in dataclasses.fields(value) if f.compare))
    fields = getattr(type(value), "_fields", None)  # a named tuple
    if isinstance(value, tuple) and isinstance(fields, tuple):
        return (type(value).__qualname__,
                tuple((name, shape(getattr(value, name))) for name in fields))
    if isinstance(value, Mapping):
        return (type(value).__qualname__,
                tuple((shape(k), shape(v)) for k, v in value.items()))
    if isinstance(value, (tuple, list)):
        return (type(value).__qualname__, tuple(shape(v) for v in value))
    if isinstance(value, (set, frozenset)):
        return (type(value).__qualname__, tuple(sorted(map(repr, value))))
    if callable(value):
        return "<callable>"
    return (type(value).__qualname__, value)


def test_shape_tells_a_tuple_from_a_list_and_keeps_order() -> None:
    assert shape({"a": (1,)}) != shape({"a": [1]})
    assert shape({"a": 1, "b": 2}) != shape({"b": 2, "a": 1})
    assert shape(1) != shape(True)
    assert shape(FormRef(id="x")) != shape(WaiverPolicy(not_waivable=("x",), notice_days=30,
                                                        max_days=None, by_severity={}))
    assert shape(FormRef(id="x")) != shape(("x",))


@contextmanager
def _cache_at(path: Path) -> Iterator[None]:
    old = os.environ.get("AIPOLICY_CACHE_DIR")
    os.environ["AIPOLICY_CACHE_DIR"] = str(path)
    try:
        yield
    finally:
        if old is None:
            del os.environ["AIPOLICY_CACHE_DIR"]
        else:
            os.environ["AIPOLICY_CACHE_DIR"] = old


def miss_and_hit(pack_path: Path, form: Form, cache: Path) -> tuple[CompiledPack, CompiledPack]:
    """The pack loaded twice into an empty cache: validated from its files (a miss), then
    rebuilt from the cache without validation (a hit)."""
    with _cache_at(cache), mock.patch.object(load, "_validate", wraps=load._validate) as seen:
        miss = load.load_pack(str(pack_path), form)
        assert seen.call_count == 1, "the first load validates the files"
        hit = load.load_pack(str(pack_path), form)
        assert seen.call_count == 1, "the second load comes from the cache"
    return miss, hit


def assert_same(miss: CompiledPack, hit: CompiledPack) -> None:
    assert hit.model == miss.model
    assert shape(hit.model) == shape(miss.model)
    assert type(hit.model) is type(miss.model)
    assert shape(hit.rules) == shape(miss.rules)
    assert [r.id for r in hit.rules] == [r.id for r in miss.rules]
    assert hit.fact_kinds == miss.fact_kinds
    assert shape(hit.fact_kinds) == shape(miss.fact_kinds)
    assert shape(hit.scales) == shape(miss.scales)
    assert shape(hit.model.controls) == shape(miss.model.controls)
    assert (hit.name, hit.version, hit.path, hit.digest) == (
        miss.name, miss.version, miss.path, miss.digest)
    assert hit.resolve_params({}) == miss.resolve_params({})


def _decide(pack: CompiledPack, text: str, day: str = AS_OF) -> str:
    decision = evaluate(pack, intake(text), params=pack.resolve_params({}),
                        as_of=dt.date.fromisoformat(day))
    return json.dumps(decision_dict(decision), sort_keys=True)


def test_the_starter_pack_from_the_cache_is_the_pack_from_its_files(tmp_path: Path) -> None:
    miss, hit = miss_and_hit(PACK, starter_form(), tmp_path / "cache")
    assert_same(miss, hit)
    for example in sorted(EXAMPLES.glob("*.yaml")):
        text = example.read_text()
        assert _decide(hit, text) == _decide(miss, text), example.name


def _places(pack: CompiledPack) -> list[str]:
    """Every condition node's file:line:column, rule by rule, depth first."""
    out: list[str] = []

    def walk(node: Any) -> None:
        out.append(str(node.location) if node.place is not None else "-")
        for child in node.children:
            walk(child)

    for each in pack.rules:
        walk(each.when)
    return out


def test_conditions_from_the_cache_point_at_the_lines_of_their_files(tmp_path: Path) -> None:
    """A place's document takes no part in equality, so the lines it gives are compared
    here: a hit must not send a message to another line than a miss."""
    miss, hit = miss_and_hit(PACK, starter_form(), tmp_path / "cache")
    assert _places(hit) == _places(miss)
    assert sum(":1:1" not in place for place in _places(miss)) > 100


def _write(path: Path, data: object) -> None:
    path.write_text(json.dumps(data).replace('"raise_"', '"raise"'))


#: A mini pack that uses what the default one does not: dates per parameter value, an end
#: date, a control with its own gates and a validity, a form reference, urls, descriptions.
RICH = {
    **HEADER,
    "description": "Every part of the format.",
    "form": {"id": "urn:test:mini-form"},
    "roles": [*HEADER["roles"], {"id": "audit", "title": "Audit", "description": "Checks.",
                                 "members": ["Ann@Example.com"]}],
    "people": {"board": ["bo@example.com", "bea@example.com"], "audit": ["al@example.com"]},
    "report": {"review_notice_days": 45},
    "sources": {"F": {"basis": "binding", "title": "The F Act", "date": "2024-07-12"},
                "G": {"basis": "guidance", "title": "The G guide", "date": "2025-02",
                      "url": "https://example.org/g", "note": "Not binding."}},
    "waivers": {"notice_days": 14, "max_days": 200,
                "by_severity": {"critical": {"approvers": ["board"], "max_days": 30},
                                "low": {"approvers": ["lead", "audit"]}}},
    "controls": {**HEADER["controls"],
                 "CTRL-C": {"title": "C", "description": "Do C.", "valid_for_days": 30,
                            "allow_not_applicable": True, "escalation": "budget",
                            "citations": [{"framework": "F", "clause": "3",
                                           "url": "https://example.org/3"}],
                            "gates": {"production": {"accept": ["done", "waived"],
                                                     "severity": "low"}}}},
    "review": {"fact": "eu.points", "questions": {
        "4a": {"field": "purposes", "why": "Recruitment.", "article": "Annex III 4(a)"},
        "5b": {"title": "Credit", "why": "Scoring.", "article": "Annex III 5(b)"}}},
}
RICH_RULES = [
    *RULES,
    rule("DATED", {"field": "purposes", "contains": "other"}, raise_={"tier": "elevated"},
         require_controls=["CTRL-C"], add_approvers=["audit"],
         effective_from={"parameter": "act", "values": {"old": None, "new": "2026-12-02"}},
         effective_until="2030-01-01"),
    rule("GONE", {"parameter": "act", "equals": "old"}, add={"eu.points": ["5b"]},
         effective_until={"parameter": "act", "values": {"old": "2020-01-01", "new": None}}),
    rule("ALWAYS", citations=[*CITE, {"framework": "G", "clause": "y", "url": "u"}]),
    rule("TAGGED", {"field": "external", "equals": True}, escalation="vendor",
         violation={"message": "Ask the vendor.", "remediation": "Ask."}),
    rule("READ", {"field": "external", "equals": True},
         reading={"basis": "contested", "note": "whether outside use counts"},
         violation={"message": "Ask counsel.", "remediation": "Ask."}),
    rule("GUIDED", {"field": "external", "equals": True},
         citations=[{"framework": "G", "clause": "s. 3"}],
         violation={"message": "Follow the guide.", "remediation": "Follow."}),
]


def _mini_files(root: Path, header: Mapping[str, object], rule_list: list[dict[str, object]],
                *, split: bool) -> Path:
    ids = {r["id"] for r in rule_list}
    policy = dict(header.get("waivers") or {})  # type: ignore[call-overload]
    head = {**header, "waivers": {**policy,
                                  "not_waivable": [r for r in ("BAN",) if r in ids]}}
    if not split:
        _write(root / "pack.yaml", {**head, "rules": rule_list})
        return root / "pack.yaml"
    (root / "pack").mkdir()
    _write(root / "pack" / "pack.yaml", head)
    for i, r in enumerate(rule_list):
        _write(root / "pack" / f"r{i}.yaml", {"rules": [r]})
    return root / "pack"


MINI = {
    "mini": (HEADER, RULES, False),
    "mini split": (HEADER, RULES, True),
    "rich": (RICH, RICH_RULES, False),
    "rich split": (RICH, RICH_RULES, True),
    "no rules": (HEADER, [], False),
}

SUBMISSIONS = [
    "use_case_id: HR-0001\npurposes: [other, recruitment_screening]\ndeployment_stage: production\n"
    "external: true\nlog_retention_months: 2\ncontrols: [{id: CTRL-C, status: done, "
    "date: 2026-01-01}]\n",
    "purposes: [fraud_detection]\noversight: {can_override: false}\n"
    "vendors: [{name: V, dpa_signed: false}]\nnext_review_due: 2026-01-01\n",
    "{}\n",
]


@pytest.mark.parametrize("name", sorted(MINI))
def test_a_mini_pack_from_the_cache_is_the_pack_from_its_files(tmp_path: Path, name: str
                                                               ) -> None:
    header, rule_list, split = MINI[name]
    path = _mini_files(tmp_path, header, list(rule_list), split=split)
    miss, hit = miss_and_hit(path, mini_form(), tmp_path / "cache")
    assert_same(miss, hit)
    for text in SUBMISSIONS:
        for day in ("2020-06-01", "2026-12-01", "2026-12-02", "2031-01-01"):
            assert _decide(hit, text, day) == _decide(miss, text, day)


def test_the_rich_pack_has_what_it_is_meant_to_cover(tmp_path: Path) -> None:
    from aipolicy.pack.spec import ByParameter

    path = _mini_files(tmp_path, RICH, RICH_RULES, split=False)
    miss, hit = miss_and_hit(path, mini_form(), tmp_path / "cache")
    dated = next(r for r in hit.model.rules if r.id == "DATED")
    assert isinstance(dated.effective_from, ByParameter)
    assert dated.effective_from.values == {"old": None, "new": dt.date(2026, 12, 2)}
    assert dated.effective_until == dt.date(2030, 1, 1)
    assert hit.model.controls["CTRL-C"].gates is not None
    assert hit.model.form is not None
    assert hit.model.form.id == "urn:test:mini-form"
    assert hit.model.controls["CTRL-C"].allow_not_applicable is True
    assert hit.model.waivers.by_severity["critical"].approvers == ("board",)
    assert (hit.model.waivers.notice_days, hit.model.waivers.max_days) == (14, 200)
    assert hit.role_members == {"audit": frozenset({"ann@example.com", "al@example.com"}),
                                "board": frozenset({"bo@example.com", "bea@example.com"})}
    assert hit.roles_of(" AL@example.com") == frozenset({"audit"})
    assert hit.model.review is not None
    assert hit.model.review.questions["5b"].title == "Credit"
    assert hit.review_questions["4a"].title == "Purposes"  # the form's title
    assert hit.model.controls["CTRL-C"].escalation == "budget"
    assert hit.model.controls["CTRL-A"].escalation is None
    assert next(r for r in hit.model.rules if r.id == "TAGGED").escalation == "vendor"
    assert hit.model.report.review_notice_days == 45
    assert hit.model.sources["G"].date == "2025-02"
    assert hit.model.sources["G"].note == "Not binding."
    assert hit.model.sources["F"].url is None
    assert hit.rule_bases == miss.rule_bases
    assert hit.rule_bases["READ"].sentence == (
        "This rests on a contested reading of The F Act: whether outside use counts.")
    assert hit.rule_bases["GUIDED"].sentence == (
        "This rests on The G guide (guidance, Feb 2025), not on binding text.")
    assert "ALWAYS" not in hit.rule_bases


@given(rules())
def test_a_generated_pack_from_the_cache_is_the_pack_from_its_files(
        generated: list[dict[str, object]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "pack.yaml").write_text(json.dumps(pack_header(generated)))
        miss, hit = miss_and_hit(root / "pack.yaml", starter_form(), root / "cache")
        assert_same(miss, hit)


def _entry(tmp_path: Path) -> tuple[Path, str]:
    path = _mini_files(tmp_path, RICH, RICH_RULES, split=False)
    miss_and_hit(path, mini_form(), tmp_path / "cache")
    (entry,) = (tmp_path / "cache" / "packs").iterdir()
    return path, entry.read_text()


def test_thaw_gives_back_what_freeze_was_given(tmp_path: Path) -> None:
    path, text = _entry(tmp_path)
    datas, spec = thaw(text)
    assert thaw(freeze(datas, spec)) == (datas, spec)
    assert datas == [json.loads(path.read_text())]


def _damage(entry: dict[str, object], change: Callable[[dict[str, Any]], None]) -> str:
    pack = entry["pack"]
    assert isinstance(pack, dict)
    change(pack)
    return json.dumps(entry)


@pytest.mark.parametrize("change", [
    lambda p: p["rules"][0].update(severity="severe"),
    lambda p: p["rules"][0].update(citations=[{"framework": 1, "clause": "x", "url": None}]),
    lambda p: p["rules"][0].update({"raise": {"tier": 3}}),
    lambda p: p["rules"][0].pop("add"),
    lambda p: p["scales"].update(tier="low"),
    lambda p: p["controls"]["CTRL-C"].update(valid_for_days=True),
    lambda p: p.update(rules={}),
    lambda p: p["sources"]["G"].update(basis="law"),
    lambda p: p["sources"]["G"].update(date=2025),
    lambda p: p["rules"][-2].update(reading={"basis": "contested", "note": None}),
    lambda p: p.update(sources=[]),
], ids=["literal", "text", "raise", "missing", "list", "integer", "mapping", "source basis",
        "source date", "reading note", "sources mapping"])
def test_a_damaged_entry_is_refused_and_so_a_miss(
        tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    path, text = _entry(tmp_path)
    damaged = _damage(json.loads(text), change)
    with pytest.raises((ValueError, KeyError)):
        thaw(damaged)
    (entry,) = (tmp_path / "cache" / "packs").iterdir()
    entry.write_text(damaged)
    with _cache_at(tmp_path / "cache"), mock.patch.object(
            load, "_validate", wraps=load._validate) as seen:
        again = load.load_pack(str(path), mini_form())
        assert seen.call_count == 1  # compiled from the files
    assert again.model == thaw(text)[1]


def test_an_entry_of_another_format_is_a_miss(tmp_path: Path) -> None:
    _path, text = _entry(tmp_path)
    entry = json.loads(text)
    entry["format"] = 1
    with pytest.raises(ValueError, match="cache format"):
        thaw(json.dumps(entry))
