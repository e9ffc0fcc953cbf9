"""Shared fixtures: repository paths, a CLI runner, and ``--update-golden``."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from aipolicy.form.load import load_form
from aipolicy.form.schema import Form
from aipolicy.pack.compiled import CompiledPack
from aipolicy.pack.load import load_pack
from aipolicy.sources.documents import load_document

# Hypothesis profiles: the default for every run, `ci` (set by CI=true), and `long`
# (pytest --hypothesis-profile=long), run before a release: see SECURITY.md.
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("default", max_examples=100, deadline=None)
settings.register_profile("ci", max_examples=100, deadline=None, derandomize=True)
settings.register_profile("long", max_examples=100_000, deadline=None,
                          suppress_health_check=_QUIET)
settings.load_profile("ci" if os.environ.get("CI") else "default")

ROOT = Path(__file__).resolve().parent.parent
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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite expected outputs of golden cases instead of comparing")


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep aipolicy's cache out of the home directory while testing."""
    old = os.environ.get("AIPOLICY_CACHE_DIR")
    os.environ["AIPOLICY_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        del os.environ["AIPOLICY_CACHE_DIR"]
    else:
        os.environ["AIPOLICY_CACHE_DIR"] = old


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


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


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)
