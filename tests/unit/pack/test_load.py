"""Pack checking: every mistake is an error with its file and line, before evaluation."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from aipolicy.errors import ConfigError, PackError
from aipolicy.pack.load import compile_pack, load_pack
from aipolicy.sources.documents import parse_document
from helpers.minipack import HEADER, RULES, _yaml, mini_form, mini_pack, rule

Mutation = Callable[[dict[str, Any]], None]


def _set_rule(rid: str, **changes: Any) -> Mutation:
    def mutate(pack: dict[str, Any]) -> None:
        target = next(r for r in pack["rules"] if r["id"] == rid)
        for key, value in changes.items():
            if value is None:
                target.pop(key, None)
            else:
                target[key] = value
    return mutate


def _header(**changes: Any) -> Mutation:
    def mutate(pack: dict[str, Any]) -> None:
        pack.update(changes)
    return mutate


def _add_rule(new: dict[str, Any]) -> Mutation:
    def mutate(pack: dict[str, Any]) -> None:
        pack["rules"].append(new)
    return mutate


# (mutation, fragment of the message, text that the reported line must contain)
BAD: list[tuple[Mutation, str, str]] = [
    (_set_rule("HR-4A", when={"field": "purpose", "contains": "other"}),
     "the intake form has no field 'purpose' (did you mean 'purposes'?)", "purpose"),
    (_set_rule("HR-4A", when={"field": "purposes", "contains": "recruitment_screenin"}),
     "'recruitment_screenin' is not an allowed value of purposes (\"Purposes\") "
     "(did you mean 'recruitment_screening'?)", "recruitment_screenin"),
    (_set_rule("HR-4A", when={"field": "deployment_stage", "in": ["prod"]}),
     "'prod' is not an allowed value of deployment_stage", "prod"),
    (_set_rule("HR-4A", when={"field": "log_retention_months", "equals": "six"}),
     "holds a whole number, so 'six' (text) can never match it", "six"),
    (_set_rule("HR-4A", when={"field": "oversight.can_override", "equals": "yes"}),
     "holds true/false, so 'yes' (text) can never match it", "yes"),
    (_set_rule("HR-4A", when={"field": "oversight.can_overide", "equals": True}),
     "has no 'can_overide' (did you mean 'can_override'?)", "can_overide"),
    (_set_rule("HR-4A", when={"field": "purposes", "greater_than": 2}),
     "'greater_than' works on a number", "greater_than"),
    (_set_rule("HR-4A", when={"field": "vendors.dpa_signed", "equals": True}),
     "'vendors' is a list; test its items with any_item: or all_items:", "vendors"),
    (_set_rule("HR-4A", when={"field": "purposes", "contain": "other"}),
     "unknown operator 'contain' (did you mean 'contains'?)", "contain"),
    (_set_rule("HR-4A", when={"field": "purposes", "contains": "other", "in": ["x"]}),
     "a test has exactly one operator", "when"),
    (_set_rule("HR-4A", when={"all": []}), "'all' takes a non-empty list", "all"),
    (_set_rule("HR-4A", when={"fact": "eu.cat", "equals": "high_risk"}),
     "the pack declares no fact 'eu.cat' (did you mean 'eu.category'?)", "eu.cat"),
    (_set_rule("HR-4A", when={"fact": "eu.category", "at_least": "hgh_risk"}),
     "'hgh_risk' is not a value of the scale", "hgh_risk"),
    (_set_rule("HR-4A", when={"parameter": "max_month", "equals": 3}),
     "the pack declares no parameter 'max_month' (did you mean 'max_months'?)", "max_month"),
    (_set_rule("HR-4A", when={"field": "use_case_id", "matches": "(x)\\1"}),
     "pattern refused: back-references are not allowed", "(x)"),
    (_set_rule("HR-4A", when={"field": "next_review_due", "before": "soon"}),
     "'before' takes a date written YYYY-MM-DD", "soon"),
    (_set_rule("HR-4A", when={"field": "log_retention_months",
                              "less_than": {"parameter": "act"}}),
     "parameter 'act' is a string, not a number", "less_than"),
    (_set_rule("HR-4A", raise_={"tier": "severe"}),
     "'severe' is not on the scale of tier", "tier"),
    (_set_rule("HR-4A", add={"eu.points": ["9z"]}),
     "'9z' is not a label of eu.points", "eu.points"),
    (_set_rule("HR-4A", require_controls=["CTRL-C"]),
     "control 'CTRL-C' is not in the catalogue", "require_controls"),
    (_set_rule("HR-4A", add_approvers=["bord"]), "unknown role 'bord' (did you mean 'board'?)",
     "add_approvers"),
    (_set_rule("HR-4A", severity="hgh"), "severity: Input should be", "severity"),
    (_set_rule("HR-4A", titel="x"), "unknown key 'titel' in rule HR-4A", "titel"),
    (_set_rule("HR-4A", citations=[]), "citations: Tuple should have at least 1 item", "citations"),
    (_set_rule("HR-4A", id="hr 4a"), "id: String should match pattern", "hr 4a"),
    (_set_rule("HR-4A", violation={"message": "m", "remediation": "r", "field": "nope"}),
     "the form has no field 'nope'", "nope"),
    (_set_rule("EXT", id="HR-4A"), "rule id 'HR-4A' is used twice", "HR-4A"),
    (_set_rule("BAN", enforcement="advisory"), "has no approval path, so it must be "
     "`enforcement: blocking`", "tier"),
    (_set_rule("HR-4A", effective_from={"parameter": "act", "values": {"new": "2026-01-01"}}),
     "no date for act = old", "values"),
    (_header(scales={"tier": ["low", "elevated", "high", "prohibited", "severe"],
                     "cat": ["out", "minimal", "high_risk", "prohibited"]}),
     "no approval path for tier 'severe'", "approval_paths"),
    (_header(approval_paths={"low": ["owner"], "elevated": ["owner"], "high": ["owner"],
                             "prohibited": "blocked", "extreme": ["owner"]}),
     "'extreme' is not a tier", "extreme"),
    (_header(facts={"eu.category": {"scale": "cat"}, "eu.points": {"labels": ["4a"]}}),
     "the pack must declare the fact 'tier'", "facts"),
    (_header(control_gates={"prod": {"accept": ["done"]}}),
     "'prod' is not a value of deployment_stage (did you mean 'production'?)", "prod"),
    (_header(version=1), "version must be text; put the value in quotes", "version"),
    (_header(form={"id": "urn:other"}), "the pack was written for the form 'urn:other'", "urn"),
    (_add_rule(rule("SELF", {"fact": "tier", "at_least": "high"}, raise_={"tier": "high"})),
     "rule SELF is in a cycle", "SELF"),
    # the waiver policy and who holds each role
    (_header(waivers={"not_waivable": ["BAN"],
                      "by_severity": {"high": {"approvers": ["bord"]}}}),
     "unknown role 'bord' (did you mean 'board'?)", "bord"),
    (_header(waivers={"not_waivable": ["BAN"], "by_severity": {"severe": {}}}),
     "Input should be 'critical', 'high', 'medium', 'low' or 'info'", "severe"),
    (_header(waivers={"not_waivable": ["BAN"], "notice_days": -1}),
     "notice_days: Input should be greater than or equal to 0", "notice_days"),
    (_header(waivers={"not_waivable": ["BAN"], "max_day": 30}),
     "unknown key 'max_day' in waivers", "max_day"),
    (_header(people={"bord": ["b@example.com"]}), "unknown role 'bord'", "bord"),
    (_header(people={"board": ["board at example"]}), "String should match pattern",
     "board at example"),
    (_header(roles=[{"id": "owner", "title": "Owner", "members": ["x"]}]),
     "String should match pattern", "- x"),
    # what resolving a finding takes, and the portfolio report's notice period
    (_set_rule("HR-4A", escalation="urgent"),
     "Input should be 'local', 'budget', 'vendor' or 'policy'", "urgent"),
    (_header(controls={"CTRL-A": {"title": "A", "description": "Do A.", "escalation": "soon",
                                  "citations": [{"framework": "F", "clause": "1"}]},
                       "CTRL-B": HEADER["controls"]["CTRL-B"]}),
     "Input should be 'local', 'budget', 'vendor' or 'policy'", "soon"),
    (_header(report={"review_notice_days": -3}),
     "review_notice_days: Input should be greater than or equal to 0", "review_notice_days"),
    (_header(report={"notice_days": 30}), "unknown key 'notice_days' in report",
     "notice_days"),
]


def _pack_text(mutation: Mutation) -> str:
    pack = copy.deepcopy({**HEADER, "rules": RULES})
    mutation(pack)
    return _yaml(pack)


@pytest.mark.parametrize(("mutation", "fragment", "marker"), BAD)
def test_bad_pack(mutation: Mutation, fragment: str, marker: str) -> None:
    text = _pack_text(mutation)
    with pytest.raises(PackError) as info:
        compile_pack([parse_document(text, "pack.yaml")], mini_form())
    messages = [(loc, msg) for loc, msg in info.value.problems if fragment in msg]
    assert messages, [msg for _, msg in info.value.problems]
    loc = messages[0][0]
    assert loc.file == "pack.yaml"
    assert loc.line is not None
    assert marker in text.splitlines()[loc.line - 1]


def test_cycle_is_an_error_naming_the_rules() -> None:
    rules = [*RULES,
             rule("LOOP-A", {"fact": "eu.points", "contains": "4a"}, raise_={"tier": "high"}),
             rule("LOOP-B", {"fact": "tier", "at_least": "high"}, add={"eu.points": ["5b"]})]
    with pytest.raises(PackError) as info:
        mini_pack(rules)
    text = str(info.value)
    assert "rule LOOP-A is in a cycle" in text
    assert "rule LOOP-B is in a cycle" in text


def test_all_problems_are_reported_at_once() -> None:
    def mutate(pack: dict[str, Any]) -> None:
        _set_rule("HR-4A", when={"field": "purpose", "contains": "other"})(pack)
        _set_rule("EXT", add_approvers=["nobody"])(pack)

    with pytest.raises(PackError) as info:
        compile_pack([parse_document(_pack_text(mutate), "pack.yaml")], mini_form())
    assert len(info.value.problems) == 2


def test_directory_pack_reports_the_right_file(tmp_path: Path) -> None:
    pack = mini_pack(split=True)
    assert pack.name == "mini"
    rules = copy.deepcopy(RULES)
    rules[3]["when"] = {"field": "log_retention_month", "less_than": 3}
    (tmp_path / "a-header.yaml").write_text(_yaml(HEADER))
    (tmp_path / "b-rules.yaml").write_text(_yaml({"rules": rules[:3]}))
    (tmp_path / "c-rules.yaml").write_text(_yaml({"rules": rules[3:]}))
    with pytest.raises(PackError) as info:
        load_pack(str(tmp_path), mini_form())
    [(loc, msg)] = info.value.problems
    assert loc.file.endswith("c-rules.yaml")
    assert "log_retention_month" in msg
    assert "log_retention_month" in (tmp_path / "c-rules.yaml").read_text().splitlines()[
        loc.line - 1]  # type: ignore[operator]


def test_directory_pack_duplicate_sections(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(_yaml({**HEADER, "rules": RULES}))
    (tmp_path / "b.yaml").write_text(_yaml({"pack": "again", "controls": {"CTRL-A": {
        "title": "t", "description": "d", "citations": [{"framework": "f", "clause": "c"}]}}}))
    with pytest.raises(PackError) as info:
        load_pack(str(tmp_path), mini_form())
    text = str(info.value)
    assert "'pack' is defined again" in text
    assert "controls.CTRL-A is defined again" in text


def test_pack_files_cannot_escape_the_pack_directory(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(_yaml({"rules": []}))
    pack_dir = tmp_path / "pack"
    pack_dir.mkdir()
    (pack_dir / "pack.yaml").write_text(_yaml({**HEADER, "rules": RULES}))
    (pack_dir / "link.yaml").symlink_to(outside)
    with pytest.raises(PackError, match="outside the pack directory"):
        load_pack(str(pack_dir), mini_form())


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"nope": "1"}, "unknown parameter 'nope'"),
        ({"max_months": "six"}, "takes a integer"),
        ({"act": "newer"}, "must be one of: old, new"),
    ],
)
def test_bad_parameters(overrides: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        mini_pack().resolve_params(overrides)


def test_effective_dates_by_parameter() -> None:
    import datetime as dt

    from aipolicy.engine.evaluate import evaluate
    from helpers.minipack import intake

    rules = [rule("DATED", {"field": "purposes", "contains": "other"}, raise_={"tier": "high"},
                  effective_from={"parameter": "act", "values": {"old": None,
                                                                  "new": "2026-12-02"}})]
    pack = mini_pack(rules)
    doc = intake("purposes: [other]\n")

    def tier(act: str, day: str) -> str | None:
        params = pack.resolve_params({"act": act})
        return evaluate(pack, doc, params=params, as_of=dt.date.fromisoformat(day)).tier

    assert tier("new", "2026-12-01") == "low"
    assert tier("new", "2026-12-02") == "high"
    assert tier("old", "2027-01-01") == "low"


def test_control_id_pattern_is_the_models() -> None:
    from aipolicy.pack.compiler import _CONTROL_ID
    from aipolicy.pack.model import CONTROL_ID

    assert _CONTROL_ID.pattern == CONTROL_ID


def test_a_cached_pack_compiles_the_same_without_pydantic(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess
    import sys

    from helpers.paths import FORM, PACK

    monkeypatch.setenv("AIPOLICY_CACHE_DIR", str(tmp_path / "cache"))
    script = (
        "import sys, datetime as dt; from aipolicy.form.load import load_form; "
        "from aipolicy.sources.documents import load_document; "
        "from aipolicy.pack.load import load_pack; "
        "from aipolicy.engine.evaluate import evaluate; from aipolicy.serialize import "
        "decision_dict; import json; "
        f"p = load_pack({str(PACK)!r}, load_form(load_document({str(FORM)!r}))); "
        "d = evaluate(p, load_document(sys.argv[1]), params=p.resolve_params({}), "
        "as_of=dt.date(2026, 11, 22)); "
        "print(json.dumps(decision_dict(d), sort_keys=True)); "
        "print('pydantic' in sys.modules)"
    )
    example = str(PACK.parent / "intake" / "examples" / "cv-ranking.yaml")
    first = subprocess.run([sys.executable, "-c", script, example], capture_output=True,
                           text=True, check=True).stdout.splitlines()
    second = subprocess.run([sys.executable, "-c", script, example], capture_output=True,
                            text=True, check=True).stdout.splitlines()
    assert first[0] == second[0]
    assert first[1] == "True"  # compiled from the files, validated with pydantic
    assert second[1] == "False"  # rebuilt from the cache
    entries = list((tmp_path / "cache" / "packs").iterdir())
    assert len(entries) == 1
    entries[0].write_text("{not json")  # a damaged entry is ignored, never trusted
    third = subprocess.run([sys.executable, "-c", script, example], capture_output=True,
                           text=True, check=True).stdout.splitlines()
    assert third[0] == first[0]
