"""pack._record.Record behaves as the NamedTuple the type checker takes it for."""

from __future__ import annotations

import copy
import pickle
from typing import NamedTuple

import pytest

from aipolicy.pack._record import Record
from aipolicy.pack.spec import Citation, FormRef


class Typed(NamedTuple):
    framework: str
    clause: str
    url: str | None


def test_a_record_is_the_tuple_a_named_tuple_would_be() -> None:
    c = Citation(framework="F", clause="1", url=None)
    t = Typed(framework="F", clause="1", url=None)
    assert Record in type(c).__mro__  # at run time; NamedTuple to the type checker
    assert tuple(c) == tuple(t) == ("F", "1", None)
    assert (c.framework, c.clause, c.url) == (t.framework, t.clause, t.url)
    assert c._fields == t._fields
    assert c._asdict() == t._asdict()
    assert repr(c) == "Citation(framework='F', clause='1', url=None)"
    assert hash(c) == hash(("F", "1", None))
    assert c._replace(url="u") == Citation(framework="F", clause="1", url="u")
    match c:
        case Citation(framework, clause):
            assert (framework, clause) == ("F", "1")
        case _:
            pytest.fail("a record matches by position")


def test_a_record_is_frozen_and_has_no_other_attributes() -> None:
    c = FormRef(id="x")
    with pytest.raises(AttributeError):
        c.id = "y"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        c.other = 1  # type: ignore[attr-defined]


def test_a_record_takes_every_field_and_no_other() -> None:
    with pytest.raises(TypeError, match=r"missing \['clause', 'url'\]"):
        Citation(framework="F")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"unknown \['page'\]"):
        FormRef(id="x", page=2)  # type: ignore[call-arg]


def test_a_record_survives_copy_and_pickle() -> None:
    c = Citation(framework="F", clause="1", url=None)
    for again in (copy.copy(c), copy.deepcopy(c), pickle.loads(pickle.dumps(c))):
        assert again == c
        assert type(again) is Citation
