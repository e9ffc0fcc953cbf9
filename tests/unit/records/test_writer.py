"""Appending records: a chain across runs, whole lines only, refusals that name the file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aipolicy.errors import ConfigError
from aipolicy.records.reader import read_chain
from aipolicy.records.writer import append_records
from helpers.records import item


def test_runs_append_to_one_chain(tmp_path: Path) -> None:
    path = str(tmp_path / "r.jsonl")
    first = append_records(path, [item(1), item(2)])
    second = append_records(path, [item(3)])
    chain = read_chain(path)
    assert chain.intact
    assert len(chain.entries) == 3
    assert chain.head == second != first
    assert chain.entries[2].record.prev == first


def test_a_file_ending_in_half_a_line_is_not_appended_to(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    append_records(str(path), [item(1)])
    path.write_bytes(path.read_bytes()[:-5])
    before = path.read_bytes()
    with pytest.raises(ConfigError, match="incomplete line"):
        append_records(str(path), [item(2)])
    assert path.read_bytes() == before


def test_a_long_last_line_is_found_across_chunks(tmp_path: Path) -> None:
    path = str(tmp_path / "r.jsonl")
    big = item(1, decision={"file": "x", "note": "y" * 200_000})
    append_records(path, [item(0), big])
    append_records(path, [item(2)])
    assert read_chain(path).intact


def test_what_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match="not a regular file"):
        append_records(str(fifo), [item(1)])
    with pytest.raises(ConfigError, match="cannot write the decision records"):
        append_records(str(tmp_path / "no" / "r.jsonl"), [item(1)])


def test_a_failed_write_leaves_the_file_as_it_was(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.jsonl"
    append_records(str(path), [item(1)])
    before = path.read_bytes()
    real_write = os.write

    def half(fd: int, data: bytes | memoryview) -> int:
        real_write(fd, bytes(data[:10]))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", half)
    with pytest.raises(ConfigError, match="nothing was appended"):
        append_records(str(path), [item(2)])
    monkeypatch.undo()
    assert path.read_bytes() == before
