"""A pack's signoffs section is checked against the form and the pack's roles."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from aipolicy.errors import PackError
from helpers.minipack import HEADER, mini_pack


def _pack_with(signoffs: dict[str, Any]) -> Any:
    header = copy.deepcopy(HEADER)
    header["signoffs"] = signoffs
    return mini_pack(header=header)


def test_a_pack_without_the_section_requires_no_signoff() -> None:
    policy = mini_pack().model.signoffs
    assert policy.stages == ()
    assert policy.source == "either"
    assert policy.valid_days is None


def test_the_section_is_kept_as_written() -> None:
    policy = _pack_with({"stages": ["production"], "source": "approvals", "valid_days": 90,
                         "owner_roles": ["owner"]}).model.signoffs
    assert (policy.stages, policy.source, policy.valid_days, policy.owner_roles) == (
        ("production",), "approvals", 90, ("owner",))


@pytest.mark.parametrize(("section", "message"), [
    ({"stages": ["prod"]}, "'prod' is not a deployment stage of the form (idea, pilot, "
     "production) (did you mean 'production'?)"),
    ({"owner_roles": ["ownr"]}, "unknown role 'ownr' (did you mean 'owner'?)"),
    ({"change": {"field": "stage", "values": ["x"], "date": "next_review_due"}},
     "the form has no field 'stage'"),
    ({"change": {"field": "deployment_stage", "values": ["prod"], "date": "next_review_due"}},
     "'prod' is not a value of deployment_stage (did you mean 'production'?)"),
    ({"change": {"field": "deployment_stage", "values": ["pilot"], "date": "use_case_id"}},
     "'use_case_id' is not a date field"),
])
def test_a_bad_section_is_a_pack_error(section: dict[str, Any], message: str) -> None:
    with pytest.raises(PackError) as caught:
        _pack_with(section)
    assert message in str(caught.value)


@pytest.mark.parametrize("section", [{"source": "files"}, {"valid_days": 0},
                                     {"stage": ["production"]}])
def test_a_malformed_section_is_refused_by_the_format(section: dict[str, Any]) -> None:
    with pytest.raises(PackError) as caught:
        _pack_with(section)
    assert "signoffs" in str(caught.value)
