"""The chain of a record file: every edit, removal, move and bad line is seen, at its line."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from aipolicy.errors import ConfigError
from aipolicy.records.line import GENESIS, MAX_LINE_BYTES, canonical, line_digest
from aipolicy.records.reader import parse_lines, read_chain
from aipolicy.records.writer import append_records
from helpers.records import item


def written(tmp_path: Path, count: int = 5) -> Path:
    path = tmp_path / "records.jsonl"
    append_records(str(path), [item(n) for n in range(1, count + 1)])
    return path


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def problems(path: Path) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in read_chain(str(path)).problems]


def test_an_untouched_file_is_an_intact_chain(tmp_path: Path) -> None:
    path = written(tmp_path)
    chain = read_chain(str(path))
    assert chain.intact
    assert [e.line for e in chain.entries] == [1, 2, 3, 4, 5]
    assert next(e.record.intake.path for e in chain.entries) == "intake/uc-1.yaml"
    assert chain.entries[0].record.prev == GENESIS
    assert chain.head == line_digest(lines_of(path)[-1].rstrip(b"\n"))


def test_each_line_names_the_digest_of_the_one_before(tmp_path: Path) -> None:
    raw = lines_of(written(tmp_path))
    for before, after in itertools.pairwise(raw):
        assert json.loads(after)["prev"] == line_digest(before.rstrip(b"\n"))
    assert all(line.isascii() for line in raw)


def test_an_edited_middle_line_breaks_the_chain_at_the_next(tmp_path: Path) -> None:
    path = written(tmp_path)
    raw = lines_of(path)
    raw[2] = raw[2].replace(b'"status":"pass"', b'"status":"fail"')
    path.write_bytes(b"".join(raw))
    [(line, message)] = problems(path)
    assert line == 4
    assert "prev is not the digest of line 3" in message


def test_a_deleted_middle_line_breaks_the_chain(tmp_path: Path) -> None:
    path = written(tmp_path)
    raw = lines_of(path)
    del raw[2]
    path.write_bytes(b"".join(raw))
    assert [line for line, _ in problems(path)] == [3]


def test_reordered_lines_break_the_chain(tmp_path: Path) -> None:
    path = written(tmp_path)
    raw = lines_of(path)
    raw[1], raw[2] = raw[2], raw[1]
    path.write_bytes(b"".join(raw))
    assert [line for line, _ in problems(path)] == [2, 3, 4]


def test_removed_first_lines_are_seen(tmp_path: Path) -> None:
    path = written(tmp_path)
    path.write_bytes(b"".join(lines_of(path)[1:]))
    [(line, message)] = problems(path)
    assert line == 1
    assert "genesis" in message


def test_a_truncated_last_line_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = written(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[:-40])
    chain = read_chain(str(path))
    assert [(p.line, p.chain) for p in chain.problems] == [(5, False)]
    assert "incomplete" in chain.problems[0].message
    assert len(chain.entries) == 4


def test_a_garbage_line_is_named_with_its_number_and_the_rest_is_read(tmp_path: Path) -> None:
    path = written(tmp_path)
    raw = lines_of(path)
    raw.insert(2, b"\x00\xff not json {\n")
    path.write_bytes(b"".join(raw))
    chain = read_chain(str(path))
    assert [(p.line, p.chain) for p in chain.problems] == [(3, False), (4, True)]
    assert "not UTF-8" in chain.problems[0].message or "JSON" in chain.problems[0].message
    assert [e.line for e in chain.entries] == [1, 2, 4, 5, 6]


@pytest.mark.parametrize(("line", "says"), [
    (b"[1, 2]\n", "not a JSON object"),
    (b"{\"record\": 1}\n", "not a decision record"),
    (b"\n", "empty line"),
    (b"{\"a\": \n", "not valid JSON"),
    (b"[" * 100_000 + b"\n", "not valid JSON"),
])
def test_lines_that_are_no_records(line: bytes, says: str) -> None:
    chain = parse_lines("r.jsonl", [line])
    [problem] = chain.problems
    assert problem.line == 1
    assert says in problem.message


def test_an_unknown_key_or_a_wrong_kind_is_refused() -> None:
    body = canonical({**item(1), "prev": GENESIS, "extra": 1}).encode() + b"\n"
    [problem] = parse_lines("r.jsonl", [body]).problems
    assert "unknown key extra" in problem.message
    wrong = canonical({**item(1), "prev": GENESIS, "as_of": 20261122}).encode() + b"\n"
    [problem] = parse_lines("r.jsonl", [wrong]).problems
    assert "as_of" in problem.message


def test_a_line_over_the_limit_is_a_problem_and_memory_stays_bounded(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    good = canonical({**item(1), "prev": GENESIS}).encode() + b"\n"
    path.write_bytes(good + b"x" * (MAX_LINE_BYTES + 10) + b"\n" + good)
    chain = read_chain(str(path))
    assert [(p.line, "longer than" in p.message) for p in chain.problems] == [(2, True)]
    assert [e.line for e in chain.entries] == [1, 3]


def test_a_file_that_cannot_be_read_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such record file"):
        read_chain(str(tmp_path / "missing.jsonl"))
    with pytest.raises(ConfigError, match="directory"):
        read_chain(str(tmp_path))
