"""The benchmark: aipolicy against the floor and against peer policy engines, in one run.

    python benchmarks/run.py [--files 5000] [--repeat 3] [--quick] [--no-peers]

Measures, on the same generated files and on this machine:

* the floor: a plain script that only parses every file with PyYAML's C loader and
  validates it with a prebuilt jsonschema-rs validator of the same form;
* ``aipolicy check --format json`` as a whole process, ``--jobs 1`` and ``--jobs 2``,
  on N and 2N files (linearity);
* start-up: ``aipolicy validate one.yaml`` and ``aipolicy check one.yaml`` against
  ``python -c "import yaml, jsonschema"`` (benchmarks/startup.py);
* rule evaluation alone, per submission: the starter pack, and a synthetic pack of 100,
  250 and 500 rules, against the same 500 rules in Rego run in-process by OPA and by
  regorus (installed by benchmarks/setup-peers.sh), after checking that every engine
  returns the same decisions.

It writes benchmarks/RESULTS.md (with benchmarks/changes.md, kept by hand, at the end)
and prints it. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

AS_OF = dt.date(2026, 11, 22)

FLOOR = """
import sys, glob, json, yaml, jsonschema_rs
schema = json.load(open(sys.argv[1]))
validator = jsonschema_rs.validator_for(schema, validate_formats=True)
class loader(yaml.CSafeLoader):  # dates stay text, as JSON Schema expects
    yaml_implicit_resolvers = {
        k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
        for k, v in yaml.CSafeLoader.yaml_implicit_resolvers.items()}
ok = 0
for path in sorted(glob.glob(sys.argv[2] + "/*.yaml")):
    with open(path, "rb") as fh:
        data = yaml.load(fh.read(), Loader=loader)
    ok += validator.is_valid(data)
print(ok)
"""


def wall(cmd: list[str], repeat: int, ok: tuple[int, ...] = (0, 1)) -> float:
    """Minimum wall time of a command over ``repeat`` runs (after one warm-up)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    best = float("inf")
    for i in range(repeat + 1):
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=False)
        took = time.perf_counter() - start
        if proc.returncode not in ok:
            raise SystemExit(f"{cmd[:4]} exited {proc.returncode}: {proc.stderr[-500:]!r}")
        if i:
            best = min(best, took)
    return best


def per_doc(fn: Callable[[Any], Any], docs: list[Any], passes: int = 3) -> float:
    """Microseconds per document, the minimum over ``passes`` passes."""
    best = float("inf")
    for _ in range(passes):
        start = time.perf_counter()
        for doc in docs:
            fn(doc)
        best = min(best, (time.perf_counter() - start) / len(docs))
    return best * 1e6


def write_files(folder: Path, n: int, seed: int) -> None:
    from gen_intakes import generate

    folder.mkdir(parents=True, exist_ok=True)
    for name, text in generate(n, seed):
        (folder / name).write_text(text)


def rules_benchmark(docs_text: list[str], sizes: list[int], peers_on: bool,
                    fuzz: int) -> dict[str, Any]:
    """Rule evaluation per submission: starter pack, synthetic packs, and the peers."""
    import random

    from bench_util import STARTER, source
    from gen_pack import write
    from peers import aipolicy_explained, aipolicy_rules_only, check_agreement, perturb

    docs = [source(t, f"d{i}.yaml").data for i, t in enumerate(docs_text)]
    out: dict[str, Any] = {"docs": len(docs), "synthetic": {}, "explained": {}}
    out["starter"] = per_doc(aipolicy_rules_only(STARTER), docs)
    out["starter_explained"] = per_doc(aipolicy_explained(STARTER), docs)
    from bench_util import pack

    out["starter_rules"] = len(pack(str(STARTER)).rules)
    tmp = Path(tempfile.mkdtemp(prefix="aipolicy-bench-"))
    for size in sizes:
        folder = tmp / f"pack-{size}"
        write(size, folder, 7)
        out["synthetic"][size] = per_doc(aipolicy_rules_only(folder), docs)
        out["explained"][size] = per_doc(aipolicy_explained(folder), docs)
    if not peers_on:
        return out
    from peers import load_opa, load_regorus

    biggest = tmp / f"pack-{max(sizes)}"
    rego = (biggest / "policy.rego").read_text(encoding="utf-8")
    rng = random.Random(7)
    fuzzed = [perturb(rng.choice(docs), rng) for _ in range(fuzz)]
    try:
        check_agreement(biggest, docs + fuzzed)
    except RuntimeError as exc:  # a peer is not installed
        out["missing"] = [str(exc)]
        return out
    out["agreement"] = (len(docs), len(fuzzed))
    subset = docs[:300]
    out["peers"] = {
        "OPA (Go, in-process)": per_doc(load_opa(rego), subset, passes=2),
        "regorus (Rust)": per_doc(load_regorus(rego), subset, passes=2),
    }
    out["ours_on_subset"] = per_doc(aipolicy_rules_only(biggest), subset)
    return out


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("aipolicy", "PyYAML", "jsonschema", "jsonschema-rs", "pydantic", "click",
                 "google-re2", "opa-golib-python-bindings", "gordon-to-regorus"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="500 files, one repeat")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--output", default=str(HERE / "RESULTS.md"))
    args = parser.parse_args()
    n = 500 if args.quick else args.files
    repeat = 1 if args.quick else args.repeat
    py = sys.executable
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp) / "n", Path(tmp) / "2n"
        write_files(small, n, 7)
        write_files(large, 2 * n, 7)
        form = str(ROOT / "intake" / "schema.json")
        check = [py, "-m", "aipolicy", "check", "--format", "json", "--as-of", str(AS_OF)]
        results["floor"] = wall([py, "-c", FLOOR, form, str(small)], repeat, ok=(0,))
        results["jobs1"] = wall([*check, "--jobs", "1", str(small)], repeat)
        results["jobs2"] = wall([*check, "--jobs", "2", str(small)], repeat)
        results["jobs1_2n"] = wall([*check, "--jobs", "1", str(large)], repeat)
        texts = [p.read_text() for p in sorted(small.glob("*.yaml"))][:1000]
    from startup import measure

    startup = measure(max(5, 3 * repeat))
    results["startup"] = {k: min(v) for k, v in startup.items()}
    results["rules"] = rules_benchmark(texts, [100, 250, 500], not args.no_peers,
                                       50 if args.quick else 300)
    report, failed = render(results, n)
    Path(args.output).write_text(report)
    print(report)
    return 1 if failed else 0


def render(r: dict[str, Any], n: int) -> tuple[str, bool]:
    rows: list[tuple[str, str, str, str]] = []
    failed = False

    def target(name: str, value: float, limit: float, better: str, shown: str) -> None:
        nonlocal failed
        ok = value <= limit if better == "max" else value >= limit
        failed |= not ok
        word = "at most" if better == "max" else "at least"
        rows.append((name, shown, f"{word} {limit:g}", "✓" if ok else "✗"))

    floor = r["floor"]
    target(f"check {n:,} files, --jobs 1, × floor", r["jobs1"] / floor, 1.3, "max",
           f"{r['jobs1'] / floor:.2f}× ({r['jobs1']:.2f} s vs {floor:.2f} s)")
    target("--jobs 2 speed-up over --jobs 1", r["jobs1"] / r["jobs2"], 1.7, "min",
           f"{r['jobs1'] / r['jobs2']:.2f}× ({r['jobs2']:.2f} s)")
    target(f"check {2 * n:,} files ÷ {n:,} files (linear: 2)", r["jobs1_2n"] / r["jobs1"], 2.2,
           "max", f"{r['jobs1_2n'] / r['jobs1']:.2f}")
    s = r["startup"]
    target("validate one.yaml × python -c 'import yaml, jsonschema'",
           s["validate"] / s["baseline"], 1.0, "max",
           f"{s['validate'] / s['baseline']:.2f}× ({1000 * s['validate']:.0f} ms)")
    target("check one.yaml × python -c 'import yaml, jsonschema'",
           s["check"] / s["baseline"], 1.5, "max",
           f"{s['check'] / s['baseline']:.2f}× ({1000 * s['check']:.0f} ms)")
    rules = r["rules"]
    target(f"rule evaluation, starter pack ({rules['starter_rules']} rules), µs/submission",
           rules["starter"], 50, "max", f"{rules['starter']:.1f}")
    synthetic = rules["synthetic"]
    target("rule evaluation, synthetic 500-rule pack, µs/submission", synthetic[500], 150,
           "max", f"{synthetic[500]:.1f}")
    target("500 rules ÷ 100 rules (linear: 5)", synthetic[500] / synthetic[100], 6.0, "max",
           f"{synthetic[500] / synthetic[100]:.2f}")
    peers = rules.get("peers") or {}
    if peers:
        fastest = min(peers.values())
        ours = rules["ours_on_subset"]
        target("fastest peer ÷ aipolicy on the 500 rules", fastest / ours, 4.0,
               "min", f"{fastest / ours:.1f}× ({fastest:.0f} µs vs {ours:.0f} µs)")
    lines = [
        "# Benchmark results",
        "",
        f"Measured {dt.date.today().isoformat()} by `python benchmarks/run.py`"
        f"{'' if n == 5000 else f' --files {n}'}: minimum wall time over the repeats, every "
        "command measured in the same run on the same generated files.",
        "",
        "## Machine",
        "",
        f"- {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        f" ({platform.python_implementation()})",
        *[f"- {name} {version}" for name, version in versions().items()],
        "",
        "## Targets",
        "",
        "| measure | result | target | |",
        "|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
        "",
        "## Rule evaluation alone (µs per submission)",
        "",
        "Rule evaluation is what a Rego engine does with the same rules: the form's "
        "defaults, then which rules hold and the facts they set "
        "(`aipolicy.engine.evaluate.match`). "
        "With explanations adds, for each rule that holds, the values that made it hold "
        "(`derive`), which aipolicy reports and the peers do not compute.",
        "",
        "| engine | rules | µs | with explanations |",
        "|---|---:|---:|---:|",
        f"| aipolicy, starter pack | {rules['starter_rules']} | {rules['starter']:.1f} | "
        f"{rules['starter_explained']:.1f} |",
        *[f"| aipolicy, synthetic | {k} | {v:.1f} | {rules['explained'][k]:.1f} |"
          for k, v in sorted(synthetic.items())],
        *[f"| {name} | 500 | {v:.1f} | |" for name, v in sorted(peers.items())],
        "",
    ]
    if rules.get("missing"):
        lines += ["Peers not measured: " + "; ".join(rules["missing"]), ""]
    if peers:
        docs, fuzzed = rules["agreement"]
        lines += [f"Before timing, aipolicy (full decisions), OPA and regorus returned the same "
                  f"rules for each of the {docs} documents and {fuzzed} copies with answers "
                  "removed or replaced by odd values. The peers are timed on the first 300 "
                  "documents, and so is the aipolicy figure they are compared with.", ""]
    lines += [
        "## Whole runs",
        "",
        "| run | seconds |",
        "|---|---:|",
        f"| floor: CSafeLoader + jsonschema-rs, {n:,} files | {floor:.2f} |",
        f"| aipolicy check --jobs 1, {n:,} files | {r['jobs1']:.2f} |",
        f"| aipolicy check --jobs 2, {n:,} files | {r['jobs2']:.2f} |",
        f"| aipolicy check --jobs 1, {2 * n:,} files | {r['jobs1_2n']:.2f} |",
        f"| python -c 'import yaml, jsonschema' | {s['baseline']:.3f} |",
        f"| aipolicy validate one.yaml | {s['validate']:.3f} |",
        f"| aipolicy check one.yaml | {s['check']:.3f} |",
        "",
    ]
    history = HERE / "changes.md"  # kept by hand: what each change bought
    if history.exists():
        lines += [history.read_text(encoding="utf-8").rstrip(), ""]
    return "\n".join(lines), failed


if __name__ == "__main__":
    raise SystemExit(main())
