"""Shared fixtures: repository paths, a CLI runner, and ``--update-golden``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis profiles: the default for every run, `ci` (set by CI=true), and `long`
# (pytest --hypothesis-profile=long), run before a release: see SECURITY.md.
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("default", max_examples=100, deadline=None)
settings.register_profile("ci", max_examples=100, deadline=None, derandomize=True)
settings.register_profile("long", max_examples=100_000, deadline=None,
                          suppress_health_check=_QUIET)

def pytest_configure(config: pytest.Config) -> None:
    """The default profile (``ci`` under CI), unless ``--hypothesis-profile`` names one."""
    if config.getoption("hypothesis_profile", None) is None:
        settings.load_profile("ci" if os.environ.get("CI") else "default")


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


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)
