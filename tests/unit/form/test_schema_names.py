"""The fields aipolicy reads, as the form names them (``x-aipolicy``), and their defaults."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from aipolicy.errors import FormError
from aipolicy.form.load import load_form
from aipolicy.form.schema import Form
from aipolicy.sources.documents import parse_document
from helpers.minipack import FORM, mini_form


def _form(names: Any) -> Form:
    schema: dict[str, Any] = copy.deepcopy(FORM)
    schema["x-aipolicy"] = names
    return load_form(parse_document(json.dumps(schema, indent=1), "form.json"))


def test_without_the_annotation_the_names_are_the_defaults() -> None:
    form = mini_form()
    assert (form.identity_field, form.stage_field, form.controls_field) == (
        "use_case_id", "deployment_stage", "controls")
    assert form.stages == ("idea", "pilot", "production")
    assert form.identity({"use_case_id": "HR-0042"}) == "HR-0042"
    assert form.identity({"use_case_id": 42}) is None
    assert form.identity(["not", "a", "mapping"]) is None


def test_the_annotation_names_other_fields() -> None:
    form = _form({"identity": "owner", "stage": "purposes"})
    assert form.identity_field == "owner"
    assert form.stage_field == "purposes"
    assert form.controls_field == "controls"  # not named: the default
    assert form.stages == ()  # an array has no enum of its own


@pytest.mark.parametrize(("names", "words"), [
    ({"identity": "ref"}, ["names 'ref' as the identity field", "no such top-level"]),
    ({"stage": "deployment_stag"}, ["did you mean 'deployment_stage'?"]),
    ({"identiy": "use_case_id"}, ['names no field "identiy"', "did you mean 'identity'?"]),
    (["use_case_id"], ['"x-aipolicy" must be an object']),
    ({"controls": 3}, ["names 3 as the controls field"]),
])
def test_a_name_the_form_lacks_is_a_form_error_with_its_line(names: Any,
                                                             words: list[str]) -> None:
    with pytest.raises(FormError) as caught:
        _form(names)
    text = str(caught.value)
    assert text.startswith("form.json:")
    where = caught.value.location
    assert where is not None
    assert where.line is not None
    assert where.line > 1
    for word in words:
        assert word in text


def test_the_owners_emails_are_read_from_the_fields_the_form_names() -> None:
    form = mini_form()
    data = {"owner": {"name": "Jane", "email": " Jane.Doe@Example.com "},
            "technical_owner": {"name": "Raj", "email": "raj@example.com"}}
    assert form.owner_emails(data) == {"jane.doe@example.com", "raj@example.com"}
    assert form.owner_emails({"owner": "Jane"}) == frozenset()
    assert form.owner_emails({"owner": {"email": 7}}) == frozenset()
    assert form.owner_emails(["not", "a", "mapping"]) == frozenset()
    renamed = _form({"owner": "use_case_id"})
    assert renamed.owner_emails({"use_case_id": {"email": "a@b.c"}}) == {"a@b.c"}


def test_the_identity_names_default_and_may_be_dotted_paths() -> None:
    form = mini_form()
    assert {k: form.names[k] for k in ("title", "business_unit", "on_call", "review")} == {
        "title": "title", "business_unit": "business_unit",
        "on_call": "operations.on_call", "review": "review"}
    renamed = _form({"business_unit": "owner.name"})
    assert renamed.names["business_unit"] == "owner.name"
    with pytest.raises(FormError, match=re.escape(
            "names 'owner.nam' as the business_unit field, but the form has no such property")):
        _form({"business_unit": "owner.nam"})
    with pytest.raises(FormError, match="no such top-level property"):
        _form({"owner": "owner.name"})  # the owner is a top-level field
