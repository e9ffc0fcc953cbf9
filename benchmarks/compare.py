"""Two installs of aipolicy measured in one run, paired: a change against what came before.

    python benchmarks/compare.py --before OTHER_PYTHON --before-root CHECKOUT
                                 [--files 5000] [--repeat 6] [--repeat-one 30]

``OTHER_PYTHON`` is the interpreter of an environment with the earlier aipolicy installed
from ``CHECKOUT`` (for example ``git worktree add ../before v0.1.0 && python -m venv
../before/.venv && ../before/.venv/bin/pip install -e ../before``); each side runs in its
own checkout, with its own starter pack and form. This interpreter (``sys.executable``)
runs the current one. Every measure runs both, alternating, ``--repeat`` times on the
same generated files (``--repeat-one`` times for the one-file commands, whose 0.15 s runs
are noisier). Each side's figure is its median, and the change is the median of the
ratios of paired runs (the i-th run of each side, taken back to back), in CPU seconds
for everything but the ``--jobs 2`` speed-up, which is wall time: on a shared or virtual
machine a minimum of wall times swung by ±20% between calls, paired CPU medians by
about 2%. The figures are RESULTS.md's targets
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


def _time(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``cmd`` (CPU: user + system of it and of every
    process it waited for, its ``--jobs`` workers included)."""
    import resource

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, check=False)
    took = time.perf_counter() - start
    done = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (done.ru_utime - used.ru_utime) + (done.ru_stime - used.ru_stime)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[:5]} exited {proc.returncode}: {proc.stderr[-500:]!r}")
    return took, cpu


def paired(commands: dict[str, tuple[list[str], Path]], repeat: int
           ) -> dict[str, list[tuple[float, float]]]:
    """Every timed run (wall, CPU) of each command, the commands interleaved round-robin
    (one untimed warm-up round first, then the order reversed every other round), so
    both installs see the same machine and the i-th runs of two commands can be paired."""
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    names = list(commands)
    for i in range(repeat + 1):
        # every other round in the reverse order: a command run after a busy one (the
        # --jobs 2 runs heat both cores) is not always the same side's
        for name in names if i % 2 else names[::-1]:
            cmd, cwd = commands[name]
            took = _time(cmd, cwd)
            if i:
                runs[name].append(took)
    return runs


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def rules(pythons: dict[str, str], roots: dict[str, Path], synthetic: Path, docs: Path,
          repeat: int) -> dict[str, list[float]]:
    best: dict[str, list[float]] = {}
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
                best.setdefault(key, []).append(us)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="Python of the earlier install")
    parser.add_argument("--before-root", required=True, type=Path,
                        help="the checkout the earlier install was made from")
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=6)
    parser.add_argument("--repeat-one", type=int, default=30,
                        help="runs of each one-file command (short, so noisier: more runs)")
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
        many = {"floor": ([sys.executable, "-c", FLOOR, form, str(files)], ROOT)}
        one = {"import": ([sys.executable, "-c", "import yaml, jsonschema"], ROOT)}
        for side, py in pythons.items():
            check = [py, "-m", "aipolicy", "check", "--format", "json", "--as-of", str(AS_OF)]
            here = roots[side]
            many[f"{side}:jobs1"] = ([*check, "--jobs", "1", str(files)], here)
            many[f"{side}:jobs2"] = ([*check, "--jobs", "2", str(files)], here)
            one[f"{side}:validate"] = ([py, "-m", "aipolicy", "validate", str(ONE)], here)
            one[f"{side}:check1"] = ([py, "-m", "aipolicy", "check", str(ONE), "--as-of",
                                      str(AS_OF)], here)
        whole = paired(many, args.repeat) | paired(one, args.repeat_one)
        per = rules(pythons, roots, synthetic, docs, args.repeat)
    rows = []
    worse = False

    def cpu(name: str) -> list[float]:
        return [c for _w, c in whole[name]]

    def wall(name: str) -> list[float]:
        return [w for w, _c in whole[name]]

    def row(name: str, before: list[float], after: list[float], fmt: str,
            lower_is_better: bool) -> None:
        """Medians of each side; the change is the median of the paired ratios."""
        nonlocal worse
        ratios = [(a / b if lower_is_better else b / a) for b, a in zip(before, after,
                                                                        strict=True)]
        change = median(ratios) - 1
        worse |= change > args.worst
        rows.append(f"| {name} | {fmt.format(median(before))} | {fmt.format(median(after))}"
                    f" | {change * 100:+.1f}% |")

    floor, imp = cpu("floor"), cpu("import")
    for label, key, base in (
            (f"check {args.files:,} files, --jobs 1, CPU × floor", "jobs1", floor),
            ("validate one file, CPU × import yaml, jsonschema", "validate", imp),
            ("check one file, CPU × import yaml, jsonschema", "check1", imp)):
        row(label, [x / y for x, y in zip(cpu(f"before:{key}"), base, strict=True)],
            [x / y for x, y in zip(cpu(f"after:{key}"), base, strict=True)], "{:.2f}×", True)
    row("--jobs 2 speed-up over --jobs 1 (wall)",
        [x / y for x, y in zip(wall("before:jobs1"), wall("before:jobs2"), strict=True)],
        [x / y for x, y in zip(wall("after:jobs1"), wall("after:jobs2"), strict=True)],
        "{:.2f}×", False)
    for name in ("starter", "synthetic 500"):
        # each figure is already a minimum over many evaluations in one process; the
        # least of the runs is the one the machine disturbed least
        row(f"rule evaluation, {name} pack, µs/submission (least)",
            [min(per[f"before:{name}"])], [min(per[f"after:{name}"])], "{:.1f}", True)
    print(f"Paired runs ({args.repeat} of each over many files, {args.repeat_one} of each "
          f"one-file command), medians; floor {median(floor):.2f} s CPU, import "
          f"{1000 * median(imp):.0f} ms; before: {median(wall('before:jobs1')):.2f} s / "
          f"{median(wall('before:jobs2')):.2f} s, after: {median(wall('after:jobs1')):.2f} s"
          f" / {median(wall('after:jobs2')):.2f} s wall (--jobs 1 / 2).\n")
    print("| measure | before | after | change (+ is worse) |")
    print("|---|---:|---:|---:|")
    print("\n".join(rows))
    return 1 if worse else 0


if __name__ == "__main__":
    raise SystemExit(main())
