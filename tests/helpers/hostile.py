"""Running aipolicy on hostile input in a child process, with its time and memory
measured: what tests/hostile/test_hostile.py and the hardening tests share."""

from __future__ import annotations

import subprocess
import sys
import time

from .paths import ROOT

HOSTILE = ROOT / "tests" / "hostile"
GOOD = ROOT / "tests" / "data" / "run" / "good.yaml"
MAX_SECONDS = 2.0
MAX_RSS_KB = 200 * 1024


#: Runs a command and prints its peak memory (KB) on the last line of stderr. A child's
#: ru_maxrss counts the memory of the process it was forked from, so the measured command
#: is forked from this small wrapper, not from the test process (hundreds of MB by then).
MEASURE = ("import resource, subprocess, sys; "
            "code = subprocess.run(sys.argv[1:]).returncode; "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
            "sys.exit(code)")


def run_measured(*args: str) -> tuple[subprocess.CompletedProcess[str], float, int]:
    """Run aipolicy in a child process; its wall time and its own peak memory (KB)."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "aipolicy",
                           *args], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          check=False)
    elapsed = time.perf_counter() - start
    err, _, peak = proc.stderr.rstrip("\n").rpartition("\n")
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout, err), \
        elapsed, int(peak)
