"""Start-up cost of the commands a pre-commit hook runs, against the floor of
``python -c "import yaml, jsonschema"``, measured in the same run.

    python benchmarks/startup.py [--runs 15]

Each command runs once untimed (page cache, .pyc), then the commands are interleaved
round-robin ``--runs`` times; the minimum wall time is the figure (medians are shown
too). Exit status 1 when a ratio exceeds its target.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONE = ROOT / "intake" / "examples" / "code-assistant.yaml"

COMMANDS = {
    "baseline": [sys.executable, "-c", "import yaml, jsonschema"],
    "validate": [sys.executable, "-m", "aipolicy", "validate", str(ONE)],
    "check": [sys.executable, "-m", "aipolicy", "check", str(ONE), "--as-of", "2026-11-22"],
}
#: command -> the most it may take, as a multiple of the baseline
TARGETS = {"validate": 1.0, "check": 1.5}


def measure(runs: int) -> dict[str, list[float]]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for cmd in COMMANDS.values():  # warm-up
        subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=False)
    for _ in range(runs):
        for name, cmd in COMMANDS.items():
            start = time.perf_counter()
            proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=False)
            times[name].append(time.perf_counter() - start)
            if proc.returncode not in (0, 1):
                raise SystemExit(f"{name} exited {proc.returncode}: {proc.stderr.decode()}")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    times = measure(args.runs)
    base = min(times["baseline"])
    failed = False
    print(f"{'command':<10} {'min ms':>8} {'median ms':>10} {'× baseline':>11} {'target':>7}")
    for name, values in times.items():
        ratio = min(values) / base
        target = TARGETS.get(name)
        ok = target is None or ratio <= target
        failed |= not ok
        print(f"{name:<10} {1000 * min(values):8.1f} {1000 * statistics.median(values):10.1f} "
              f"{ratio:11.2f} {'' if target is None else f'{target:.1f}':>7}"
              f"{'' if ok else '  over target'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
