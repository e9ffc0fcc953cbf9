"""records_report: the JSON report of each use case's latest recorded decision."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aipolicy.errors import ConfigError
from aipolicy.portfolio.history import records_report
from aipolicy.records.writer import append_records
from helpers.records import item


def decision(uid: str | None, file: str, status: str, tier: str | None) -> dict[str, Any]:
    return {"file": file, "use_case_id": uid, "status": status, "tier": tier}


def test_the_latest_decision_of_each_use_case_on_the_last_as_of(tmp_path: Path) -> None:
    path = str(tmp_path / "r.jsonl")
    append_records(path, [
        item(1, decision=decision("A", "intake/a.yaml", "fail", "high")),
        item(2, decision=decision("B", "intake/b.yaml", "pass", "low")),
        item(3, decision=decision(None, "intake/bad.yaml", "error", None)),
    ])
    append_records(path, [
        item(1, as_of="2026-11-30", parameters={"x": 2, "a": 1},
             decision=decision("A", "intake/a2.yaml", "pass", "low")),
    ])
    got = records_report(path, ["low", "high"])
    assert got["as_of"] == "2026-11-30"
    assert got["parameters"] == {"a": 1, "x": 2}
    assert got["tool"] == {"name": "aipolicy", "version": "0.2.0"}
    assert [(r["use_case_id"], r["file"], r["status"]) for r in got["results"]] == [
        ("A", "intake/a2.yaml", "pass"), ("B", "intake/b.yaml", "pass"),
        (None, "intake/bad.yaml", "error")]
    assert got["summary"] == {"submissions": 3, "pass": 2, "fail": 0, "incomplete": 0,
                              "error": 1, "by_tier": {"low": 2}}


def test_a_broken_chain_is_an_error_the_user_sees(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    append_records(str(path), [item(1), item(2)])
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(lines[1])  # the first line removed
    with pytest.raises(ConfigError, match=r"r.jsonl:1: the chain is broken.*verify-record"):
        records_report(str(path), [])


def test_an_empty_or_missing_record_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_bytes(b"")
    with pytest.raises(ConfigError, match="holds no decision records"):
        records_report(str(tmp_path / "empty.jsonl"), [])
    with pytest.raises(ConfigError, match="no such record file"):
        records_report(str(tmp_path / "none.jsonl"), [])
