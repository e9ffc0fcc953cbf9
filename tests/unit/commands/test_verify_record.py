"""Recording and replaying through the use cases: the files a layer read, workers."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest

from aipolicy.commands.check import check
from aipolicy.commands.layers import OPENERS, InputFile, Opened
from aipolicy.commands.settings import Settings
from aipolicy.commands.verify_record import verify
from aipolicy.decision import Decision
from aipolicy.records.reader import read_chain
from helpers.paths import AS_OF, EXAMPLES

DAY = dt.date.fromisoformat(AS_OF)


def _digest(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def waiver_layer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A layer that reads one waiver file naming CS-0107 (and changes no decision)."""
    waiver = tmp_path / "waivers" / "w.yaml"
    waiver.parent.mkdir()
    waiver.write_text("id: W-1\nuse_case_id: CS-0107\n")

    def step(decision: Decision, intake: Mapping[str, object] | None,
             as_of: dt.date) -> Decision:
        return decision

    def opener(settings: Settings, pack: object) -> Opened:
        path = settings.waivers or str(waiver)
        return step, (InputFile("waiver", path, _digest(Path(path)),
                                frozenset({"CS-0107"})),)

    monkeypatch.setitem(OPENERS, "test-waivers", opener)
    return waiver


def test_records_name_the_files_a_layer_read_and_a_change_to_one(
        tmp_path: Path, waiver_layer: Path) -> None:
    record = str(tmp_path / "r.jsonl")
    settings = Settings(as_of=DAY)
    check([str(EXAMPLES)], settings, record=record)
    chain = read_chain(record)
    named = {e.record.decision["use_case_id"]: [i.path for i in e.record.inputs]
             for e in chain.entries}
    assert named["CS-0107"] == [str(waiver_layer)]
    assert all(not paths for uc, paths in named.items() if uc != "CS-0107")
    assert verify(record, Settings()).ok
    waiver_layer.write_text("id: W-1\nuse_case_id: CS-0107\nexpires: 2027-01-01\n")
    done = verify(record, Settings())
    failed = [o for o in done.outcomes if not o.reproduced]
    assert [o.use_case_id for o in failed] == ["CS-0107"]
    assert [(c.kind, c.what) for c in failed[0].changes] == [("waiver", "changed")]


def test_the_record_file_may_not_be_a_layer_s_input(tmp_path: Path,
                                                    waiver_layer: Path) -> None:
    from aipolicy.errors import ConfigError

    with pytest.raises(ConfigError, match="--record names a file this run reads"):
        check([str(EXAMPLES)], Settings(as_of=DAY), record=str(waiver_layer))


def test_workers_carry_the_digests_of_what_they_read(tmp_path: Path) -> None:
    folder = tmp_path / "intake"
    folder.mkdir()
    examples = sorted(EXAMPLES.glob("*.yaml"))
    for i in range(80):
        shutil.copy(examples[i % len(examples)], folder / f"{i:03d}.yaml")
    one, three = str(tmp_path / "one.jsonl"), str(tmp_path / "three.jsonl")
    check([str(folder)], Settings(as_of=DAY), jobs=1, record=one)
    check([str(folder)], Settings(as_of=DAY), jobs=3, as_json=True, record=three)
    digests = [e.record.intake.digest for e in read_chain(three).entries]
    assert digests == [_digest(folder / f"{i:03d}.yaml") for i in range(80)]
    a = [e.record.decision for e in read_chain(one).entries]
    b = [e.record.decision for e in read_chain(three).entries]
    assert a == b
    (folder / "007.yaml").write_text("not: [valid")
    for jobs in (1, 3):
        done = verify(three, Settings(), jobs=jobs)
        assert [o.file for o in done.outcomes if not o.reproduced] == [str(folder / "007.yaml")]


def test_records_are_replayed_at_their_own_date_and_parameters(tmp_path: Path) -> None:
    record = str(tmp_path / "r.jsonl")
    one = [str(EXAMPLES / "customer-chatbot.yaml")]
    check(one, Settings(as_of=dt.date(2026, 1, 5)), record=record)
    check(one, Settings(as_of=DAY, params=(("act_version", "2026_consolidated"),)),
          record=record)
    chain = read_chain(record)
    assert [e.record.as_of for e in chain.entries] == ["2026-01-05", AS_OF]
    assert chain.entries[1].record.parameters["act_version"] == "2026_consolidated"
    # the review is overdue at the second date only: replaying at one date would fail one
    assert chain.entries[0].record.decision != chain.entries[1].record.decision
    done = verify(record, Settings())
    assert done.ok, [o.differences for o in done.outcomes]


def test_a_long_file_is_replayed_in_batches_with_the_same_outcomes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import aipolicy.commands.verify_record as verify_record

    folder = tmp_path / "intake"
    shutil.copytree(EXAMPLES, folder)
    record = str(tmp_path / "r.jsonl")
    check([str(folder)], Settings(as_of=DAY), record=record)
    check([str(folder)], Settings(as_of=DAY), record=record)
    chatbot = folder / "customer-chatbot.yaml"
    chatbot.write_text(chatbot.read_text() + "\n# edited\n")
    whole = verify(record, Settings())
    monkeypatch.setattr(verify_record, "BATCH", 5)
    batched = verify(record, Settings())
    assert batched == whole
    assert [o.line for o in batched.outcomes] == list(range(1, 25))
    assert [o.line for o in batched.outcomes if not o.reproduced] == [4, 16]
