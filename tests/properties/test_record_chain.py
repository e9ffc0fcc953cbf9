"""A record file's chain catches every change but to its last line (hypothesis), and a
record of any decision reads back as exactly that decision."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from aipolicy.records.line import GENESIS, canonical, chained
from aipolicy.records.reader import parse_lines
from helpers.records import item

_VALUES: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=20)


def _lines(count: int) -> list[bytes]:
    data, _head = chained([item(n) for n in range(count)], GENESIS)
    return data.splitlines(keepends=True)


def _broken(lines: list[bytes]) -> bool:
    return not parse_lines("r.jsonl", lines).intact


@given(count=st.integers(2, 8), data=st.data())
def test_a_removed_line_is_caught_unless_it_is_the_last(count: int, data: st.DataObject) -> None:
    lines = _lines(count)
    gone = data.draw(st.integers(0, count - 2))
    assert _broken(lines[:gone] + lines[gone + 1:])


@given(count=st.integers(2, 8), data=st.data())
def test_two_lines_swapped_are_caught(count: int, data: st.DataObject) -> None:
    lines = _lines(count)
    i = data.draw(st.integers(0, count - 2))
    j = data.draw(st.integers(i + 1, count - 1))
    lines[i], lines[j] = lines[j], lines[i]
    assert _broken(lines)


@given(count=st.integers(2, 8), data=st.data())
def test_any_byte_changed_before_the_last_line_is_caught(count: int,
                                                          data: st.DataObject) -> None:
    lines = _lines(count)
    which = data.draw(st.integers(0, count - 2))
    line = bytearray(lines[which])
    at = data.draw(st.integers(0, len(line) - 1))
    new = data.draw(st.integers(0, 255).filter(lambda b: b != line[at]))
    line[at] = new
    lines[which] = bytes(line)
    assert _broken(lines)


@given(decision=st.dictionaries(st.text(max_size=10), _VALUES, max_size=6))
def test_a_recorded_decision_reads_back_whole(decision: dict[str, Any]) -> None:
    data, _head = chained([item(1, decision=decision)], GENESIS)
    assert data.count(b"\n") == 1  # one line, whatever the text holds
    [entry] = parse_lines("r.jsonl", [data]).entries
    assert canonical(entry.record.decision) == canonical(decision)
    assert entry.record.decision == json.loads(canonical(decision))
