"""Rule evaluation alone, two checkouts of aipolicy alternating, paired.

    python benchmarks/rules_pair.py BEFORE_CHECKOUT AFTER_CHECKOUT [--rounds 12] [--files 1000]

Each checkout's ``src`` is imported by this interpreter in turn (so both need only the
same dependencies), with its own starter pack, form and cache directory; the synthetic
500-rule pack and the generated files are the same for both. ``rules_child.py`` is run
for each side and pack, the sides alternating and the order reversed every other round,
one untimed warm-up round first. Prints each side's median µs per submission and the
median of the paired ratios (after ÷ before). ``compare.py`` reports the least of a few
calls instead, which on a shared machine swung by ±20% between calls.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gen_pack import write  # noqa: E402
from run import write_files  # noqa: E402


def one(root: Path, pack: Path, files: Path, cache: str) -> float:
    env = dict(os.environ, PYTHONPATH=str(root / "src"), AIPOLICY_CACHE_DIR=cache)
    out = subprocess.run([sys.executable, str(HERE / "rules_child.py"), str(pack), str(files),
                          "--root", str(root)], cwd=root, capture_output=True, text=True,
                         env=env, check=True)
    return float(json.loads(out.stdout)["us"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--files", type=int, default=1000)
    args = parser.parse_args()
    roots = {"before": args.before.resolve(), "after": args.after.resolve()}
    with tempfile.TemporaryDirectory() as tmp:
        files = Path(tmp) / "files"
        write_files(files, args.files, 7)
        synthetic = Path(tmp) / "pack-500"
        write(500, synthetic, 7)
        us: dict[tuple[str, str], list[float]] = {}
        for i in range(args.rounds + 1):
            for side in ("before", "after") if i % 2 else ("after", "before"):
                packs = {"starter": roots[side] / "policies", "synthetic 500": synthetic}
                for name, pack in packs.items():
                    took = one(roots[side], pack, files, str(Path(tmp) / f"cache-{side}"))
                    if i:
                        us.setdefault((side, name), []).append(took)
    print("| pack | before µs | after µs | after ÷ before (median of pairs) |")
    print("|---|---:|---:|---:|")
    for name in ("starter", "synthetic 500"):
        before, after = us[("before", name)], us[("after", name)]
        ratio = statistics.median(a / b for a, b in zip(after, before, strict=True))
        print(f"| {name} | {statistics.median(before):.1f} | {statistics.median(after):.1f} "
              f"| {ratio:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
