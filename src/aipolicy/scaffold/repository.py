"""The files of a new governance repository (``aipolicy init``): computed, not written.

:func:`files` returns ``{relative path: content}``; the CLI writes them, refusing to
overwrite anything that exists.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from aipolicy._version import __version__
from aipolicy.errors import ConfigError
from aipolicy.sources.files import read_text
from aipolicy.starter import package_data

EXAMPLE = "meeting-notes-summariser.yaml"

PRE_COMMIT = """\
# Runs aipolicy on every commit that changes an intake file or the rule pack.
# Needs aipolicy installed where you commit, the same one CI installs:
#   pip install "{requirement}"
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
env:
  # What CI installs, as a pip requirement. `aipolicy init` wrote the aipolicy it ran
  # from. A release from PyPI: "aipolicy==1.2.0". Before a release, or for any commit,
  # its repository at a commit: "aipolicy @ git+https://github.com/OWNER/aipolicy@SHA".
  AIPOLICY_REQUIREMENT: "{requirement}"
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: install aipolicy
        run: |
          if [ -z "$AIPOLICY_REQUIREMENT" ]; then
            echo "::error::set AIPOLICY_REQUIREMENT in this workflow (see README.md)"
            exit 1
          fi
          pip install "$AIPOLICY_REQUIREMENT"
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

#: The risk team's handle in CODEOWNERS until the organisation writes its own.
RISK_TEAM = "@your-org/ai-risk-team"

CODEOWNERS = """\
# Who must review a change to the rule pack, the waivers and the sign-offs. The repository
# host enforces it only where the default branch is protected with a required review from
# code owners (GitHub: branch protection, "Require review from Code Owners"; GitLab:
# protected branch with "Code owner approval"). Replace {team} with the
# handle of your risk team (a GitHub team is @org/team) before relying on it.
/policies/   {team}
/waivers/    {team}
/approvals/  {team}
/CODEOWNERS  {team}
"""

APPROVALS_README = """\
# Sign-offs

The decisions of the approvers on each use case's approval path, kept here by the
reviewers rather than in the submission (CODEOWNERS gives this directory to the risk
team). `aipolicy check` reads every `.yaml`, `.yml` and `.json` file here (or the file or
directory `--approvals` names) when the rule pack counts approvals files
(`signoffs.source: approvals` or `either`; the starter pack says `either`).

A file holds one approval, or a list of them under `approvals:`:

```yaml
approvals:
  - use_case_id: HR-0042                  # the use case the decision is for
    role: ai_risk_committee               # a role of the rule pack
    decision: approved_with_conditions    # approved, approved_with_conditions, rejected, deferred
    date: 2026-10-01                      # YYYY-MM-DD
    approver: risk-committee@example.com  # who took the decision for the role
    conditions: Quarterly fairness report to the committee.   # optional
```

At the stages the pack names (`signoffs.stages`; the starter pack: `production`), every
role on the approval path needs `approved` or `approved_with_conditions`; the latest
decision per role counts. An approval by the use case's owner or technical owner is
refused; one older than `signoffs.valid_days` (the starter pack: 365), or dated before a
substantial change the submission records, is stale. A misspelt key, a bad date or an
unknown role stops the run with the file and line.
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
- `waivers/` holds waivers (see `waivers/README.md`), kept apart from the submissions so
  that nobody waives their own finding; `aipolicy new waiver --rule R --use-case ID`
  writes one to fill in. `policies/people.yaml` names who holds each approver role.
- `approvals/` holds the approvers' sign-offs (see `approvals/README.md`): at production
  every role on a use case's approval path must have signed, and nobody signs off their
  own use case.
- `CODEOWNERS` gives `policies/`, `waivers/` and `approvals/` to the risk team: replace
  its placeholder, `{team}`, with your risk team's handle. The repository
  host enforces it once the default branch requires a review from code owners (GitHub:
  branch protection, "Require review from Code Owners"); without that it only asks them
  to review.

## Installing aipolicy

The hooks (`.pre-commit-config.yaml`) run the `aipolicy` installed where you commit; CI
(`.github/workflows/aipolicy.yml`) installs the one its `AIPOLICY_REQUIREMENT` names.
Install the same one in both places: `pip install "$AIPOLICY_REQUIREMENT"`.

- A release from PyPI: `aipolicy==1.2.0`.
- Any commit of aipolicy's repository, before or between releases:
  `aipolicy @ git+https://github.com/OWNER/aipolicy@COMMIT` (a full commit SHA).

`aipolicy init` writes the aipolicy it ran from: a PyPI release as `aipolicy==VERSION`, an
install from a repository as that repository at that commit. An aipolicy installed from a
local directory cannot be installed by CI: the requirement is then left empty and the CI
job fails, saying so, until you set it.
"""


WAIVERS_README = """\
# Waivers

A waiver accepts, for a time, a finding that would otherwise block a use case. The rule
still runs: its finding is reported as waived, in every report, with the waiver's id,
approver, expiry and justification.

`aipolicy new waiver --rule RULE --use-case ID -o waivers/ID-RULE.yaml` writes one to
fill in (`aipolicy schema waiver` gives editors its format). A file holds one waiver, or
a list of them under `waivers:`; each has `id`, `rule`, `use_case_id`, `owner` and
`approver` (`{name, email}`), `justification`, `ticket`, `granted` and `expires`
(YYYY-MM-DD), and optionally `controls` (compensating controls), and `control:` or
`path:` to cover only the finding on that control or field.

`aipolicy check` reads every file here and reports, at the waiver's line:

- an expired waiver (it waives nothing), and one that expires within the pack's notice
  period (`waivers.notice_days`, 30 days by default);
- a rejected one: approved by the use case's owner or technical owner or by the waiver's
  own owner; by someone who holds no role the pack's policy allows for the finding's
  severity (once `policies/people.yaml` names who holds each role); running longer than
  the policy allows; or waiving a rule that cannot be waived (every Art. 5 prohibition);
- a waiver that matches no finding any more (remove it), or names an unknown rule.

A file aipolicy cannot read, an unknown key, a bad date or two waivers with one id stop
the run (exit 2) with the file and line.
"""

PEOPLE = """\
# yaml-language-server: $schema=pack.schema.json
# Who holds each approver role of the pack (roles: in pack.yaml), by e-mail address.
# While nobody is named, any approver independent of the use case may approve a waiver;
# once a role is named here, a waiver must be approved by a holder of a role the pack's
# waiver policy (waivers.by_severity) allows for the finding's severity. For example:
#
# people:
#   ai_governance_lead: [ai-governance@example.com]
#   ai_risk_committee: [risk-committee@example.com, cro@example.com]
people: {}
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
    out["waivers/README.md"] = WAIVERS_README
    out["policies/people.yaml"] = PEOPLE
    out["approvals/README.md"] = APPROVALS_README
    out["CODEOWNERS"] = CODEOWNERS.format(team=RISK_TEAM)
    wanted = requirement() or ""
    out[".pre-commit-config.yaml"] = PRE_COMMIT.format(
        requirement=wanted or "(see README.md: Installing aipolicy)")
    out[".github/workflows/aipolicy.yml"] = WORKFLOW.format(requirement=wanted)
    out["README.md"] = README.format(example=EXAMPLE, team=RISK_TEAM)
    return out


def pack_schema_text(*, part: bool = False) -> str:
    """The pack's JSON Schema as text; ``part`` for one file of a pack directory."""
    from aipolicy.pack.model import pack_json_schema

    return json.dumps(pack_json_schema(part=part), indent=2) + "\n"


def conflicts(root: Path, paths: list[str]) -> list[str]:
    """The paths that already exist under ``root`` (a link, even a dangling one, counts)."""
    return [p for p in paths if os.path.lexists(root / p)]


def check_tree(root: Path, paths: list[str]) -> None:
    """Refuse to write through a link that leaves ``root``, or where a file blocks a folder.

    ``root`` itself may be a link (it is the target the user named); the folders inside it
    that ``paths`` need must be folders of ``root``, or missing.
    """
    top = os.path.realpath(root)
    seen: set[Path] = set()
    for path in paths:
        folder = root
        for part in Path(path).parts[:-1]:
            folder = folder / part
            if folder in seen:
                continue
            seen.add(folder)
            if os.path.islink(folder):
                real = os.path.realpath(folder)
                if os.path.commonpath([top, real]) != top:
                    raise ConfigError(f"{folder}: is a link to {real}, outside {root}; "
                                      "aipolicy init does not write through it (remove the "
                                      "link, or run init elsewhere); nothing was written")
            if os.path.lexists(folder) and not os.path.isdir(folder):
                raise ConfigError(f"{folder}: is a file, where aipolicy init needs a "
                                  "folder; nothing was written")


def _direct_url() -> dict[str, Any] | None:
    """How this aipolicy was installed (PEP 610), or None for an install from an index."""
    from importlib import metadata

    try:
        text = metadata.distribution("aipolicy").read_text("direct_url.json")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        return {}
    if text is None:
        return None
    try:
        found = json.loads(text)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def is_release(version: str) -> bool:
    """Whether ``version`` is a final release (``1.2.0``), not ``1.2.0.dev0`` or local."""
    return re.fullmatch(r"\d+(\.\d+)*", version) is not None


def install_requirement(found: dict[str, Any] | None) -> str | None:
    """A pip requirement that installs, elsewhere (CI), the aipolicy that ``found`` (its
    ``direct_url.json``, None for an install from an index) describes; None if none can."""
    if found is None:  # from an index such as PyPI
        return f"aipolicy=={__version__}"
    url = found.get("url")
    vcs = found.get("vcs_info")
    remote = isinstance(url, str) and not url.startswith("file:")
    if remote and isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return f"aipolicy @ git+{url}@{vcs['commit_id']}"
    if remote and "archive_info" in found:
        return f"aipolicy @ {url}"
    if is_release(__version__):  # a local copy of a release: the release itself
        return f"aipolicy=={__version__}"
    return None  # a local copy of unreleased code: nothing CI can reach


def requirement() -> str | None:
    """The pip requirement for this aipolicy (see :func:`install_requirement`)."""
    return install_requirement(_direct_url())


def ci_note() -> str | None:
    """What to tell the user when the CI workflow cannot install aipolicy by itself."""
    if requirement() is not None:
        return None
    return (f"this aipolicy ({__version__}) was installed from a local directory, which CI "
            "cannot install; set AIPOLICY_REQUIREMENT in .github/workflows/aipolicy.yml "
            "(see README.md: Installing aipolicy)")
