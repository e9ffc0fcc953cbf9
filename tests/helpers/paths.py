"""Repository paths, the evaluation date of the tests, the starter form and pack (loaded
once per session) and the in-process CLI runner."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from aipolicy.form.load import load_form
from aipolicy.form.schema import Form
from aipolicy.pack.compiled import CompiledPack
from aipolicy.pack.load import load_pack
from aipolicy.sources.documents import load_document

ROOT = Path(__file__).resolve().parent.parent.parent
FORM = ROOT / "intake" / "schema.json"
PACK = ROOT / "policies"
EXAMPLES = ROOT / "intake" / "examples"
AS_OF = "2026-11-22"


@functools.lru_cache(maxsize=1)
def starter_form() -> Form:
    """The repository's intake form, loaded once per test session."""
    return load_form(load_document(str(FORM)))


@functools.lru_cache(maxsize=1)
def starter_pack() -> CompiledPack:
    """The starter pack compiled against the form, once per test session."""
    return load_pack(str(PACK), starter_form())


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path | None = None) -> Run:
    """Run ``aipolicy ARGS`` in-process, as the console script does."""
    from aipolicy.cli import cli, main

    del cli
    runner = CliRunner()
    old = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with runner.isolation() as (out, err, *_):
            code = main(list(args))
            stdout = out.getvalue().decode()
            stderr = err.getvalue().decode() if err is not None else ""
    finally:
        os.chdir(old)
    return Run(code, stdout, stderr)
