"""The YAML reader's builder: every node reaches its parent through one attach()."""

from __future__ import annotations

from typing import Any

import pytest

from aipolicy.errors import SourceError
from aipolicy.sources.files import Limits
from aipolicy.sources.yaml12 import parse_yaml


def _error(text: str, limits: Limits | None = None) -> SourceError:
    with pytest.raises(SourceError) as info:
        parse_yaml(text, "t.yaml") if limits is None else parse_yaml(text, "t.yaml", limits)
    return info.value


def test_keys_values_and_items_are_indexed_where_they_are_written() -> None:
    text = "a: 1\nb:\n  c: x\n  d: [p, q]\ne:\n  - f: 2\n  -   g\n"
    data, lines = parse_yaml(text, "t.yaml")
    assert data == {"a": 1, "b": {"c": "x", "d": ["p", "q"]}, "e": [{"f": 2}, "g"]}
    assert lines == {
        (): (1, 1), ("a",): (1, 1), ("b",): (2, 1), ("b", "c"): (3, 3), ("b", "d"): (4, 3),
        ("b", "d", 0): (4, 7), ("b", "d", 1): (4, 10), ("e",): (5, 1), ("e", 0): (6, 5),
        ("e", 0, "f"): (6, 5), ("e", 1): (7, 7),
    }


def test_a_key_is_text_whatever_it_looks_like() -> None:
    data, _ = parse_yaml("1: a\ntrue: b\nnull: c\n!!str 2: d\n", "t.yaml")
    assert data == {"1": "a", "true": "b", "null": "c", "2": "d"}


def test_an_anchored_key_is_remembered_and_its_alias_is_a_duplicate() -> None:
    data, _ = parse_yaml("&k name: 1\nother: *k\n", "t.yaml")
    assert data == {"name": 1, "other": "name"}
    err = _error("&k name: 1\n*k : 2\n")
    assert "duplicate key 'name' (first defined on line 1)" in err.message
    assert err.location is not None
    assert err.location.line == 2


@pytest.mark.parametrize(("text", "line"), [
    ("a: &m {x: 1}\n*m : 2\n", 2),  # an alias of a mapping, used as a key
    ("? [a]\n: b\n", 1),
    ("? {a: 1}\n: b\n", 1),
])
def test_a_key_that_is_not_text_is_refused_where_it_is(text: str, line: int) -> None:
    err = _error(text)
    assert "a mapping key must be a plain text value" in err.message
    assert err.location is not None
    assert err.location.line == line


def test_a_tagged_key_that_builds_an_object_is_refused() -> None:
    err = _error("!!python/name:os.system x: 1\n")
    assert "the YAML tag !!python/name:os.system is not allowed" in err.message


@pytest.mark.parametrize("text", ["a: &v x\nb: *v\nc: *v\n", "- &v x\n- *v\n"])
def test_an_anchored_value_and_its_aliases_are_the_same_value(text: str) -> None:
    data, _ = parse_yaml(text, "t.yaml")
    values: list[Any] = list(data.values()) if isinstance(data, dict) else data
    assert set(values) == {"x"}


def test_aliases_count_the_values_of_their_anchor() -> None:
    # the mapping, a key and a list of 3 (4 values), a key and the alias (4 again): 11
    text = "a: &l [1, 2, 3]\nb: *l\n"
    data, _ = parse_yaml(text, "t.yaml", Limits(max_nodes=11))
    assert data == {"a": [1, 2, 3], "b": [1, 2, 3]}
    err = _error(text, Limits(max_nodes=10))
    assert "expands to more than 10 values" in err.message


def test_the_count_of_values_includes_keys() -> None:
    text = "a: 1\nb: 2\n"  # the mapping, two keys, two values
    assert parse_yaml(text, "t.yaml", Limits(max_nodes=5))[0] == {"a": 1, "b": 2}
    assert "more than 4 values" in _error(text, Limits(max_nodes=4)).message


def test_a_scalar_document_is_its_root() -> None:
    assert parse_yaml("just text\n", "t.yaml")[0] == "just text"
    assert parse_yaml("[1, 2]\n", "t.yaml") == ([1, 2], {(): (1, 1), (0,): (1, 2),
                                                         (1,): (1, 5)})
