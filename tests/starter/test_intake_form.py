"""The shipped intake form: complete, documented for business users, true to the contract."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from aipolicy.form.load import load_form
from aipolicy.form.validate import Validators, check_submission, validators_of
from aipolicy.sources.documents import load_document
from helpers.paths import EXAMPLES, FORM, ROOT

SCHEMA: dict[str, Any] = json.loads(FORM.read_text())
CONTRACT = ROOT.parent / "shared" / "spec" / "intake-form.md"


def _properties(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            yield f"{path}.{name}".lstrip("."), sub
            yield from _properties(sub, f"{path}.{name}")
        if isinstance(node.get("items"), dict):
            yield from _properties(node["items"], f"{path}[]")
        for key in ("$defs", "allOf", "anyOf", "oneOf"):
            value = node.get(key)
            subs = value.values() if isinstance(value, dict) else value or []
            for sub in subs:
                yield from _properties(sub, f"{path}<{key}>")


def test_form_is_a_valid_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_field_has_a_title_and_a_description() -> None:
    missing = [path for path, sub in _properties(SCHEMA)
               if "<allOf>" not in path and not (sub.get("title") and sub.get("description"))]
    assert missing == []


def test_every_group_of_fields_rejects_unknown_keys() -> None:
    def objects(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
        if isinstance(node, dict):
            if "properties" in node and "<allOf>" not in path and "if" not in path:
                yield path, node
            for key, value in node.items():
                if key in ("if", "then"):
                    continue
                if isinstance(value, dict):
                    yield from objects(value, f"{path}.{key}")
                elif isinstance(value, list):
                    for i, item in enumerate(value):
                        yield from objects(item, f"{path}.{key}[{i}]")

    open_objects = [path for path, node in objects(SCHEMA)
                    if node.get("additionalProperties") is not False and ".then" not in path]
    assert open_objects == []


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_examples_fill_in_the_form_except_the_incomplete_one(example: str) -> None:
    form = load_form(load_document(str(FORM)))
    findings = check_submission(form, load_document(str(EXAMPLES / example)))
    if "incomplete" in example:
        assert findings, "the incomplete example should be incomplete"
    else:
        assert findings == []


def _contract_rows() -> Iterator[tuple[str, list[str]]]:
    text = CONTRACT.read_text()
    for line in text.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        names = re.findall(r"`([a-z_0-9.]+)`", cells[0])
        chunks = re.findall(r"`([^`]+)`", cells[2]) if len(cells) > 2 else []
        if len(cells) > 2 and "{" in cells[2]:
            chunks = []  # objects: their fields are rows of their own or checked by examples
        per_name = [chunks] * len(names)
        if len(names) > 1 and len(chunks) == len(names):  # `a` / `b` with `x, y` / `z`
            per_name = [[c] for c in chunks]
        for name, own in zip(names, per_name, strict=True):
            values = [v.strip() for chunk in own for v in chunk.split(",")
                      if re.fullmatch(r"[A-Za-z0-9_]+", v.strip())]
            yield name, values


@pytest.mark.skipif(not CONTRACT.exists(), reason="the field contract is not beside the repo")
def test_every_contract_field_and_value_exists() -> None:
    form = load_form(load_document(str(FORM)))
    problems = []
    for name, values in _contract_rows():
        info = form.field(tuple(name.split(".")))
        if info is None:
            problems.append(f"missing field {name}")
            continue
        allowed = set(info.enum or ()) | set(info.item.enum or () if info.item else ())
        if not allowed:
            continue
        problems += [f"{name}: missing value {v}" for v in values
                     if v not in allowed and v not in {"yes/no/unknown"}]
    assert problems == []


def test_always_required_fields() -> None:
    assert set(SCHEMA["required"]) == {
        "schema_version", "use_case_id", "title", "intended_purpose", "business_unit", "owner",
        "deployment_stage", "jurisdictions", "org_roles", "deployer_type", "is_ai_system",
        "system_types", "model_source", "capabilities", "domain", "purposes",
        "affected_subjects", "decision_role", "decision_effect", "data_sensitivity",
    }


def test_examples_carry_the_editor_modeline() -> None:
    for path in EXAMPLES.glob("*.yaml"):
        assert path.read_text().startswith("# yaml-language-server: $schema=../schema.json\n")


def test_dates_and_yes_answers_as_people_write_them(tmp_path: Path) -> None:
    form = load_form(load_document(str(FORM)))
    text = (EXAMPLES / "meeting-notes-summariser.yaml").read_text()
    assert "is_ai_system: yes\n" in text
    doc = load_document(str(EXAMPLES / "meeting-notes-summariser.yaml"))
    assert check_submission(form, doc) == []


@functools.lru_cache(maxsize=1)
def _form() -> Any:
    return load_form(load_document(str(FORM)))


_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-2, 10**20), st.floats(allow_nan=False),
                    st.text(max_size=8), st.sampled_from(["2027-01-31", "2027-02-30", "a@b.c",
                                                          "yes", "HR-0042", "production"]),
                    st.lists(st.sampled_from(["EU", "deployer", "other", 3]), max_size=3))


def _edited(example: str, edits: list[tuple[str, Any, bool]]) -> dict[str, Any]:
    """An example's data with top-level answers removed or replaced."""
    data = dict(load_document(str(EXAMPLES / example)).data)
    for key, value, delete in edits:
        if delete:
            data.pop(key, None)
        else:
            data[key] = value
    return data


@settings(max_examples=250, deadline=None)
@given(example=st.sampled_from(sorted(p.name for p in EXAMPLES.glob("*.yaml"))),
       edits=st.lists(st.tuples(st.sampled_from(sorted(SCHEMA["properties"])), _VALUES,
                                st.booleans()), max_size=3))
def test_fast_and_reference_validators_agree(example: str,
                                             edits: list[tuple[str, Any, bool]]) -> None:
    form = _form()
    data = _edited(example, edits)
    fast = validators_of(form).fast
    assert fast is not None
    try:
        quick = fast.is_valid(data)
    except Exception:  # the engine then asks the reference; nothing to compare
        return
    assert quick == validators_of(form).reference.is_valid(data)


def test_without_jsonschema_rs_the_reference_decides() -> None:
    form = load_form(load_document(str(FORM)))
    alone = Validators(form.schema, fast=False)  # as on a platform without the wheel
    assert check_submission(form, load_document(str(EXAMPLES / "meeting-notes-summariser.yaml")),
                            alone) == []
    assert check_submission(
        form, load_document(str(EXAMPLES / "invoice-extraction-incomplete.yaml")), alone)


@functools.lru_cache(maxsize=1)
def _reference() -> Validators:
    return Validators(_form().schema, fast=False)  # the jsonschema package alone, whole form


_NESTED = st.sampled_from(["owner", "human_oversight", "dpia", "gpai", "biometric_context",
                           "operations", "controls", "vendors", "review"])


@settings(max_examples=300, deadline=None)
@given(example=st.sampled_from(sorted(p.name for p in EXAMPLES.glob("*.yaml"))),
       edits=st.lists(st.tuples(st.sampled_from(sorted(SCHEMA["properties"])), _VALUES,
                                st.booleans()), max_size=3),
       nested=st.lists(st.tuples(_NESTED, st.sampled_from(["name", "email", "status", "x", 0]),
                                 _VALUES), max_size=2))
def test_explaining_only_the_failing_parts_gives_the_same_findings(
        example: str, edits: list[tuple[str, Any, bool]],
        nested: list[tuple[str, Any, Any]]) -> None:
    """check() explains with the failing fields and conditions only; the findings must be
    those of the whole form."""
    from aipolicy.sources.documents import parse_document

    data = _edited(example, edits)
    for key, inner, value in nested:
        group = data.get(key)
        if isinstance(group, dict):
            data[key] = {**group, inner: value}
        elif isinstance(group, list) and group and isinstance(group[0], dict):
            data[key] = [{**group[0], inner: value}, *group[1:]]
    try:
        text = json.dumps(data, allow_nan=False)
    except ValueError:  # infinity: no submission file can hold it
        assume(False)
    doc = parse_document(text, "edited.yaml")
    assert check_submission(_form(), doc) == check_submission(_form(), doc, _reference())


def test_a_fault_in_a_definition_used_by_a_condition_is_explained() -> None:
    """jsonschema-rs names an error inside a $ref'd definition by the definition's path;
    the conditions that use definitions must be kept to explain it."""
    from aipolicy.sources.documents import parse_document

    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {"a": {"type": "integer"}, "b": {}},
        "allOf": [{"if": {"properties": {"a": {"const": 1}}, "required": ["a"]},
                   "then": {"properties": {"b": {"$ref": "#/$defs/person"}}}}],
        "$defs": {"person": {"type": "object", "title": "Person"}},
    }
    form = load_form(parse_document(json.dumps(schema), "form.json"))
    reference = Validators(load_form(parse_document(json.dumps(schema), "form.json")).schema,
                           fast=False)
    doc = parse_document('{"a": 1, "b": "x"}', "s.yaml")
    found = check_submission(form, doc)
    assert found
    assert found == check_submission(form, doc, reference)
