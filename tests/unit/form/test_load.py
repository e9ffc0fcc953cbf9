"""Loading the form: a usable JSON Schema, or a FormError at the place that is wrong."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aipolicy.errors import FormError
from aipolicy.form.load import load_form
from aipolicy.sources.documents import parse_document

SCHEMA = "https://json-schema.org/draft/2020-12/schema"


def _load(schema: Any, *, checked: bool = False) -> None:
    load_form(parse_document(json.dumps(schema, indent=1), "form.json"), checked=checked)


def _refused(schema: Any, *, checked: bool = False) -> FormError:
    with pytest.raises(FormError) as info:
        _load(schema, checked=checked)
    return info.value


@pytest.mark.parametrize(("schema", "line", "fragment"), [
    ([], 1, "must be a JSON Schema object"),
    ({"type": "array"}, 1, 'must describe an object ("type": "object")'),
    ({"type": "object", "properties": {"a": {"$ref": "other.json#/x"}}}, 5,
     "aipolicy never fetches schemas from elsewhere"),
    ({"type": "object", "properties": {"a": {"$ref": "#/$defs/none"}}}, 5,
     "which is not in the form"),
    ({"type": "object", "patternProperties": {"^x": {}}}, 3, "patternProperties"),
    ({"type": "object", "properties": {"a": {"pattern": "(?=x)"}}}, 5, "cannot be used"),
])
def test_what_the_form_cannot_be_is_refused_where_it_is(schema: Any, line: int,
                                                       fragment: str) -> None:
    for checked in (False, True):  # the checks of aipolicy's own are never skipped
        err = _refused(schema, checked=checked)
        assert fragment in err.message
        assert err.location is not None
        assert err.location.line == line


def test_the_metaschema_check_is_skipped_for_a_form_checked_before() -> None:
    schema = {"$schema": SCHEMA, "type": "object", "properties": {"a": {"minimum": "one"}}}
    err = _refused(schema)
    assert err.message.startswith("the intake form is not a valid JSON Schema at "
                                  "properties/a/minimum:")
    assert err.location is not None
    assert err.location.line == 6
    _load(schema, checked=True)


def test_a_property_named_like_a_keyword_is_a_name() -> None:
    _load({"$schema": SCHEMA, "type": "object",
           "properties": {"patternProperties": {"type": "string"}, "$ref": {}}})
