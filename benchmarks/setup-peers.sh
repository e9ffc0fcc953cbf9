#!/usr/bin/env bash
# Install the peer Rego engines of the rule-evaluation benchmark (benchmarks/peers.py)
# into the CURRENT Python environment. They are benchmark-only: aipolicy never depends
# on them, and this script is not run by the package, its tests or CI.
#
# Meant for a throw-away benchmark venv, e.g.:
#
#     python -m venv /tmp/bench-venv && . /tmp/bench-venv/bin/activate
#     pip install -e .            # aipolicy itself
#     bash benchmarks/setup-peers.sh
#
# - opa-golib-python-bindings: OPA's Go engine as a c-shared library behind ctypes. Its
#   wheel declares Requires-Python >=3.14 but is py3-none and runs on 3.10+, hence
#   --ignore-requires-python (which applies to this one command only).
# - gordon-to-regorus: a fork of microsoft/regorus (the Rust Rego interpreter) that
#   publishes the `regorus` module on PyPI; Microsoft publishes no Python wheel.
#
# Both are third-party packages: vet them before depending on them anywhere else.
set -euo pipefail

PYTHON="${PYTHON:-python}"

if [ -z "${VIRTUAL_ENV:-}" ] && [ -z "${CONDA_PREFIX:-}" ]; then
  echo "warning: no virtual environment is active; installing into $("$PYTHON" -c 'import sys; print(sys.prefix)')" >&2
fi

"$PYTHON" -m pip install --ignore-requires-python \
  "opa-golib-python-bindings>=0.4" \
  "gordon-to-regorus>=0.13"

"$PYTHON" - <<'EOF'
from importlib.metadata import version

for dist in ("opa-golib-python-bindings", "gordon-to-regorus"):
    print(f"{dist} {version(dist)}")
EOF
