"""The wheel carries the starter pack and form, and uses them in an empty directory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from helpers.paths import ROOT

pytest.importorskip("hatchling")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
         "--quiet", "-w", str(out)],
        check=True, capture_output=True, text=True,
    )
    [built] = out.glob("aipolicy-*.whl")
    return built


def test_wheel_contains_starter_pack_and_form(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    packs = sorted(p.name for p in (ROOT / "policies").glob("*.yaml"))
    for name in packs:
        assert f"aipolicy/_starter/policies/{name}" in names
    assert "aipolicy/_starter/intake/schema.json" in names
    assert "aipolicy/py.typed" in names


def test_installed_wheel_uses_packaged_defaults(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)  # a wheel is a zip laid out for site-packages
    work = tmp_path / "empty"
    work.mkdir()
    shutil.copy(ROOT / "tests" / "data" / "run" / "good.yaml", work / "uc.yaml")
    # the unpacked wheel comes first on the path, before this checkout's own sources
    env = {**os.environ, "PYTHONPATH": str(site)}
    proc = subprocess.run(
        [sys.executable, "-c",
         "import sys, aipolicy.starter as s; from aipolicy.cli import main; "
         "print(s.package_data('policies')); "
         "sys.exit(main(['check', 'uc.yaml', '--format', 'json']))"],
        cwd=work, capture_output=True, text=True, env=env, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    where, _, report = proc.stdout.partition("\n")
    assert where.startswith(str(site))
    assert "_starter" in where
    assert '"name": "aipolicy-starter"' in report
