"""Who and what a use case is, read from the fields the form names."""

from __future__ import annotations

from typing import Any

import pytest

from aipolicy.form.schema import DEFAULT_NAMES
from aipolicy.identity import NO_IDENTITY, Identity, OnCall, Person, ReviewSchedule, identity_of

NAMES = {**DEFAULT_NAMES, "stage": "deployment_stage"}


def test_every_field_is_read_where_the_form_names_it() -> None:
    data = {"title": "CV ranking", "business_unit": "Human Resources",
            "deployment_stage": "pilot",
            "owner": {"name": "Jane Doe", "email": "jane@example.com"},
            "technical_owner": {"name": "Omar"},
            "operations": {"on_call": {"team": "SRE", "contact": "sre@example.com"}},
            "review": {"cadence": "quarterly", "last_reviewed": "2026-09-15",
                       "next_review_due": "2026-12-15"}}
    assert identity_of(data, NAMES) == Identity(
        title="CV ranking", business_unit="Human Resources", stage="pilot",
        owner=Person("Jane Doe", "jane@example.com"), technical_owner=Person("Omar", None),
        on_call=OnCall("SRE", "sre@example.com"),
        review=ReviewSchedule("quarterly", "2026-09-15", "2026-12-15"))


def test_renamed_and_nested_fields() -> None:
    names = {**NAMES, "business_unit": "org.unit", "on_call": "pager"}
    data = {"org": {"unit": "Payments"}, "pager": {"team": "Ops"}}
    got = identity_of(data, names)
    assert (got.business_unit, got.on_call) == ("Payments", OnCall("Ops", None))


@pytest.mark.parametrize("data", [
    None, [], "text", {},
    {"title": 7, "business_unit": ["HR"], "deployment_stage": {"a": 1}, "owner": "Jane",
     "technical_owner": {"name": 3, "email": None}, "operations": "none",
     "review": ["quarterly"]},
    {"operations": {"on_call": {"team": 1}}, "review": {"next_review_due": 20261201}},
])
def test_what_is_not_text_is_none(data: Any) -> None:
    assert identity_of(data, NAMES) == NO_IDENTITY
