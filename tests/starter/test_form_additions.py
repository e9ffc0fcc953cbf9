"""The form's additions for issue 14: each asked only when an earlier answer makes it
relevant, each in `aipolicy new`'s template, and a plain low-risk use case asked no more
than before."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from aipolicy.form.load import load_form
from aipolicy.form.validate import check_submission
from aipolicy.scaffold.template import render
from aipolicy.sources.documents import load_document, parse_document
from helpers.paths import FORM, ROOT

#: The fields issue 14 adds to the form (dotted paths).
ADDED = ["biometric_context.categories_assigned", "biometric_context.national_law_basis",
         "annex_i_product.third_party_avoidable_with_standards", "provider_established_in_eu",
         "ai_characteristics", "real_world_testing",
         "transparency_context.input_not_substantially_altered", "end_users"]

#: The required questions of the plain low-risk use case below under the form before
#: issue 14 (counted by the same function, on the form of that time): every answer but
#: eu_nexus.
REQUIRED_BEFORE = 21

PLAIN = ROOT / "tests" / "data" / "run" / "good.yaml"


@pytest.fixture(scope="module")
def form() -> Any:
    return load_form(load_document(str(FORM)))


def _leaves(data: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if isinstance(data, dict) and data:
        return [p for k, v in data.items() for p in _leaves(v, (*prefix, k))]
    return [prefix]


def _without(data: Any, path: tuple[str, ...]) -> Any:
    if len(path) == 1:
        return {k: v for k, v in data.items() if k != path[0]}
    return {**data, path[0]: _without(data[path[0]], path[1:])}


def required_questions(form: Any, data: dict[str, Any]) -> list[str]:
    """The answers of a complete submission that the form requires: each answer whose
    removal leaves the submission incomplete."""
    assert check_submission(form, parse_document(yaml.safe_dump(data), "x.yaml")) == []
    required = []
    for path in _leaves(data):
        text = yaml.safe_dump(_without(data, path), sort_keys=False)
        found = check_submission(form, parse_document(text, "x.yaml"))
        if any(f.rule == "AIP002" for f in found):
            required.append(".".join(path))
    return required


def test_a_plain_low_risk_use_case_is_asked_no_more_than_before(form: Any) -> None:
    # the data as the form reads it (YAML 1.2: `yes` stays text), so that a dumped copy
    # without one answer is incomplete only for the want of that answer
    data = load_document(str(PLAIN)).data
    required = required_questions(form, data)
    assert len(required) <= REQUIRED_BEFORE
    assert "owner.email" in required
    assert "eu_nexus" not in required


@pytest.mark.parametrize("field", ADDED)
def test_every_added_field_is_in_the_template_and_not_always_required(form: Any,
                                                                     field: str) -> None:
    template = render(form)
    leaf = field.split(".")[-1]
    assert f"# {leaf}:" in template or f"{leaf}:" in template, field
    info = form.field(tuple(field.split(".")))
    assert info is not None
    assert field.split(".")[0] not in form.schema["required"]


#: The legacy-system fields (Art. 111), kept apart from ADDED so that each addition stays
#: a block of its own.
LEGACY_FIELDS = ["market_history.first_placed_on_market",
                 "market_history.significant_design_change",
                 "market_history.annex_x_component"]


@pytest.mark.parametrize("field", LEGACY_FIELDS)
def test_every_legacy_field_is_in_the_template_and_not_always_required(form: Any,
                                                                      field: str) -> None:
    test_every_added_field_is_in_the_template_and_not_always_required(form, field)


#: The GPAI-side fields (Art. 51-54), kept apart from ADDED so that each addition stays a
#: block of its own.
GPAI_FIELDS = ["gpai.high_impact_capabilities", "gpai.relation_to_model",
               "gpai.downstream_modification", "open_source_release.monetisation"]


@pytest.mark.parametrize("field", GPAI_FIELDS)
def test_every_gpai_field_is_in_the_template_and_not_always_required(form: Any,
                                                                    field: str) -> None:
    test_every_added_field_is_in_the_template_and_not_always_required(form, field)


#: A GPAI provider's fine-tune of another provider's model, without compute figures.
MODEL: dict[str, Any] = {"is_gpai_model": "yes", "generative_modalities": ["text"]}
FINE_TUNE: dict[str, Any] = {"org_roles": ["gpai_model_provider"],
                             "model_source": "fine_tuned_third_party", "gpai": MODEL}


@pytest.mark.parametrize(("change", "asked"), [
    ({}, True),
    ({"gpai": {**MODEL, "downstream_modification": "unknown"}}, False),
    ({"gpai": {**MODEL, "modification_compute_flop": 1e21}}, False),
    ({"model_source": "in_house_trained"}, False),
    ({"org_roles": ["provider"]}, False),
], ids=["no-figures-no-answer", "answered", "figures", "own-model", "role-not-ticked"])
def test_the_significant_change_is_asked_only_of_a_modifier_without_figures(
        form: Any, change: dict[str, Any], asked: bool) -> None:
    data = {**load_document(str(PLAIN)).data, **FINE_TUNE, **change}
    if "gpai_model_provider" not in data["org_roles"]:
        data.pop("gpai")
    found = check_submission(form, parse_document(yaml.safe_dump(data), "x.yaml"))
    paths = [f.path for f in found if f.rule == "AIP002"]
    assert paths == (["gpai.downstream_modification"] if asked else []), found
