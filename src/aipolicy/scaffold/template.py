"""A commented intake template, written from the form (``aipolicy new``).

Every field appears with its title, description and allowed values as comments. Fields
required at every stage (and, with ``stage``, at that stage) are left to fill in; the
others are commented out. Placeholders are empty, never a guess: an unanswered question
stays an error until the submitter answers it.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterator
from typing import Any

from aipolicy.form.schema import FieldInfo, Form

WIDTH = 92


def stage_requirements(form: Form, stage: str | None) -> dict[str, Any]:
    """The extra ``required`` lists that the form's ``if <stage field>`` rules add (its
    stage field: ``deployment_stage`` unless its ``x-aipolicy`` names another).

    Returns a tree: ``{"operations": {"on_call": {}}, "controls": {}}`` for the fields
    (and sub-fields) required at ``stage``.
    """
    tree: dict[str, Any] = {}
    if stage is None:
        return tree
    for rule in form.schema.get("allOf") or []:
        cond = (rule.get("if") or {}).get("properties", {}).get(form.stage_field)
        if not isinstance(cond, dict):
            continue
        allowed = cond.get("enum", [cond.get("const")])
        if stage not in allowed:
            continue
        _merge_required(tree, rule.get("then") or {})
    return tree


def _merge_required(tree: dict[str, Any], then: dict[str, Any]) -> None:
    for name in then.get("required") or []:
        tree.setdefault(name, {})
    for name, sub in (then.get("properties") or {}).items():
        if isinstance(sub, dict):
            _merge_required(tree.setdefault(name, {}), sub)


_YAML11_WORDS = frozenset(["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"])


def _scalar(value: Any) -> str:
    """A value written so that every YAML reader (1.1 or 1.2) reads it back the same."""
    if not isinstance(value, str) or not value:
        return json.dumps(value)
    plain = value.replace("_", "").replace("-", "").replace(".", "").isalnum()
    ambiguous = value.lower() in _YAML11_WORDS or value[0].isdigit() or value[0] in "-."
    return value if plain and not ambiguous else json.dumps(value)


def _comment(text: str, indent: str) -> Iterator[str]:
    for line in textwrap.wrap(" ".join(text.split()), WIDTH - len(indent) - 2) or [""]:
        yield f"{indent}# {line}".rstrip()


def _describe(node: dict[str, Any], form: Form) -> list[str]:
    notes = []
    item = form.resolve(node.get("items", {})) if node.get("type") == "array" else None
    values = (item or node).get("enum")
    if values:
        kind = "A list of" if item is not None else "One of"
        notes.append(f"{kind}: {', '.join(str(v) for v in values if v is not None)}.")
    elif node.get("type") == "boolean":
        notes.append("true or false.")
    elif node.get("format") == "date":
        notes.append("A date, YYYY-MM-DD.")
    examples = node.get("examples")
    if isinstance(examples, list) and examples:
        notes.append(f"For example: {_scalar(examples[0])}.")
    return notes


def render(form: Form, *, stage: str | None = None, answers: dict[str, Any] | None = None,
           modeline: str | None = None) -> str:
    """The template text; ``answers`` fills top-level fields (``aipolicy new -i``)."""
    answers = dict(answers or {})
    if stage is not None:
        answers.setdefault(form.stage_field, stage)
    required = set(form.schema.get("required") or [])
    extra = stage_requirements(form, stage)
    lines = []
    if modeline:
        lines.append(f"# yaml-language-server: $schema={modeline}")
    lines += [f"# {form.schema.get('title', 'Intake')}: one file per AI use case.",
              "# Fill in every field that is not commented out; uncomment the others that",
              "# apply. Check your answers with: aipolicy validate THIS-FILE",
              ""]
    root = form.resolve(form.schema)
    for name, sub in (root.get("properties") or {}).items():
        node = form.resolve(sub)
        active = name in required or name in extra or name in answers
        lines += _field(form, name, node, "", active, extra.get(name), answers.get(name))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _field(form: Form, name: str, node: dict[str, Any], indent: str, active: bool,
           needed: dict[str, Any] | None, answer: Any) -> list[str]:
    out = [*_comment(f"{node.get('title', name)}: {node.get('description', '')}", indent)]
    out += [f"{indent}#   {note}" for note in _describe(node, form)]
    mark = "" if active else "# "
    props = node.get("properties")
    if isinstance(props, dict) and (answer is None or isinstance(answer, dict)):
        given = answer or {}
        own = set(node.get("required") or []) | set(needed or {}) | set(given)
        out.append(f"{indent}{mark}{name}:")
        for child, sub in props.items():
            child_node = form.resolve(sub)
            child_active = active and child in own
            inner = _field(form, child, child_node, indent + "  ", child_active,
                           (needed or {}).get(child), given.get(child))
            if not active:  # the whole group is commented out
                inner = [line if line.lstrip().startswith("#") else
                         line.replace(indent + "  ", indent + "#   ", 1) for line in inner]
            out += inner
        return out
    value = "" if answer is None else " " + _yaml_value(answer)
    out.append(f"{indent}{mark}{name}:{value}")
    return out


def _yaml_value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    if isinstance(value, str) and (len(value) > 60 or "\n" in value):
        return json.dumps(value)
    return _scalar(value)


# ---------------------------------------------------------------- aipolicy new --interactive

Path = tuple[str, ...]
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def questions(form: Form, stage: str | None) -> list[Path]:
    """The answers to ask for: the always-required ones (``stage`` None), or those the
    form's conditions on ``deployment_stage`` add at ``stage``; groups of fields asked
    field by field, lists of groups left to the file."""
    root = form.resolve(form.schema)
    if stage is None:
        wanted: dict[str, Any] = {name: {} for name in root.get("required") or []}
    else:
        wanted = stage_requirements(form, stage)
    out: list[Path] = []
    _leaves(form, root, (), wanted, out)
    return out


def _leaves(form: Form, node: dict[str, Any], at: Path, wanted: dict[str, Any],
            out: list[Path]) -> None:
    props = node.get("properties") or {}
    for name, more in wanted.items():
        if name not in props or len(at) > 6:
            continue
        child = form.resolve(props[name])
        path = (*at, name)
        if isinstance(child.get("properties"), dict):
            inner: dict[str, Any] = {n: {} for n in child.get("required") or []}
            for key, value in (more or {}).items():
                inner.setdefault(key, value)
            _leaves(form, child, path, inner, out)
        elif child.get("type") == "array" and form.resolve(child.get("items", {})).get(
                "type") == "object":
            continue  # a list of groups of fields: written in the file
        else:
            out.append(path)


def parse_answer(info: FieldInfo, raw: str) -> Any:
    """A typed answer: a list for a list (comma-separated), a number, true/false, text."""
    if info.item is not None:
        return [_typed(info.item, v.strip()) for v in raw.split(",") if v.strip()]
    return _typed(info, raw)


def _typed(info: FieldInfo, raw: str) -> Any:
    types = info.types
    if not types or "string" in types:
        return raw
    if "boolean" in types and raw.lower() in ("true", "false", "yes", "no"):
        return raw.lower() in ("true", "yes")
    for kind, convert in (("integer", int), ("number", float)):
        if kind in types:
            try:
                return convert(raw)
            except ValueError:
                pass
    return raw


def with_answer(answers: dict[str, Any], path: Path, value: Any) -> dict[str, Any]:
    """A copy of ``answers`` with ``value`` at ``path``."""
    result = dict(answers)
    node = result
    for part in path[:-1]:
        inner = dict(node.get(part) or {})
        node[part] = inner
        node = inner
    node[path[-1]] = value
    return result


def answer_problems(form: Form, answers: dict[str, Any], path: Path, value: Any) -> list[str]:
    """What is wrong with an answer, as ``validate`` would say it (pattern, length,
    format, allowed values, numbers), given the answers so far."""
    from aipolicy.form.validate import check_submission
    from aipolicy.sources.documents import parse_document

    try:
        text = json.dumps(with_answer(answers, path, value), allow_nan=False)
    except ValueError:
        return ["that number is too large"]
    dotted = ".".join(path)
    findings = check_submission(form, parse_document(text, "answers.json"))
    return [f"{f.message} {f.remediation}".strip() for f in findings
            if f.path == dotted or (f.path or "").startswith(dotted + ".")]


def safe_file_name(text: str) -> bool:
    """Whether an answer can name a file in ``intake/``: letters, digits, ``.``, ``_``,
    ``-``, not starting with a dot (no path separator, no ``..``), at most 100."""
    return bool(_SAFE_NAME.fullmatch(text)) and ".." not in text
