"""The HTML portfolio page for 5,000 use cases: its size, and how long Chromium takes to
open it, against an empty page opened in the same run.

    python benchmarks/report_html.py [--files 5000] [--repeat 7] [--source files] [--write]

``--source files`` (the default) generates the files as benchmarks/run.py does and runs
``aipolicy report --format html`` over them; ``--source synthetic`` renders a portfolio
dict made up directly (tests/helpers/portfolio_dict.py), with more exceptions, reviews and
escalations than the generated files hold. One headless Chromium (Debian's ``chromium``)
opens the empty page and the report page in turn, one untimed warm-up round first and
the order reversed every other round; each open is timed from ``Page.navigate`` to the
load event and to the first frame drawn after it (what a reader sees), and the page's own
navigation timing (``loadEventEnd``) is read as well. The
figures are medians over the rounds, and the median of the paired differences. Targets
(issue 13): under 3 MB; the load event in under 2 s. Prints a Markdown section
(``--write`` puts it into benchmarks/REPORT.md, replacing only its own section); exit
status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

from run import AS_OF, write_files  # noqa: E402

from helpers.chromium import Chromium, binary  # noqa: E402

MAX_BYTES = 3_000_000
MAX_LOAD_S = 2.0
HEADING = "## The HTML page (`report --format html`)"
EMPTY = "<!DOCTYPE html>\n<html lang=\"en\"><meta charset=\"utf-8\"><title>empty</title></html>\n"
#: Resolves once the page has drawn a frame after its load event (and that frame's tasks ran).
FRAME = "new Promise(r => requestAnimationFrame(() => setTimeout(() => r(1))))"
NAVIGATION = ("(() => { const n = performance.getEntriesByType('navigation')[0]; "
              "return n.loadEventEnd; })()")


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def page_from_files(folder: Path, n: int, out: Path) -> None:
    write_files(folder / "intake", n, seed=7)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, "-m", "aipolicy", "report", str(folder / "intake"), "--format",
         "html", "--as-of", AS_OF.isoformat(), "--output", str(out)],
        cwd=folder, env=env, capture_output=True, text=True, check=False, timeout=1800)
    if proc.returncode not in (0, 1) or not out.exists():
        raise SystemExit(f"aipolicy report failed ({proc.returncode}): {proc.stderr[-2000:]}")


def page_synthetic(n: int, out: Path) -> None:
    from aipolicy.reporters.portfolio.html import render
    from helpers.portfolio_dict import portfolio

    out.write_text(render(portfolio(n)), encoding="utf-8")


def measure(chromium: Chromium, pages: dict[str, str], repeat: int
            ) -> dict[str, dict[str, list[float]]]:
    times: dict[str, dict[str, list[float]]] = {
        k: {"load": [], "frame": [], "own": []} for k in pages}
    order = list(pages)
    for round_ in range(repeat + 1):
        for name in order if round_ % 2 else order[::-1]:
            chromium.open("about:blank")
            start = time.perf_counter()
            seconds = chromium.open(pages[name])
            chromium.evaluate(FRAME)
            frame = time.perf_counter() - start
            own = float(chromium.evaluate(NAVIGATION)) / 1000
            if round_:  # the first round warms up
                times[name]["load"].append(seconds)
                times[name]["frame"].append(frame)
                times[name]["own"].append(own)
    return times


def section(n: int, source: str, size: int, times: dict[str, dict[str, list[float]]],
            repeat: int, version: str) -> str:
    page, empty = times["page"], times["empty"]
    load = median(page["load"])
    diff = median([a - b for a, b in zip(page["load"], empty["load"], strict=True)])
    own = median(page["own"])
    rows = [
        f"| size of the page | {size / 1e6:.2f} MB | < {MAX_BYTES / 1e6:.0f} MB | "
        f"{'yes' if size < MAX_BYTES else 'NO'} |",
        f"| open to load event (navigate → `loadEventFired`) | {load:.3f} s | "
        f"< {MAX_LOAD_S:.0f} s | {'yes' if load < MAX_LOAD_S else 'NO'} |",
        f"| the same for an empty page (baseline) | {median(empty['load']):.3f} s | | |",
        f"| difference, median of paired rounds | {diff:.3f} s | | |",
        f"| the page's own `loadEventEnd` | {own:.3f} s | | |",
        f"| open to the first frame drawn after the load event | {median(page['frame']):.3f} s "
        f"| | |",
        f"| the same for an empty page | {median(empty['frame']):.3f} s | | |",
    ]
    return "\n".join([
        HEADING, "",
        f"{n} use cases ({source}), `--as-of {AS_OF.isoformat()}`; {version}, "
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores; "
        f"{repeat} paired rounds after one warm-up, the order reversed every other round. "
        "Made by `python benchmarks/report_html.py --write`.", "",
        "| measure | median | target | met |", "|---|---|---|---|", *rows, ""])


def write(text: str, heading: str = HEADING) -> None:
    """Put ``text`` (a section starting with ``heading``) into REPORT.md, replacing only
    that section."""
    target = HERE / "REPORT.md"
    old = target.read_text(encoding="utf-8") if target.exists() else "# The report benchmarks\n"
    if heading in old:
        before, rest = old.split(heading, 1)
        after = rest.split("\n## ", 1)
        old = before.rstrip("\n") + "\n" + ("\n## " + after[1] if len(after) > 1 else "")
    target.write_text(old.rstrip("\n") + "\n\n" + text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--source", choices=["files", "synthetic"], default="files")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    executable = binary()
    if executable is None:
        print("no chromium: apt-get install chromium", file=sys.stderr)
        return 2
    version = subprocess.run([executable, "--version"], capture_output=True, text=True,
                             check=False).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="aipolicy-html-") as tmp:
        folder = Path(tmp)
        out = folder / "portfolio.html"
        if args.source == "files":
            page_from_files(folder, args.files, out)
        else:
            page_synthetic(args.files, out)
        (folder / "empty.html").write_text(EMPTY, encoding="utf-8")
        size = out.stat().st_size
        with Chromium(executable) as chromium:
            times = measure(chromium, {"empty": (folder / "empty.html").as_uri(),
                                       "page": out.as_uri()}, args.repeat)
    text = section(args.files, args.source, size, times, args.repeat, version)
    print(text)
    if args.write:
        write(text)
    return 0 if size < MAX_BYTES and median(times["page"]["load"]) < MAX_LOAD_S else 1


if __name__ == "__main__":
    sys.exit(main())
