"""Checking a submission against the form: the validators, kept per form."""

from __future__ import annotations

import gc
import json
import weakref
from typing import Any

from aipolicy.form.load import load_form
from aipolicy.form.schema import Form
from aipolicy.form.validate import (
    _BY_FORM,
    Validators,
    check_submission,
    validators_of,
)
from aipolicy.sources.documents import parse_document

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"name": {"type": "string", "title": "Name"},
                   "size": {"type": "integer", "title": "Size", "minimum": 1},
                   "ref": {"$ref": "#/$defs/code"}},
    "allOf": [{"if": {"properties": {"size": {"const": 2}}, "required": ["size"]},
               "then": {"required": ["name"]}},
              {"properties": {"ref": {"$ref": "#/$defs/code"}}}],
    "$defs": {"code": {"type": "string", "pattern": "^C-[0-9]+$", "title": "Code"}},
}


def _form() -> Form:
    return load_form(parse_document(json.dumps(SCHEMA), "form.json"))


def test_a_form_keeps_one_set_of_validators() -> None:
    form = _form()
    assert validators_of(form) is validators_of(form)
    assert validators_of(form) is not validators_of(_form())
    assert validators_of(form).schema is form.schema


def test_the_validators_do_not_keep_their_form_alive() -> None:
    form = _form()
    validators_of(form)
    gone = weakref.ref(form)
    assert gone in {weakref.ref(f) for f in _BY_FORM}
    del form
    gc.collect()
    assert gone() is None


def test_without_the_fast_validator_the_reference_finds_the_same() -> None:
    form = _form()
    alone = Validators(form.schema, fast=False)
    assert alone.fast is None
    assert validators_of(form).fast is not None
    for text in ('{"size": 2}', '{"size": 0, "ref": "x"}', '{"name": 3}', '{"name": "n"}'):
        doc = parse_document(text, "s.json")
        assert check_submission(form, doc) == check_submission(form, doc, alone)
    assert check_submission(form, parse_document('{"name": "n"}', "s.json")) == []


def test_findings_name_the_field_by_its_title_and_line() -> None:
    form = _form()
    doc = parse_document("size: 2\nref: nope\n", "s.yaml")
    found = [(f.line, f.title, f.message) for f in check_submission(form, doc)]
    assert found == [(1, "Name", "Name is missing; it is required when Size is 2."),
                     (2, "Code", 'Code: "nope" does not have the expected form.')]


def test_a_reduced_validator_is_kept_for_its_failing_parts() -> None:
    validators = Validators(_form().schema)
    parts = frozenset({("properties", "size")})
    assert validators.reduced(parts) is validators.reduced(parts)
    assert validators.reduced(parts) is not validators.reduced(frozenset({("allOf", 0)}))
    assert not validators.reduced(parts).is_valid({"size": 0})
    assert validators.reduced(parts).is_valid({"ref": "not a code"})  # skipped: true


def test_an_error_in_a_definition_keeps_the_conditions_that_use_definitions() -> None:
    validators = Validators(_form().schema)
    fast = validators.fast
    assert fast is not None
    parts = validators._failing_parts(fast.iter_errors({"ref": "x"}))
    assert parts is not None
    assert ("properties", "ref") in parts
    assert ("allOf", 1) in parts
    assert ("allOf", 0) not in parts
