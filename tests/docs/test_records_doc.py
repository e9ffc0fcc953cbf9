"""docs/records.md says what verify-record does: its worked example is the real output."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from helpers.paths import EXAMPLES, ROOT, run_cli

DOC = ROOT / "docs" / "records.md"
#: a digest as a text report shortens it: compared without its hex digits, which follow
#: the examples' bytes and the pack's
SHORT_DIGEST = re.compile(r"sha256:[0-9a-f]{12}…")


def _block_after(text: str, command: str) -> list[str]:
    """The lines after ``command`` up to the end of its code block."""
    start = text.index(command)
    return text[start:].split("```", 1)[0].splitlines()[1:]


def _fenced_after(text: str, words: str) -> list[str]:
    """The lines of the first code block after ``words``."""
    start = text.index(words)
    return text[start:].split("```", 2)[1].splitlines()[1:]


def _same(shown: list[str], real: list[str]) -> None:
    assert [SHORT_DIGEST.sub("sha256:…", line) for line in shown] == [
        SHORT_DIGEST.sub("sha256:…", line) for line in real]


def test_the_worked_example_is_what_verify_record_prints(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = DOC.read_text(encoding="utf-8")
    shown = _block_after(text, "$ aipolicy verify-record records.jsonl")
    when = re.search(r"\(recorded (\S+), as of", shown[0])
    assert when is not None
    monkeypatch.setattr("aipolicy.records.line.utc_now", lambda: when.group(1))
    shutil.copytree(EXAMPLES, tmp_path / "intake" / "examples")
    check = re.search(r"\$ aipolicy (check .*)\n", text)
    assert check is not None
    assert run_cli(*check.group(1).split(), cwd=tmp_path).exit_code == 1
    edit = re.search(r"\$ sed -i 's/(.*?)/(.*?)/' (\S+)\n", text)
    assert edit is not None
    target = tmp_path / edit.group(3)
    before = target.read_text(encoding="utf-8")
    assert edit.group(1) in before
    target.write_text(before.replace(edit.group(1), edit.group(2)), encoding="utf-8")
    real = run_cli("verify-record", "records.jsonl", cwd=tmp_path)
    assert real.exit_code == 1
    _same(shown, real.stdout.splitlines())
    # the broken chain: the sixth line deleted
    records = tmp_path / "records.jsonl"
    lines = records.read_bytes().splitlines(keepends=True)
    del lines[5]
    records.write_bytes(b"".join(lines))
    broken = _fenced_after(text, "sixth line of `records.jsonl` instead, the report would")
    assert len(broken) == 3
    real = run_cli("verify-record", "records.jsonl", cwd=tmp_path)
    assert real.exit_code == 1
    _same(broken, real.stdout.splitlines()[-len(broken):])
