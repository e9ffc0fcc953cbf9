"""The files of a new governance repository (``aipolicy init``): computed, not written.

:func:`files` returns ``{relative path: content}``; the CLI writes them, refusing to
overwrite anything that exists.
"""

from __future__ import annotations

import json
from pathlib import Path

from ._version import __version__
from .sources import package_data, read_text

EXAMPLE = "meeting-notes-summariser.yaml"

PRE_COMMIT = """\
# Runs aipolicy on every commit that changes an intake file or the rule pack.
# Needs aipolicy installed where you commit: pip install aipolicy=={version}
repos:
  - repo: local
    hooks:
      # check reports what validate does (the form) and the rules: enable one of the two
      # (validate alone where only the form matters), never both, or findings repeat.
      - id: aipolicy-check
        name: aipolicy check (the intake form and the rules)
        entry: aipolicy check
        language: system
        files: ^intake/.*\\.(ya?ml|json)$
        exclude: ^intake/schema\\.json$
      - id: aipolicy-lint-pack
        name: aipolicy lint (the rule pack against the form)
        entry: aipolicy lint
        language: system
        files: ^(policies/.*\\.ya?ml|intake/schema\\.json)$
        pass_filenames: false
"""

WORKFLOW = """\
# Evaluates every intake file on each pull request, on main, and every Monday (reviews
# and waivers expire with time). Findings appear as annotations, in the job summary and,
# through SARIF, in code scanning.
name: aipolicy
on:
  pull_request:
  push:
    branches: [main]
  schedule:
    - cron: "0 6 * * 1"
permissions:
  contents: read
  security-events: write
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install aipolicy=={version}
      - name: aipolicy check
        run: aipolicy check --format github
      - name: SARIF for code scanning
        if: always()
        run: aipolicy check --format sarif --output aipolicy.sarif || true
      - uses: github/codeql-action/upload-sarif@v3
        if: always()
        with:
          sarif_file: aipolicy.sarif
"""

README = """\
# AI use-case governance

Every AI use case of the organisation is described in one file under `intake/`, checked
by [aipolicy](https://pypi.org/project/aipolicy/) against the intake form
(`intake/schema.json`) and the rule pack (`policies/`).

## For business units: submitting a use case

1. `aipolicy new --interactive` asks the questions every submission must answer and
   writes `intake/<use-case-id>.yaml`; or copy `intake/{example}`.
2. Fill in the rest: each field's comment says what it means and what to write. Your
   editor completes and checks the file as you type (the first line points it to the
   form).
3. `aipolicy check intake/<use-case-id>.yaml` tells you the risk tier, the EU AI Act
   classification, the controls you need and who approves, and lists anything missing
   with its line and what to do.
4. Open a pull request. The same checks run on commit and in CI.

## For the risk team

- `policies/` is the rule pack (start from the aipolicy starter pack; see its citations);
  `aipolicy lint` checks it against the form, and `policies/tests/` holds its test cases.
- `waivers/` holds waivers (one YAML file each), kept apart from the submissions so that
  nobody waives their own finding.
"""


def files() -> dict[str, str]:
    """Relative path → content of every file ``aipolicy init`` writes."""
    out: dict[str, str] = {}
    policies = package_data("policies")
    for path in sorted(policies.rglob("*")):
        if path.is_file() and path.suffix in (".yaml", ".yml", ".md", ".json"):
            out[f"policies/{path.relative_to(policies).as_posix()}"] = read_text(path)
    out["intake/schema.json"] = read_text(package_data("intake", "schema.json"))
    example = package_data("intake", "examples", EXAMPLE)
    if example.is_file():
        text = read_text(example).replace("$schema=../schema.json", "$schema=schema.json")
        out[f"intake/{EXAMPLE}"] = text
    out["waivers/README.md"] = (
        "# Waivers\n\nOne YAML file per waiver, approved by someone other than the "
        "submitter. Each names the rule, the use case, the owner, the approver, the "
        "justification, a ticket, and the dates it was granted and expires.\n"
    )
    out[".pre-commit-config.yaml"] = PRE_COMMIT.format(version=__version__)
    out[".github/workflows/aipolicy.yml"] = WORKFLOW.format(version=__version__)
    out["README.md"] = README.format(example=EXAMPLE)
    return out


def pack_schema_text(*, part: bool = False) -> str:
    """The pack's JSON Schema as text; ``part`` for one file of a pack directory."""
    from .pack_model import pack_json_schema

    return json.dumps(pack_json_schema(part=part), indent=2) + "\n"


def conflicts(root: Path, paths: list[str]) -> list[str]:
    """The paths that already exist under ``root``."""
    return [p for p in paths if (root / p).exists()]
