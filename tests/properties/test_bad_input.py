"""Bad input never crashes the run and never passes (hypothesis)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aipolicy.decision import error_decision
from aipolicy.engine.evaluate import evaluate
from aipolicy.errors import SourceError
from aipolicy.form.load import load_form
from aipolicy.pack.compiled import CompiledPack
from aipolicy.pack.load import load_pack
from aipolicy.sources.documents import load_document, parse_document
from helpers.paths import FORM, PACK, run_cli

_TOKENS = st.sampled_from([
    "use_case_id: ", "owner:", "  name: ", "- ", "[", "]", "{", "}", ": ", ", ", "\n", "  ",
    "yes", "no", "~", "&a ", "*a", "!!python/object:os.system ", "!!str ", "---\n", "'", '"',
    "2027-01-31", "1e25", "capabilities: [emotion_recognition]\n", "purposes: ", "#", "\t",
    "\x00", "\xff", "é", "<<: ", "? ", "|\n", ">\n",
])
_YAMLISH = st.lists(_TOKENS, max_size=40).map("".join)
_CONTENT = st.one_of(st.binary(max_size=200), _YAMLISH.map(str.encode),
                     st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")))


@pytest.fixture(scope="module")
def pack() -> CompiledPack:
    return load_pack(str(PACK), load_form(load_document(str(FORM))))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(content=_CONTENT)
def test_any_content_is_an_error_or_a_finding_never_a_pass(pack: CompiledPack,
                                                          content: bytes) -> None:
    try:
        doc = parse_document(content, "x.yaml")
    except SourceError as exc:
        decision = error_decision("x.yaml", exc)
        assert decision.status == "error"
        assert decision.findings[0].line is None or decision.findings[0].line >= 1
        return
    decision = evaluate(pack, doc, params=pack.resolve_params({}), as_of=dt.date(2026, 11, 22))
    assert decision.status in ("incomplete", "fail")


@settings(max_examples=max(25, settings().max_examples // 200), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(content=_CONTENT)
def test_cli_never_exits_0_or_3_on_bad_input(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(content)
    r = run_cli("check", str(bad), "--as-of", "2026-11-22")
    assert r.exit_code == 1, r.stderr
    assert "Traceback" not in r.stdout + r.stderr
