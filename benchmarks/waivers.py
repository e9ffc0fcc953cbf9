"""``check`` with 200 waivers against ``check`` without, paired, on generated files.

    python benchmarks/waivers.py [--files 2000] [--waivers 200] [--repeat 6]

Generates ``--files`` intake files (gen_intakes, as run.py does) and ``--waivers``
waivers that match findings those files really have (most waive a finding; one in ten
is for a finding that is not there, a stale exception, so the layer's every path runs),
in ten files under ``waivers/``. Then runs ``aipolicy check intake --format json --jobs
1`` without waivers and with ``--waivers waivers``, alternating which goes first, back to
back, ``--repeat`` times. The figure is the median of the paired CPU ratios (see
compare.py for why CPU and pairs); the target is at most 1.05. Writes WAIVERS.md beside
this file and prints it.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from compare import _time  # noqa: E402
from run import AS_OF, write_files  # noqa: E402

TARGET = 1.05


def waivers_for(report: dict[str, object], n: int, seed: int = 11) -> list[dict[str, object]]:
    """``n`` waivers of findings in ``report`` (a check's JSON), one in ten stale."""
    rng = random.Random(seed)
    results: list[dict[str, object]] = report["results"]  # type: ignore[assignment]
    pairs = sorted({(str(r["use_case_id"]), str(f["rule"])) for r in results
                    for f in r["findings"]  # type: ignore[attr-defined]
                    if r["use_case_id"] and not str(f["rule"]).startswith("AIP0")})
    rng.shuffle(pairs)
    out: list[dict[str, object]] = []
    for i in range(n):
        use_case, rule = pairs[i % len(pairs)]
        if i % 10 == 9:
            rule = "V-LOG-RETENTION" if rule != "V-LOG-RETENTION" else "V-REVIEW-OVERDUE"
        out.append({
            "id": f"WVR-{i:04d}", "rule": rule, "use_case_id": use_case,
            "owner": {"name": "Risk Owner", "email": "risk.owner@example.com"},
            "approver": {"name": "Risk Committee", "email": "committee@example.com"},
            "justification": "Accepted while the gap is closed.", "ticket": f"RISK-{i}",
            "granted": "2026-11-01", "expires": "2027-01-31"})
    return out


def write_waivers(folder: Path, waivers: list[dict[str, object]], files: int = 10) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(files):
        chunk = waivers[k::files]
        (folder / f"waivers-{k:02d}.yaml").write_text(json.dumps({"waivers": chunk}, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--waivers", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_files(root / "intake", args.files, 7)
        base = [sys.executable, "-m", "aipolicy", "check", "intake", "--format", "json",
                "--jobs", "1", "--as-of", AS_OF.isoformat()]
        first = subprocess.run(base, cwd=root, capture_output=True, text=True, check=False)
        write_waivers(root / "waivers", waivers_for(json.loads(first.stdout), args.waivers))
        waived = subprocess.run([*base, "--waivers", "waivers"], cwd=root,
                                capture_output=True, text=True, check=False)
        if waived.returncode not in (0, 1):
            raise SystemExit(waived.stderr)
        found = [f for r in json.loads(waived.stdout)["results"] for f in r["findings"]]
        n_waived = sum(1 for f in found if f["waived"])
        n_stale = sum(1 for f in found if f["rule"] == "AIP016")
        without: list[float] = []
        with_: list[float] = []
        for i in range(args.repeat):
            order = [False, True] if i % 2 == 0 else [True, False]
            for use in order:
                _wall, cpu = _time([*base, "--waivers", "waivers"] if use else base, root)
                (with_ if use else without).append(cpu)
        ratios = [w / o for w, o in zip(with_, without, strict=True)]
    ratio = statistics.median(ratios)
    row = (f"| check, CPU s | {statistics.median(without):.3f} | "
           f"{statistics.median(with_):.3f} | {ratio:.3f}× | ≤ {TARGET}× |")
    text = f"""# Waivers: check with {args.waivers} waivers against check without

`python benchmarks/waivers.py --files {args.files} --waivers {args.waivers} \
--repeat {args.repeat}`
(`check intake --format json --jobs 1`, {args.files} generated files; the waivers match
findings the files have: {n_waived} findings waived, {n_stale} stale exceptions).

| measure | without | with waivers | ratio (median of pairs) | target |
|---|---|---|---|---|
{row}

Each pair runs back to back, the order reversed every other round; on a shared machine
rerun it quietly before reading much into the last digit.
"""
    (HERE / "WAIVERS.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
