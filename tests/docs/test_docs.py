"""The documentation says what the code does."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from aipolicy.decision import ENGINE_RULES
from helpers.paths import ROOT, run_cli


def _console_block(text: str, command: str) -> list[str]:
    start = text.index(f"$ {command}")
    block = text[start:].split("```", 1)[0]
    return block.splitlines()[1:]


def test_readme_worked_example_matches_the_real_output() -> None:
    readme = (ROOT / "README.md").read_text()
    command = "aipolicy check intake/examples/cv-ranking.yaml --as-of 2026-11-22"
    shown = _console_block(readme, command)
    real = run_cli(*command.split()[1:], cwd=ROOT)
    assert real.exit_code == 1
    real_lines = real.stdout.splitlines()
    for i, line in enumerate(shown):
        if line.startswith(("…", "    what to do: …")):
            break
        assert real_lines[i] == line
    assert shown[-1] == real_lines[-1]


def test_readme_pack_error_example_matches() -> None:
    readme = (ROOT / "README.md").read_text()
    match = re.search(r"policies/eu-high-risk\.yaml:(\d+):(\d+): the intake form has no field "
                      r"'purpose'", readme)
    assert match is not None
    line = int(match.group(1))
    text = (ROOT / "policies" / "eu-high-risk.yaml").read_text().splitlines()
    assert "{field: purposes, contains_any: [recruitment_screening" in text[line - 1]
    assert text[line - 1].index("field:") + 1 == int(match.group(2))


def test_quick_start_commands_are_the_ones_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install -e '.[test]' && aipolicy check intake/examples" in readme
    assert ". .venv/bin/activate && pytest" in readme
    assert "pip install --quiet -e '.[test]'" in ci
    assert ci.rstrip().endswith("pytest")


def test_engine_findings_are_documented() -> None:
    cli_doc = (ROOT / "docs" / "cli.md").read_text()
    for rule in ENGINE_RULES:
        assert f"`{rule}`" in cli_doc


def test_every_starter_rule_is_documented() -> None:
    import yaml

    doc = (ROOT / "docs" / "starter-pack.md").read_text()
    for path in sorted((ROOT / "policies").glob("*.yaml")):
        for rule in yaml.safe_load(path.read_text()).get("rules", []):
            assert f"`{rule['id']}`" in doc, f"{rule['id']} is missing from starter-pack.md"


def test_the_starter_pack_rules_table_has_each_rule_s_title_and_citations() -> None:
    from aipolicy.form.load import load_form
    from aipolicy.pack.load import load_pack
    from aipolicy.sources.documents import load_document

    pack = load_pack(str(ROOT / "policies"), load_form(load_document(
        str(ROOT / "intake" / "schema.json"))))
    rows = {}
    for line in (ROOT / "docs" / "starter-pack.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) == 4 and re.fullmatch(r"`[A-Z0-9-]+`", cells[0]):
            rows[cells[0].strip("`")] = cells
    wrong = []
    for rule in pack.model.rules:
        cites = "; ".join(f"{c.framework} {c.clause}" for c in rule.citations)
        row = rows.get(rule.id)
        if row is None or row[1] != rule.title or row[2] != cites:
            wrong.append(f"{rule.id}: table has {row[1:3] if row else None}, pack has "
                         f"{[rule.title, cites]}")
    assert wrong == []


def test_the_signoffs_worked_example_matches_the_real_output(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "signoffs.md").read_text()
    example = text.split("## A worked example", 1)[1].split("\n## ", 1)[0]
    files = re.findall(r"```yaml\n(.*?)```", example, re.S)
    runs = re.findall(r"```console\n\$ aipolicy (.*?)\n(.*?)```", example, re.S)
    assert len(files) == 2
    assert len(runs) == 2
    (tmp_path / "intake").mkdir()
    (tmp_path / "approvals").mkdir()
    shutil.copy(ROOT / "intake" / "examples" / "consumer-credit-scoring.yaml",
                tmp_path / "intake")
    written = ""
    for added, (command, shown) in zip(files, runs, strict=True):
        written += added
        (tmp_path / "approvals" / "RB-0550.yaml").write_text(written)
        real = run_cli(*command.split(), cwd=tmp_path)
        assert real.stdout == shown, command
