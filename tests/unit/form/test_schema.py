"""The Form value reads the schema only: loading and validating are modules above it."""

from __future__ import annotations

import json
import subprocess
import sys

from aipolicy.form.load import load_form
from aipolicy.form.schema import FieldInfo, Form, did_you_mean, json_type, type_matches
from aipolicy.sources.documents import parse_document


def test_the_form_value_imports_neither_its_loader_nor_its_validator() -> None:
    code = ("import sys, aipolicy.form.schema; "
            "print(sorted(m for m in sys.modules if m.startswith(('aipolicy.form', 'json"
            "schema'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "['aipolicy.form', 'aipolicy.form.schema']"


def test_field_information_by_path() -> None:
    schema = {"type": "object", "title": "Sub", "properties": {
        "owner": {"type": "object", "title": "Owner", "properties": {
            "email": {"type": "string", "format": "email", "title": "Email",
                      "examples": ["a@b.c"]}}},
        "tags": {"type": "array", "items": {"enum": ["x", 1]}}}}
    form = load_form(parse_document(json.dumps(schema), "form.json"))
    assert isinstance(form, Form)
    email = form.field(("owner", "email"))
    assert isinstance(email, FieldInfo)
    assert (email.types, email.format, email.example) == (frozenset({"string"}), "email",
                                                          "a@b.c")
    assert email.label == 'owner.email ("Email")'
    tags = form.field(("tags",))
    assert tags is not None
    assert tags.item is not None
    assert tags.item.enum == ("x", 1)
    assert tags.item.types == frozenset({"string", "integer"})
    assert form.field(("owner", "nope")) is None
    assert form.title_path(["owner", "email"]) == "Owner › Email"
    assert form.title_path(["tags", 1]) == "tags › item 2"


def test_words_and_types() -> None:
    assert did_you_mean("prodution", ["pilot", "production"]) == " (did you mean 'production'?)"
    assert did_you_mean("zzz", ["pilot"]) == ""
    values: tuple[object, ...] = (None, True, 1, 1.5, "", [], {})
    assert [json_type(v) for v in values] == [
        "null", "boolean", "integer", "number", "string", "array", "object"]
    assert type_matches(3, frozenset({"number"}))
    assert not type_matches(True, frozenset({"integer"}))
    assert type_matches("x", frozenset())
