"""Two installs of aipolicy measured in one run, paired: a change against what came before.

    python benchmarks/compare.py --before OTHER_PYTHON --before-root CHECKOUT
                                 [--files 5000] [--repeat 5]

``OTHER_PYTHON`` is the interpreter of an environment with the earlier aipolicy installed
from ``CHECKOUT`` (for example ``git worktree add ../before v0.1.0 && python -m venv
../before/.venv && ../before/.venv/bin/pip install -e ../before``); each side runs in its
own checkout, with its own starter pack and form. This interpreter (``sys.executable``)
runs the current one. Every measure runs both, alternating, ``--repeat`` times on the
same generated files, and keeps each one's minimum: the figures of RESULTS.md's targets
(check × floor, the --jobs 2 speed-up, validate and check of one file against
``python -c "import yaml, jsonschema"``, and rule evaluation in µs per submission for
the starter pack and a synthetic 500-rule pack). Prints a Markdown table with both
columns and the change; exit status 1 when a ratio is worse by more than ``--worst``
(default 5%).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from run import AS_OF, FLOOR, write_files  # noqa: E402

ONE = ROOT / "intake" / "examples" / "code-assistant.yaml"


def _time(cmd: list[str], cwd: Path) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, check=False)
    took = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[:5]} exited {proc.returncode}: {proc.stderr[-500:]!r}")
    return took


def paired(commands: dict[str, tuple[list[str], Path]], repeat: int) -> dict[str, float]:
    """Minimum wall time of each command, the commands interleaved round-robin (one
    untimed warm-up round first), so both installs see the same machine."""
    best = dict.fromkeys(commands, float("inf"))
    for i in range(repeat + 1):
        for name, (cmd, cwd) in commands.items():
            took = _time(cmd, cwd)
            if i:
                best[name] = min(best[name], took)
    return best


def rules(pythons: dict[str, str], roots: dict[str, Path], synthetic: Path, docs: Path,
          repeat: int) -> dict[str, float]:
    best: dict[str, float] = {}
    for _ in range(repeat):
        for side, py in pythons.items():
            packs = {"starter": roots[side] / "policies", "synthetic 500": synthetic}
            for name, folder in packs.items():
                out = subprocess.run([py, str(HERE / "rules_child.py"), str(folder), str(docs),
                                      "--root", str(roots[side])],
                                     cwd=roots[side], capture_output=True, text=True,
                                     check=True)
                us = json.loads(out.stdout)["us"]
                key = f"{side}:{name}"
                best[key] = min(best.get(key, float("inf")), us)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="Python of the earlier install")
    parser.add_argument("--before-root", required=True, type=Path,
                        help="the checkout the earlier install was made from")
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--worst", type=float, default=0.05)
    args = parser.parse_args()
    pythons = {"before": args.before, "after": sys.executable}
    roots = {"before": args.before_root.resolve(), "after": ROOT}
    with tempfile.TemporaryDirectory() as tmp:
        files = Path(tmp) / "files"
        write_files(files, args.files, 7)
        docs = Path(tmp) / "docs"
        docs.mkdir()
        for path in sorted(files.glob("*.yaml"))[:1000]:
            (docs / path.name).write_bytes(path.read_bytes())
        from gen_pack import write

        synthetic = Path(tmp) / "pack-500"
        write(500, synthetic, 7)
        form = str(ROOT / "intake" / "schema.json")
        commands = {"floor": ([sys.executable, "-c", FLOOR, form, str(files)], ROOT),
                    "import": ([sys.executable, "-c", "import yaml, jsonschema"], ROOT)}
        for side, py in pythons.items():
            check = [py, "-m", "aipolicy", "check", "--format", "json", "--as-of", str(AS_OF)]
            here = roots[side]
            commands[f"{side}:jobs1"] = ([*check, "--jobs", "1", str(files)], here)
            commands[f"{side}:jobs2"] = ([*check, "--jobs", "2", str(files)], here)
            commands[f"{side}:validate"] = ([py, "-m", "aipolicy", "validate", str(ONE)], here)
            commands[f"{side}:check1"] = ([py, "-m", "aipolicy", "check", str(ONE), "--as-of",
                                           str(AS_OF)], here)
        whole = paired(commands, args.repeat)
        per = rules(pythons, roots, synthetic, docs, args.repeat)
    rows = []
    worse = False
    floor, imp = whole["floor"], whole["import"]

    def row(name: str, before: float, after: float, fmt: str, lower_is_better: bool) -> None:
        nonlocal worse
        change = after / before - 1 if lower_is_better else before / after - 1
        worse |= change > args.worst
        rows.append(f"| {name} | {fmt.format(before)} | {fmt.format(after)} | "
                    f"{change * 100:+.1f}% |")

    for label, key, base in (
            (f"check {args.files:,} files, --jobs 1, × floor", "jobs1", floor),
            ("validate one file × import yaml, jsonschema", "validate", imp),
            ("check one file × import yaml, jsonschema", "check1", imp)):
        row(label, whole[f"before:{key}"] / base, whole[f"after:{key}"] / base, "{:.2f}×", True)
    row("--jobs 2 speed-up over --jobs 1",
        whole["before:jobs1"] / whole["before:jobs2"], whole["after:jobs1"] / whole["after:jobs2"],
        "{:.2f}×", False)
    for name in ("starter", "synthetic 500"):
        row(f"rule evaluation, {name} pack, µs/submission", per[f"before:{name}"],
            per[f"after:{name}"], "{:.1f}", True)
    print(f"Paired run, {args.repeat} repeats, minimum of each; floor {floor:.2f} s, "
          f"import {1000 * imp:.0f} ms; before: {whole['before:jobs1']:.2f} s / "
          f"{whole['before:jobs2']:.2f} s, after: {whole['after:jobs1']:.2f} s / "
          f"{whole['after:jobs2']:.2f} s (--jobs 1 / 2).\n")
    print("| measure | before | after | change (+ is worse) |")
    print("|---|---:|---:|---:|")
    print("\n".join(rows))
    return 1 if worse else 0


if __name__ == "__main__":
    raise SystemExit(main())
