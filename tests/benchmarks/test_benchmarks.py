"""The benchmark's generators stay honest: varied submissions, a pack that compiles.

Timing is never tested here (see benchmarks/run.py); only that what is timed is what
it claims to be.
"""

from __future__ import annotations

import collections
import datetime as dt
import sys
from dataclasses import replace as dataclasses_replace
from pathlib import Path

import pytest

from helpers.paths import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))


def test_generated_submissions_reach_every_status_and_tier(tmp_path: Path) -> None:
    import gen_intakes

    from aipolicy.commands.check import check
    from aipolicy.commands.settings import Settings

    for name, text in gen_intakes.generate(120, 7):
        (tmp_path / name).write_text(text)
    report = check([str(tmp_path)], Settings(as_of=dt.date(2026, 11, 22)))
    statuses = collections.Counter(d.status for d in report.decisions)
    tiers = collections.Counter(d.tier for d in report.decisions)
    assert {"pass", "fail", "incomplete"} <= set(statuses), statuses
    assert {"low", "elevated", "high", "prohibited"} <= set(tiers), tiers
    assert gen_intakes.generate(5, 7) == gen_intakes.generate(5, 7)  # seeded


def test_the_synthetic_pack_compiles_and_the_engines_agree(tmp_path: Path) -> None:
    import gen_intakes
    import gen_pack
    import peers
    from bench_util import source

    gen_pack.write(60, tmp_path, 7)
    docs = [source(text, name).data for name, text in gen_intakes.generate(40, 7)]
    matched = [peers.aipolicy_matched(tmp_path, d) for d in docs]
    assert any(matched)
    assert not all(m == matched[0] for m in matched)
    assert [peers.aipolicy_rules_only(tmp_path)(d) for d in docs] == matched
    try:
        peers.check_agreement(tmp_path, docs)
    except RuntimeError as exc:  # the peers are benchmark-only: not installed in CI
        pytest.skip(str(exc))


def test_the_waiver_benchmark_s_waivers_load_and_waive(tmp_path: Path) -> None:
    """benchmarks/waivers.py times waivers that apply: they load, and most waive."""
    import json

    import gen_intakes
    import waivers as bench

    from aipolicy.commands.check import check
    from aipolicy.commands.settings import Settings
    from aipolicy.serialize import report_dict

    (tmp_path / "intake").mkdir()
    for name, text in gen_intakes.generate(120, 7):
        (tmp_path / "intake" / name).write_text(text)
    settings = Settings(as_of=dt.date(2026, 11, 22))
    before = json.loads(json.dumps(report_dict(check([str(tmp_path / "intake")], settings))))
    bench.write_waivers(tmp_path / "waivers", bench.waivers_for(before, 40))
    with_waivers = dataclasses_replace(settings, waivers=str(tmp_path / "waivers"))
    after = check([str(tmp_path / "intake")], with_waivers)
    waived = [f for d in after.decisions for f in d.findings if f.waived]
    stale = [f for d in after.decisions for f in d.findings if f.rule == "AIP016"]
    assert len(waived) >= 20
    assert stale
