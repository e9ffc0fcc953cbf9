"""A pack's headlines name facts it declares."""

from __future__ import annotations

import copy

import pytest

from aipolicy.errors import PackError
from helpers.minipack import HEADER, mini_pack


def test_a_headline_of_an_undeclared_fact_is_a_pack_error() -> None:
    header = copy.deepcopy(HEADER)
    header["headlines"] = [{"title": "EU", "column": "Category",
                            "facts": [{"fact": "eu.categry", "label": "category"}]}]
    with pytest.raises(PackError) as caught:
        mini_pack(header=header)
    assert "the pack declares no fact 'eu.categry' (did you mean 'eu.category'?)" in str(
        caught.value)


def test_headlines_are_kept_in_order() -> None:
    header = copy.deepcopy(HEADER)
    header["headlines"] = [
        {"title": "EU", "column": "Category", "facts": [{"fact": "eu.category",
                                                         "label": "category"}]},
        {"title": "Points", "facts": [{"fact": "eu.points", "label": "points:",
                                       "omit_empty": True}]}]
    pack = mini_pack(header=header)
    assert [h.title for h in pack.model.headlines] == ["EU", "Points"]
    assert pack.model.headlines[1].facts[0].omit_empty is True
