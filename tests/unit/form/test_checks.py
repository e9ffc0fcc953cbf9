"""Issue 10, the intake form: validation that cannot be made slow, that both validators
agree on (ECMA-262 patterns, real dates, usable numbers), and a form that refers to nothing
or holds a pattern that cannot run in linear time refused as configuration."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aipolicy.form.checks import all_unique, ecma_to_re2, is_date, pattern_matcher
from aipolicy.form.load import load_form
from aipolicy.form.schema import Form
from aipolicy.form.validate import MAX_FINDINGS, Validators, check_submission, validators_of
from aipolicy.sources.documents import parse_document
from helpers.hostile import GOOD, HOSTILE, MAX_RSS_KB, MAX_SECONDS
from helpers.hostile import run_measured as _run
from helpers.paths import ROOT, run_cli

SCHEMA = "https://json-schema.org/draft/2020-12/schema"


def _form(properties: dict[str, Any], **extra: Any) -> Form:
    schema = {"$schema": SCHEMA, "type": "object", "properties": properties, **extra}
    return load_form(parse_document(json.dumps(schema), "form.json"))


def _reference(form: Form) -> Validators:
    return Validators(form.schema, fast=False)  # the jsonschema package alone


def _write_form(tmp: Path, properties: dict[str, Any], **extra: Any) -> Path:
    path = tmp / "form.json"
    path.write_text(json.dumps({"$schema": SCHEMA, "type": "object",
                                "properties": properties, **extra}))
    return path


# ---------------------------------------------------------------- 2: uniqueItems in linear time

@pytest.mark.parametrize(("items", "unique"), [
    ([1, 1.0], False), ([True, 1], True), ([0, False], True), ([None, False], True),
    ([{"a": 1}, {"a": 1.0}], False), ([{"a": 1, "b": 2}, {"b": 2, "a": 1}], False),
    ([[1], [True]], True), ([[1, [2.0]], [1, [2]]], False), (["1", 1], True),
    ([{"a": [True]}, {"a": [1]}], True), ([], True), ([1.5, 1.5], False),
])
def test_uniqueness_is_json_schema_equality(items: list[Any], unique: bool) -> None:
    assert all_unique(items) is unique
    assert jsonschema.Draft202012Validator({"uniqueItems": True}).is_valid(items) is unique
    assert jsonschema_rs.validator_for({"uniqueItems": True}).is_valid(items) is unique


_JSON = st.recursive(st.none() | st.booleans() | st.integers(-3, 3)
                     | st.sampled_from([0.0, 1.0, 2.5, -1.0]) | st.sampled_from(["", "a", "1"]),
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.sampled_from("ab"), inner, max_size=2), max_leaves=8)


def _json_equal(a: Any, b: Any) -> bool:
    """JSON Schema's equality (2020-12 core §4.2.2), pair by pair: the definition itself."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@settings(deadline=None)
@given(items=st.lists(_JSON, max_size=6))
def test_uniqueness_agrees_with_the_definition(items: list[Any]) -> None:
    """The linear check against the quadratic definition and against jsonschema-rs. (The
    reference package's own `uniq` is no oracle: the long profile found it calling
    ``[[1, None, True], [True, None, True], [1, None, True]]`` unique; its uniqueItems is
    the one aipolicy replaces.)"""
    unique = not any(_json_equal(items[i], items[j])
                     for i in range(len(items)) for j in range(i + 1, len(items)))
    assert all_unique(items) is unique
    assert jsonschema_rs.validator_for({"uniqueItems": True}).is_valid(items) is unique


def test_the_counterexample_to_the_reference_package_is_not_unique() -> None:
    items = [[1, None, True], [True, None, True], [1, None, True]]
    assert not all_unique(items)
    assert not jsonschema_rs.validator_for({"uniqueItems": True}).is_valid(items)


def test_a_quarter_megabyte_of_mappings_is_explained_fast() -> None:
    form = _form({"things": {"type": "array", "title": "Things", "uniqueItems": True,
                             "items": {"type": "object"}}})
    items = [{"name": f"n{i}", "tags": [i, str(i)]} for i in range(8000)] + [{"name": "n1",
                                                                             "tags": [1, "1"]}]
    text = json.dumps({"things": items})
    assert len(text) > 200_000
    doc = parse_document(text, "big.json")
    for which in (validators_of(form), _reference(form)):
        start = time.perf_counter()
        found = check_submission(form, doc, which)
        assert time.perf_counter() - start < MAX_SECONDS
        assert [f.message for f in found] == [
            "Things lists a group of fields more than once (items 2 and 8001)."]


MINE = ["unique-items-mappings.json", "unique-items-mixed-types.json", "number-1e400.json",
        "number-401-digits.yaml"]


@pytest.mark.parametrize("name", MINE)
def test_hostile_inputs_are_bounded_in_validate_and_check(name: str) -> None:
    path = HOSTILE / name
    for args in (("validate", str(path), str(GOOD)),
                 ("check", str(path), str(GOOD), "--as-of", "2026-11-22", "--jobs", "1")):
        proc, seconds, rss_kb = _run(*args, "--format", "json")
        assert proc.returncode == 1, proc.stderr
        assert seconds < MAX_SECONDS, (args[0], seconds)
        assert rss_kb < MAX_RSS_KB, (args[0], rss_kb)
        results = {r["file"]: r for r in json.loads(proc.stdout)["results"]}
        assert results[str(path)]["status"] == "incomplete"
        assert results[str(GOOD)]["status"] == "pass"


def test_explaining_stops_at_a_bounded_number_of_findings() -> None:
    form = _form({"codes": {"type": "array", "title": "Codes",
                            "items": {"type": "string", "enum": ["a", "b"]}}})
    doc = parse_document(json.dumps({"codes": [f"x{i}" for i in range(5000)]}), "s.json")
    found = check_submission(form, doc)
    assert len(found) == MAX_FINDINGS + 1
    assert any("more problems than the 100 listed" in f.message for f in found)


# ---------------------------------------------------------------- 3: numbers the engine can use

NUMBERS = {"count": {"type": "integer", "title": "Count"},
           "ratio": {"type": "number", "title": "Ratio", "maximum": 10},
           "rows": {"type": "array", "items": {"type": "object", "properties": {
               "size": {"type": "number", "title": "Size"}}}}}


@pytest.mark.parametrize(("text", "message"), [
    ('{"count": ' + "9" * 401 + "}", "Count: 99999999…9999 (401 digits) is too large a number."),
    ('{"ratio": 1e400}', "Ratio: the number written is too large: past about 1.8e308 it is "
                         "read as infinity."),
    ('{"ratio": -1e400}', "Ratio: the number written is too large: past about 1.8e308 it is "
                          "read as infinity."),
    ('{"rows": [{"size": 1}, {"size": 2e999}]}',
     "rows › item 2 › Size: the number written is too large: past about 1.8e308 it is read "
     "as infinity."),
    ("count: " + "1" * 401 + "\n", "Count: 11111111…1111 (401 digits) is too large a number."),
])
def test_numbers_out_of_range_are_refused_in_any_numeric_field(text: str, message: str) -> None:
    form = _form(NUMBERS)
    doc = parse_document(text, "s.json" if text.startswith("{") else "s.yaml")
    for which in (validators_of(form), _reference(form)):
        assert [f.message for f in check_submission(form, doc, which)] == [message]


def test_a_large_but_finite_number_is_accepted() -> None:
    form = _form(NUMBERS)
    doc = parse_document('{"count": 12000000000000000000000000, "ratio": 1.6e-9,'
                         ' "rows": [{"size": 1.681e23}]}', "s.json")
    assert check_submission(form, doc) == []


def test_a_number_too_large_makes_the_submission_incomplete(tmp_path: Path) -> None:
    form = _write_form(tmp_path, NUMBERS)
    sub = tmp_path / "s.json"
    sub.write_text('{"ratio": 1e400}')
    r = run_cli("validate", str(sub), "--schema", str(form), "--format", "json")
    assert r.exit_code == 1
    result = json.loads(r.stdout)["results"][0]
    assert result["status"] == "incomplete"
    assert "Ratio" in result["findings"][0]["message"]


# ---------------------------------------------------------------- 9, 10: one meaning of patterns

PATTERN = r"^CS-\d{4}$"


@pytest.mark.parametrize(("pattern", "text", "valid"), [
    (PATTERN, "CS-0107", True), (PATTERN, "CS-0107\n", False), (PATTERN, "CS-０１０７", False),
    (PATTERN, "xCS-0107", False), (r"^\w+$", "abc_1", True), (r"^\w+$", "é", False),
    (r"^a.b$", "a\nb", False), (r"^a.b$", "a\rb", False), (r"^a.b$", "aéb", True),
    (r"^\s$", "\u00a0", True), (r"^\s$", "\u2028", True), (r"^\S$", "\u3000", False),
    (r"^\S$", "x", True), (r"^[\s]$", "\ufeff", True), (r"^\u00e9$", "é", True),
    (r"^\x41$", "A", True), (r"^[^]$", "\n", True), (r"^[]$", "", False), (r"b", "abc", True),
    (r"^\d{3,6}$", "12", False), (r"^(?<y>\d{4})$", "2027", True), (r"^a|b$", "xb", True),
    (r"^\/$", "/", True), (r"^\ud83d\ude00$", "😀", True), (r"^[\b]$", "\b", True),
    (r"^(a+)+$", "a" * 3000 + "b", False),
    (r"\bC", "éC", True),  # ECMA's \b is ASCII (stock jsonschema-rs: Unicode, no match)
])
def test_both_validators_match_patterns_as_ecma_262_does(pattern: str, text: str,
                                                         valid: bool) -> None:
    form = _form({"id": {"type": "string", "title": "ID", "pattern": pattern}})
    data = {"id": text}
    fast = validators_of(form).fast
    assert fast is not None
    start = time.perf_counter()
    assert fast.is_valid(data) is valid
    assert validators_of(form).reference.is_valid(data) is valid
    assert bool(check_submission(form, parse_document(json.dumps(data), "s.json"))) is not valid
    assert time.perf_counter() - start < 1


_TEXT = st.text(st.sampled_from(list("CS-0123456789aé_ \n\r\t\u00a0\u2028０５")), max_size=9)
_PATTERNS = [PATTERN, r"^\w+$", r"^\d*$", r"^[A-Z]{2}-\d+$", r"\s", r"^\S+$", r"^a.$",
             r"^[^\d]+$", r"0$", r"^-?\d+(\.\d+)?$"]


@settings(deadline=None)
@given(pattern=st.sampled_from(_PATTERNS), text=_TEXT)
def test_patterns_agree_with_an_ecma_262_engine(pattern: str, text: str) -> None:
    """jsonschema-rs's own matcher is ECMA-262's (but for \\b, which it takes as Unicode);
    aipolicy's (RE2, in both validators) must decide as it does."""
    form = _form({"id": {"type": "string", "pattern": pattern}})
    stock = jsonschema_rs.validator_for({"type": "string", "pattern": pattern})
    expected = stock.is_valid(text)
    assert pattern_matcher(pattern)(text) is expected
    assert validators_of(form).reference.is_valid({"id": text}) is expected
    fast = validators_of(form).fast
    assert fast is not None
    assert fast.is_valid({"id": text}) is expected


@pytest.mark.parametrize(("pattern", "why"), [
    (r"^(a)\1$", "back-references"), (r"^(?=a)", "look-ahead"), (r"(?<!a)b", "look-ahead"),
    (r"^(?i)a$", "not ECMA-262"), ("a{2000}", "cannot be used"), (r"\z", "not an escape"),
    (r"^[\S]$", r"\S inside"), ("[a", "not closed"),
])
def test_a_pattern_that_cannot_run_in_linear_time_is_refused_at_load(
        tmp_path: Path, pattern: str, why: str) -> None:
    form = _write_form(tmp_path, {"id": {"type": "string", "pattern": pattern}})
    sub = tmp_path / "s.yaml"
    sub.write_text("id: x\n")
    with pytest.raises(ValueError, match=r"\w"):
        ecma_to_re2(pattern) if why != "cannot be used" else pattern_matcher(pattern)
    r = run_cli("validate", str(sub), "--schema", str(form))
    assert r.exit_code == 2
    assert r.stderr.startswith(f"aipolicy: error: {form}:"), r.stderr
    assert why in r.stderr
    assert "Traceback" not in r.stderr


def test_a_careless_pattern_on_a_long_answer_is_fast(tmp_path: Path) -> None:
    form = _write_form(tmp_path, {"id": {"type": "string", "title": "ID",
                                         "pattern": "^(a+)+$"}})
    sub = tmp_path / "s.yaml"
    sub.write_text("id: " + "a" * 100_000 + "b\n")
    proc, seconds, _ = _run("validate", str(sub), "--schema", str(form))
    assert proc.returncode == 1
    assert seconds < MAX_SECONDS
    assert 'ID: "aaaaaaaa' in proc.stdout
    assert "does not have the expected form" in proc.stdout


def test_pattern_properties_are_refused(tmp_path: Path) -> None:
    form = _write_form(tmp_path, {"tags": {"type": "object",
                                           "patternProperties": {"^(a+)+$": {}}}})
    sub = tmp_path / "s.yaml"
    sub.write_text("tags: {}\n")
    r = run_cli("validate", str(sub), "--schema", str(form))
    assert r.exit_code == 2
    assert "patternProperties" in r.stderr


def test_a_property_named_like_a_keyword_is_not_one(tmp_path: Path) -> None:
    form = _form({"pattern": {"type": "string"}, "patternProperties": {"type": "string"},
                  "x": {"enum": [{"pattern": "(("}]}})
    doc = parse_document('{"pattern": "a", "patternProperties": "b"}', "s.json")
    assert check_submission(form, doc) == []


# ---------------------------------------------------------------- 9: one meaning of dates

@pytest.mark.parametrize(("text", "valid"), [
    ("2027-01-31", True), ("0000-01-01", False), ("0001-01-01", True), ("9999-12-31", True),
    ("2027-02-29", False), ("2028-02-29", True), ("2027-W01-1", False), ("20270131", False),
    ("２０２７-01-31", False), ("2027-01-31\n", False), ("2027-1-31", False),
    ("2027-01-31T00:00", False), ("+2027-01-31", False), ("2027-13-01", False),
])
def test_both_validators_and_the_engine_agree_on_dates(text: str, valid: bool) -> None:
    form = _form({"due": {"type": "string", "format": "date", "title": "Due"}})
    fast = validators_of(form).fast
    assert fast is not None
    assert fast.is_valid({"due": text}) is valid
    assert validators_of(form).reference.is_valid({"due": text}) is valid
    assert is_date(text) is valid
    if valid:  # what the form accepts, the engine can use
        from aipolicy.language.operators import _as_date

        assert _as_date(text) is not None


@settings(deadline=None)
@given(text=st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z") | st.text(max_size=11))
def test_dates_agree_whatever_the_text(text: str) -> None:
    form = _date_form()
    fast = validators_of(form).fast
    assert fast is not None
    expected = is_date(text)
    assert fast.is_valid({"due": text}) is expected
    assert validators_of(form).reference.is_valid({"due": text}) is expected
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text, re.ASCII):
        import datetime as dt

        try:
            dt.date.fromisoformat(text)
        except ValueError:
            assert not expected
        else:
            assert expected


_DATE_FORM: list[Form] = []


def _date_form() -> Form:
    if not _DATE_FORM:
        _DATE_FORM.append(_form({"due": {"type": "string", "format": "date"},
                                 "mail": {"type": "string", "format": "email"},
                                 "addr": {"type": "string", "format": "ipv4"},
                                 "site": {"type": "string", "format": "uri"}}))
    return _DATE_FORM[0]


@settings(deadline=None)
@given(field=st.sampled_from(["mail", "addr", "site"]),
       text=st.text(st.sampled_from(list("a@b.c1 :/\n.0")), max_size=10)
       | st.sampled_from(["a@b", "a@b.c", "@b", "a@", "a b@c", "1.2.3.4", "256.1.1.1",
                          "http://x", "not a uri"]))
def test_formats_agree(field: str, text: str) -> None:
    form = _date_form()
    fast = validators_of(form).fast
    assert fast is not None
    assert fast.is_valid({field: text}) is validators_of(form).reference.is_valid({field: text})


# ---------------------------------------------------------------- 13: a reference to nothing

@pytest.mark.parametrize("command", ["validate", "check"])
def test_a_dangling_ref_is_a_configuration_error(tmp_path: Path, command: str) -> None:
    schema = json.loads((ROOT / "intake" / "schema.json").read_text())
    schema["properties"]["title"] = {"$ref": "#/$defs/nope", "title": "T", "description": "d"}
    form = tmp_path / "form.json"
    form.write_text(json.dumps(schema, indent=2))
    r = run_cli(command, str(GOOD), "--schema", str(form))
    assert r.exit_code == 2, r.stderr
    assert r.stderr.startswith(f"aipolicy: error: {form}:")
    assert "'#/$defs/nope'" in r.stderr
    assert "Traceback" not in r.stderr


def test_refs_that_resolve_are_accepted() -> None:
    form = _form({"a": {"$ref": "#/$defs/x"}, "b": {"$ref": "#here"}, "c": {"$ref": "#"},
                  "d": {"$ref": "#/$defs/with~1slash"}, "e": {"$ref": "#/$defs/sp%20ace"}},
                 **{"$defs": {"x": {"type": "string"}, "y": {"$anchor": "here"},
                              "with/slash": {}, "sp ace": {}}})
    assert check_submission(form, parse_document('{"a": "s", "b": 1}', "s.json")) == []


# ---------------------------------------------------------------- 17: the value given

def test_findings_show_the_value_shortened_and_safe() -> None:
    form = _form({"id": {"type": "string", "title": "ID", "pattern": "^[A-Z]+$"},
                  "name": {"type": "string", "title": "Name", "maxLength": 3},
                  "n": {"type": "integer", "title": "N", "minimum": 5}})
    doc = parse_document(json.dumps({"id": "x\n::error::" + "y" * 500, "name": "abcd",
                                     "n": 2}), "s.json")
    messages = sorted(f.message for f in check_submission(form, doc))
    assert messages == [
        'ID: "x\\n::error::' + "y" * 48 + '…" does not have the expected form.',
        "N: 2 must be at least 5.",
        'Name: "abcd" must be at most 3 characters (it has 4).',
    ]
