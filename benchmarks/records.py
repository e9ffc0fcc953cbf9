"""Decision records against plain ``check``, measured in one run, paired.

    python benchmarks/records.py [--files 5000] [--repeat 5] [--write]

Three commands over the same generated files, each ``--jobs 1``: ``check`` (the
baseline), ``check --record`` (into a fresh file each round) and ``verify-record`` of a
record of those files written once beforehand. The commands run round-robin, one untimed
warm-up round first and the order reversed every other round; each figure is the median
of the ratios of paired runs (the i-th run of each, back to back), in CPU seconds (user +
system of the command and its workers), as ``compare.py`` measures: on a shared machine
wall times swing far more than paired CPU. The targets are issue 12's: ``check --record``
≤ 1.10× ``check``; ``verify-record`` of N records ≤ 1.3× ``check`` of the same N files.
Prints a Markdown table (``--write`` also writes it to benchmarks/RECORDS.md); exit status
1 when a ratio is over its target.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from compare import _time  # noqa: E402
from run import AS_OF, write_files  # noqa: E402

#: measure -> the most it may take, as a multiple of check's CPU time
TARGETS = {"record": 1.10, "verify": 1.30}


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def measure(folder: Path, files: Path, repeat: int) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU) of every timed run of each command, interleaved."""
    aipolicy = [sys.executable, "-m", "aipolicy"]
    check = [*aipolicy, "check", "--as-of", AS_OF.isoformat(), "--jobs", "1",
             "--output", os.devnull, str(files)]
    base = folder / "base.jsonl"
    _time([*check, "--record", str(base)], folder)  # the record verify-record replays
    verify = [*aipolicy, "verify-record", str(base), "--jobs", "1", "--output", os.devnull]
    runs: dict[str, list[tuple[float, float]]] = {"check": [], "record": [], "verify": []}
    names = list(runs)
    for i in range(repeat + 1):
        fresh = folder / f"round-{i}.jsonl"
        commands = {"check": check, "record": [*check, "--record", str(fresh)],
                    "verify": verify}
        for name in names if i % 2 else names[::-1]:
            took = _time(commands[name], folder)
            if i:
                runs[name].append(took)
        fresh.unlink(missing_ok=True)
    return runs


def report(runs: dict[str, list[tuple[float, float]]], files: int, repeat: int) -> tuple[str, bool]:
    cpu = {name: [c for _w, c in values] for name, values in runs.items()}
    wall = {name: [w for w, _c in values] for name, values in runs.items()}
    rows = []
    over = False
    labels = {"record": f"check --record, {files:,} files, CPU × check",
              "verify": f"verify-record of {files:,} records, CPU × check of the files"}
    for name, label in labels.items():
        ratio = median([a / b for a, b in zip(cpu[name], cpu["check"], strict=True)])
        target = TARGETS[name]
        over |= ratio > target
        rows.append(f"| {label} | {median(cpu[name]):.2f} s | {ratio:.3f}× | ≤ {target:.2f}× "
                    f"| {'yes' if ratio <= target else 'NO'} |")
    head = (f"{repeat} paired rounds, medians; check itself: {median(cpu['check']):.2f} s CPU, "
            f"{median(wall['check']):.2f} s wall ({os.cpu_count()} cores, "
            f"{platform.python_implementation()} {platform.python_version()}).\n\n"
            "| measure | CPU | ratio (median of pairs) | target | met |\n"
            "|---|---:|---:|---:|:---:|\n")
    return head + "\n".join(rows) + "\n", over


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--write", action="store_true",
                        help="also write the table to benchmarks/RECORDS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = folder / "files"
        write_files(files, args.files, 7)
        runs = measure(folder, files, args.repeat)
    table, over = report(runs, args.files, args.repeat)
    print(table, end="")
    if args.write:
        text = (HERE / "RECORDS.md").read_text(encoding="utf-8") if (
            HERE / "RECORDS.md").exists() else ""
        marker = "<!-- results -->"
        top = text.split(marker, 1)[0] if marker in text else "# Decision records: cost\n\n"
        (HERE / "RECORDS.md").write_text(f"{top}{marker}\n{table}", encoding="utf-8")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
