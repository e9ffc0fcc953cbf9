"""Property-based tests over generated submissions and generated packs.

The number of examples follows the hypothesis profile: ``--hypothesis-profile=long``
runs 100,000 (see SECURITY.md).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aipolicy.decision import STATUSES
from aipolicy.engine.evaluate import evaluate
from aipolicy.errors import PackError
from aipolicy.pack.load import compile_pack
from aipolicy.sources.documents import parse_document
from helpers.paths import starter_form, starter_pack
from helpers.strategies import intakes, pack_header, rules

AS_OF = dt.date(2026, 11, 22)




def _doc(data: dict[str, Any]) -> Any:
    return parse_document(json.dumps(data, ensure_ascii=False), "generated.yaml")


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=intakes(starter_form()))
def test_the_starter_pack_decides_every_generated_submission(data: dict[str, Any]) -> None:
    pack = starter_pack()
    decision = evaluate(pack, _doc(data), params=pack.resolve_params({}), as_of=AS_OF)
    assert decision.status in STATUSES
    assert decision.tier in pack.scales["tier"]
    assert all(f.line is not None and f.line >= 1 for f in decision.findings)
    if decision.blocked:
        assert decision.status != "pass"
    again = evaluate(pack, _doc(data), params=pack.resolve_params({}), as_of=AS_OF)
    assert again == decision


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(generated=rules(), data=intakes(starter_form()))
def test_generated_packs_compile_or_refuse_and_never_crash(generated: list[dict[str, Any]],
                                                           data: dict[str, Any]) -> None:
    header = pack_header(generated)
    try:
        pack = compile_pack([parse_document(json.dumps(header), "pack.yaml")], starter_form())
    except PackError as exc:
        problems = exc.problems
    else:
        problems = []
    if problems:
        assert all(loc.line is not None for loc, _ in problems)
        return
    decision = evaluate(pack, _doc(data), params={}, as_of=AS_OF)
    assert decision.status in STATUSES
    fired = {r.rule for r in decision.rules_fired}
    assert fired <= {r["id"] for r in generated}


@settings(max_examples=max(10, settings().max_examples // 200),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(batch=st.lists(intakes(starter_form()), min_size=1, max_size=4))
def test_cli_never_exits_3_on_generated_submissions(batch: list[dict[str, Any]]) -> None:
    import tempfile
    from pathlib import Path

    from helpers.paths import run_cli

    with tempfile.TemporaryDirectory() as tmp:
        for i, data in enumerate(batch):
            (Path(tmp) / f"gen-{i}.yaml").write_text(json.dumps(data, ensure_ascii=False))
        r = run_cli("check", tmp, "--as-of", "2026-11-22", "--format", "json")
    assert r.exit_code in (0, 1), r.stderr
    assert len(json.loads(r.stdout)["results"]) == len(batch)
