"""docs/waivers.md shows the real waiver file and the real output of its worked example."""

from __future__ import annotations

from helpers.paths import ROOT, run_cli

DOC = ROOT / "docs" / "waivers.md"
COMMAND = ("aipolicy check intake/examples/cv-ranking.yaml --waivers docs/examples/waivers "
           "--as-of 2026-11-22")


def test_the_worked_example_s_waivers_are_the_file_it_runs() -> None:
    text = DOC.read_text()
    shown = text.split("```yaml\nwaivers:\n", 2)[2].split("```", 1)[0]
    real = (ROOT / "docs" / "examples" / "waivers" / "hr-0042.yaml").read_text()
    assert real.endswith("waivers:\n" + shown)


def test_the_worked_example_s_output_is_the_real_output() -> None:
    text = DOC.read_text()
    block = text[text.index(f"$ {COMMAND}\n"):].split("```", 1)[0].splitlines()[1:]
    real = run_cli(*COMMAND.split()[1:], cwd=ROOT)
    assert real.exit_code == 1
    lines = real.stdout.splitlines()
    at = 0
    for line in block:  # every line shown, in order; "…" stands for lines left out
        if line == "…":
            continue
        while at < len(lines) and lines[at] != line:
            at += 1
        assert at < len(lines), f"not in the real output (or out of order): {line}"
        at += 1
    assert block[-1] == lines[-1]
    assert block[:4] == lines[:4]


def test_the_doc_names_every_waiver_finding() -> None:
    text = DOC.read_text()
    for n in range(10, 20):
        assert f"`AIP0{n}`" in text
