"""Two ``check --record`` processes into one file at once, twenty times over 500 files
each: every line valid JSON, none lost, the chain intact (the lock orders them)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from aipolicy.records.reader import read_chain
from helpers.paths import AS_OF, ROOT

ROUNDS = 20
FILES = 500


def test_two_recording_runs_at_once_lose_and_tangle_nothing(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import gen_intakes
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    folder = tmp_path / "intake"
    folder.mkdir()
    for name, text in gen_intakes.generate(FILES, 7):
        (folder / name).write_text(text)
    record = tmp_path / "records.jsonl"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, "-m", "aipolicy", "check", "intake", "--as-of", AS_OF,
               "--jobs", "1", "--record", str(record), "--output", os.devnull]
    for _ in range(ROUNDS):
        runs = [subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE) for _ in range(2)]
        for run in runs:
            _out, err = run.communicate(timeout=120)
            assert run.returncode == 1, err.decode()  # the generated files include failures
    raw = record.read_bytes()
    assert raw.endswith(b"\n")
    lines = raw.split(b"\n")[:-1]
    assert len(lines) == ROUNDS * 2 * FILES
    decoded = [json.loads(line) for line in lines]  # every line valid JSON
    # each run's 500 lines are together and in order: the runs never interleave
    files = [d["intake"]["path"] for d in decoded]
    expected = sorted(f"intake/{name}" for name in os.listdir(folder))
    for start in range(0, len(files), FILES):
        assert files[start:start + FILES] == expected
    chain = read_chain(str(record))
    assert chain.intact, chain.problems[:3]
    assert len(chain.entries) == ROUNDS * 2 * FILES
