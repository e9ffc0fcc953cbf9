"""The shape of the package: layers that import only downwards, no import circles, small
modules, and a README layout section that names every module there is."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from helpers.paths import ROOT

PACKAGE = ROOT / "src" / "aipolicy"
MAX_LINES = 400

#: The layers, lowest first: a module may import only from its own layer or lower ones.
LAYERS = [
    {"errors", "_version", "wording", "patterns", "cache", "starter", "file_schema"},
    {"sources"},
    {"decision", "serialize", "identity", "info"},
    {"form"},
    {"language"},
    {"pack"},
    {"engine", "lint"},
    {"waivers", "signoffs", "records"},  # applied after evaluation (issue 12)
    {"portfolio"},  # the portfolio of a JSON report, and its history (issue 13)
    {"reporters", "scaffold"},
    {"commands"},
    {"cli", "__main__", "__init__"},
]


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                full = f"{target}.{alias.name}"
                found.add(full if full in modules else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in modules and m != name and m != "aipolicy"
            and not name.startswith(m + ".")}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _layer(module: str) -> int:
    top = module.split(".")[1] if "." in module else "__init__"
    for i, layer in enumerate(LAYERS):
        if top in layer:
            return i
    raise AssertionError(f"{module}: in no layer of tests/unit/test_layout.py")


def test_no_module_imports_in_a_circle() -> None:
    graph = _graph()
    circles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append([*trail[trail.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert circles == []


def test_layers_import_only_downwards() -> None:
    upwards = [f"{a} imports {b}" for a, deps in sorted(_graph().items()) for b in sorted(deps)
               if _layer(b) > _layer(a)]
    assert upwards == []


def test_no_module_is_over_400_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_the_readme_layout_names_every_module() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Layout", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"\b([a-z_0-9]+\.py)\b", section))
    packages = set(re.findall(r"\b([a-z_]+)/", section))
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "__init__.py":
            if path.parent != PACKAGE and path.parent.name not in packages:
                missing.append(str(path.relative_to(PACKAGE)))
        elif path.name not in named:
            missing.append(str(path.relative_to(PACKAGE)))
    assert missing == []
