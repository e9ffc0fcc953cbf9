"""Hardening of running and evaluating (issue 10): one submission never sinks the run,
a dead worker fails the run closed, findings stay bounded, dates and messages."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from conftest import AS_OF, EXAMPLES, run_cli, starter_pack

from aipolicy.engine import evaluate, match
from aipolicy.sources import parse_document

DAY = dt.date.fromisoformat(AS_OF)
FINETUNE = (EXAMPLES / "gpai-model-finetune.yaml").read_text()


def _finetune(modification: str, base: str) -> str:
    text = re.sub(r"(modification_compute_flop:).*", rf"\1 {modification}", FINETUNE)
    return re.sub(r"(base_model_compute_flop:).*", rf"\1 {base}", text)


def _gpai04(text: str) -> bool:
    pack = starter_pack()
    data = pack.form.apply_defaults(parse_document(text, "big.yaml").data)
    found = match(pack, data, params=pack.resolve_params({}), as_of=DAY)
    return "GPAI-04" in {step.rule.id for step in found.steps}


def test_whole_numbers_beyond_floats_are_scaled_exactly() -> None:
    huge = 10 ** 400
    # more than a third of the original compute, by a hair that no float can see
    assert _gpai04(_finetune(str(huge + 1), str(3 * huge + 2)))
    assert not _gpai04(_finetune(str(huge), str(3 * huge)))
    assert not _gpai04(_finetune("8.4e19", "9" * 401))
    assert _gpai04(_finetune("9" * 401, "1.68e23"))
    decision = evaluate(starter_pack(), parse_document(_finetune("1", "9" * 401), "b.yaml"),
                        params=starter_pack().resolve_params({}), as_of=DAY)
    assert decision.status == "pass"


def test_a_401_digit_number_does_not_sink_the_run(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text(_finetune("8.4e19", "9" * 401))
    r = run_cli("check", str(big), str(EXAMPLES / "code-assistant.yaml"), "--as-of", AS_OF,
                "--format", "json")
    assert r.exit_code == 0, r.stderr
