"""The portfolio report against plain ``check``, measured in one run, paired.

    python benchmarks/report.py [--files 5000] [--repeat 5] [--write]

Two commands over the same generated files, each ``--jobs 1`` and ``--format json``:
``check`` (the baseline) and ``report``, which runs what ``check`` runs and then builds
and renders the portfolio. They alternate, one untimed warm-up round first and the order
reversed every other round; the figure is the median of the ratios of paired runs, in CPU
seconds (user + system), as ``compare.py`` measures. The target is issue 13's: ``report``
≤ 1.2× ``check`` of the same files. Prints a Markdown table (``--write`` also writes it to
benchmarks/REPORT.md, replacing only its own section); exit status 1 when a ratio is over
the target.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from compare import _time  # noqa: E402
from records import median  # noqa: E402
from report_html import write  # noqa: E402
from run import AS_OF, write_files  # noqa: E402

HEADING = "## `aipolicy report` against `check`"

TARGET = 1.20  # report's CPU time, at most, as a multiple of check's
FORMATS = ("json", "html")


def measure(folder: Path, files: Path, repeat: int) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU) of every timed run of each command, interleaved."""
    common = ["--as-of", AS_OF.isoformat(), "--jobs", "1", "--output", os.devnull]
    base = [sys.executable, "-m", "aipolicy"]
    commands = {"check": [*base, "check", *common, "--format", "json", str(files)]}
    for fmt in FORMATS:
        commands[f"report {fmt}"] = [*base, "report", *common, "--format", fmt, str(files)]
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    names = list(commands)
    for i in range(repeat + 1):
        for name in names if i % 2 else names[::-1]:
            took = _time(commands[name], folder)
            if i:
                runs[name].append(took)
    return runs


def table(runs: dict[str, list[tuple[float, float]]], files: int,
          repeat: int) -> tuple[str, bool]:
    cpu = {name: [c for _w, c in values] for name, values in runs.items()}
    rows, over = [], False
    for name in runs:
        if name == "check":
            continue
        ratio = median([a / b for a, b in zip(cpu[name], cpu["check"], strict=True)])
        over |= ratio > TARGET
        rows.append(f"| `{name}`, {files:,} files, CPU × `check --format json` | "
                    f"{median(cpu[name]):.2f} s | {ratio:.3f}× | ≤ {TARGET:.2f}× | "
                    f"{'yes' if ratio <= TARGET else 'NO'} |")
    head = (f"{HEADING}\n\nMade by `python benchmarks/report.py --write`. "
            f"{repeat} paired rounds, medians; check itself: {median(cpu['check']):.2f} s "
            f"CPU ({os.cpu_count()} cores, {platform.python_implementation()} "
            f"{platform.python_version()}).\n\n"
            "| measure | CPU | ratio (median of pairs) | target | met |\n"
            "|---|---:|---:|---:|:---:|\n")
    return head + "\n".join(rows) + "\n", over


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--write", action="store_true",
                        help="also write the table to benchmarks/REPORT.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = folder / "files"
        write_files(files, args.files, 7)
        runs = measure(folder, files, args.repeat)
    text, over = table(runs, args.files, args.repeat)
    print(text, end="")
    if args.write:
        write(text, HEADING)
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
