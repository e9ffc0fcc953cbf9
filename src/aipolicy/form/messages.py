"""Turn JSON Schema validation errors into findings a business user can act on.

Each message names the field by its title, says what is wrong in plain words, and the
remediation says what to write (with the form's example where it has one).  YAML's
surprises get their own advice: a number where text is wanted needs quotes, ``yes``
where a true/false answer is wanted must be written ``true``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aipolicy.decision import Finding
from aipolicy.sources.documents import SourceDoc
from aipolicy.wording import quoted

from .checks import first_repeated, shown_number
from .schema import Form, did_you_mean, json_type

if TYPE_CHECKING:
    from jsonschema import ValidationError

RULE = "AIP002"
_KIND = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "object": "a group of fields",
    "array": "a list",
    "null": "empty",
}
_YAML_BOOL_WORDS = {"yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off", "YES", "NO"}
_MAX_LISTED = 30


#: the most characters of a submitted value a message quotes
MAX_SHOWN = 60


def _short(text: str) -> str:
    """Submitted text as a message may show it (see :func:`aipolicy.wording.quoted`)."""
    return quoted(text, MAX_SHOWN)


def _quoted(value: Any) -> str:
    if isinstance(value, str):
        return f'"{_short(value)}"'
    return _plain(value)


def _as_written(value: Any) -> str:
    """A value as it would be written in YAML: quotes only where they are needed."""
    from aipolicy.sources.yaml12 import _plain_scalar

    if isinstance(value, str):
        plain = bool(value) and _plain_scalar(value) == value and value.strip() == value
        if (plain and value[0] not in "-?:,[]{}#&*!|>'\"%@`"
                and ": " not in value and " #" not in value):
            return value
        return f'"{value}"'
    return _plain(value)


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a group of fields"
    if isinstance(value, (int, float)):
        return shown_number(value)
    return _short(str(value))


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?")) else text + "."


def _choices(values: Any) -> str:
    values = list(values)
    shown = ", ".join(str(v) for v in values[:_MAX_LISTED])
    return shown + (f", … ({len(values)} in all)" if len(values) > _MAX_LISTED else "")


def _finding(
    form: Form,
    doc: SourceDoc,
    path: list[str | int],
    message: str,
    remediation: str,
    *,
    position_of: list[str | int] | None = None,
) -> Finding:
    line, column = doc.position(position_of if position_of is not None else path)
    return Finding(
        rule=RULE,
        severity="high",
        blocking=True,
        message=message,
        remediation=remediation,
        path=".".join(str(p) for p in path) or None,
        line=line,
        column=column,
        title=form.title_path(path),
    )


def _description(form: Form, path: list[str | int]) -> tuple[str, Any]:
    node = form.schema_at(tuple(p for p in path if isinstance(p, str)))
    if not node or any(isinstance(p, int) for p in path):
        node = _node_at(form, path)
    desc = str(node.get("description", "")).strip() if node else ""
    examples = node.get("examples") if node else None
    example = examples[0] if isinstance(examples, list) and examples else None
    return desc, example


def _node_at(form: Form, path: list[str | int]) -> dict[str, Any] | None:
    node: dict[str, Any] | None = form.resolve(form.schema)
    for part in path:
        if node is None:
            return None
        if isinstance(part, int):
            node = form.resolve(node.get("items", {}))
        else:
            node = form.child_schema(node, part)
    return node


def _condition(form: Form, err: ValidationError, doc: SourceDoc
               ) -> tuple[dict[str, Any], Any, list[str | int]] | None:
    """For an error under an if/then's ``then``: the ``if``, the instance it looked at and
    where that is; None for any other error."""
    schema_path = list(err.schema_path)
    if "then" not in schema_path:
        return None
    cut = len(schema_path) - 1 - schema_path[::-1].index("then")
    node: Any = form.schema
    try:
        for part in schema_path[:cut]:
            if isinstance(node, dict):
                node = form.resolve(node)  # the path skips over $ref
            if part != "$ref":
                node = node[part]
    except (KeyError, IndexError, TypeError):
        return None
    cond = node.get("if", {}) if isinstance(node, dict) else {}
    # the instance the `if` looked at: as many levels up as `then` went down
    inner = schema_path[cut + 1:]
    depth = sum(1 for i, part in enumerate(inner)
                if part in ("items", "additionalProperties")
                or (part == "properties" and i + 1 < len(inner)))
    where = list(err.absolute_path)
    where = where[: len(where) - depth] if depth else where
    instance: Any = doc.data
    for step in where:
        try:
            instance = instance[step]
        except (KeyError, IndexError, TypeError):
            return None
    return (cond if isinstance(cond, dict) else {}), instance, where


def _why_required(form: Form, err: ValidationError, doc: SourceDoc) -> str:
    """For a requirement that comes from an if/then, say which answer triggered it."""
    found = _condition(form, err, doc)
    if found is None:
        return ""
    cond, instance, where = found
    reasons = []
    for name, sub in (cond.get("properties") or {}).items():
        value = instance.get(name) if isinstance(instance, dict) else None
        title = form.title_path([*where, name])
        if isinstance(sub, dict) and "contains" in sub and isinstance(value, list):
            wanted = sub["contains"]
            allowed = wanted.get("enum", [wanted.get("const")])
            hits = [_plain(v) for v in value if v in allowed]
            reasons.append(f"{title} includes {', '.join(hits)}")
        elif value is not None:
            reasons.append(f"{title} is {_plain(value)}")
    return f" when {' and '.join(reasons)}" if reasons else ""


#: the JSON type each keyword applies to: on a value of another type it holds whatever it is
_APPLIES_TO = {
    **dict.fromkeys(["contains", "minContains", "maxContains", "items", "prefixItems",
                     "minItems", "maxItems", "uniqueItems", "unevaluatedItems"], "array"),
    **dict.fromkeys(["pattern", "minLength", "maxLength", "format"], "string"),
    **dict.fromkeys(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                     "multipleOf"], "number"),
    **dict.fromkeys(["properties", "required", "minProperties", "maxProperties",
                     "additionalProperties", "propertyNames", "dependentRequired"], "object"),
}


def _vacuous(sub: Any, value: Any) -> bool:
    """Whether a condition holds of ``value`` only because it is of a type none of the
    condition's keywords apply to (``contains`` of an unanswered list)."""
    if not isinstance(sub, dict):
        return False
    kinds = {_APPLIES_TO.get(key) for key in sub}
    if not kinds or None in kinds:  # type, enum, const, not, anyOf...: a real test
        return False
    got = json_type(value)
    return got not in kinds and not (got == "integer" and "number" in kinds)


def _vacuous_requirement(form: Form, err: ValidationError, doc: SourceDoc) -> bool:
    """A requirement whose ``if`` held only because an answer is missing or of the wrong
    type: its error is said where that answer is; this one would only mislead (nine
    "X is missing" on an empty template)."""
    found = _condition(form, err, doc)
    if found is None:
        return False
    cond, instance, _where = found
    if not isinstance(instance, dict):
        return False
    return any(name in instance and _vacuous(sub, instance[name])
               for name, sub in (cond.get("properties") or {}).items())


def explain(form: Form, err: ValidationError, doc: SourceDoc) -> list[Finding]:
    """Findings for one validation error (some errors concern several fields)."""
    import jsonschema

    path = list(err.absolute_path)
    kind: Any = err.validator
    wanted_value: Any = err.validator_value
    value = err.instance
    title = form.title_path(path)

    if kind in ("anyOf", "oneOf") and err.context:
        best = jsonschema.exceptions.best_match(err.context)
        if best is not None:  # the alternative that came closest, not a wall of errors
            return explain(form, best, doc)

    if kind == "required" and isinstance(value, dict):
        if _vacuous_requirement(form, err, doc):
            return []
        out = []
        why = _why_required(form, err, doc)
        for name in wanted_value:
            if name in value:
                continue
            field_path = [*path, name]
            desc, example = _description(form, field_path)
            hint = f" For example: {name}: {_as_written(example)}." if example is not None else ""
            out.append(_finding(
                form, doc, field_path,
                f"{form.title_path(field_path)} is missing; it is required{why}.",
                f"Add `{name}:`. {_sentence(desc)}{hint}".strip()))
        return out

    if kind in ("additionalProperties", "unevaluatedProperties") and isinstance(value, dict):
        known = list((err.schema.get("properties") or {}) if isinstance(err.schema, dict) else [])
        out = []
        for name in value:
            if name in known:
                continue
            suggestion = did_you_mean(name, known)
            out.append(_finding(
                form, doc, [*path, name],
                f"'{name}' is not a field of {title if path else 'the form'}{suggestion}.",
                f"Remove it or correct the spelling; the fields here are: {_choices(known)}."))
        return out

    desc, example = _description(form, path)
    example_hint = f" For example: {_as_written(example)}." if example is not None else ""

    if kind in ("enum", "const"):
        allowed = wanted_value if kind == "enum" else [wanted_value]
        suggestion = did_you_mean(value, allowed) if isinstance(value, str) else ""
        if isinstance(value, bool) and any(v in ("yes", "no") for v in allowed):
            suggestion = f' (write "{"yes" if value else "no"}" in quotes if that is what you mean)'
        return [_finding(
            form, doc, path,
            f"{title}: {_quoted(value)} is not one of the allowed values{suggestion}.",
            f"Use one of: {_choices(allowed)}.")]

    if kind == "type":
        wanted = wanted_value if isinstance(wanted_value, list) else [
            wanted_value
        ]
        want_words = " or ".join(str(_KIND.get(w, w)) for w in wanted)
        got = json_type(value)
        fix = f"Write {want_words}.{example_hint}"
        allowed = err.schema.get("enum") if isinstance(err.schema, dict) else None
        if isinstance(allowed, list) and value not in allowed:
            return []  # the enum's own error says it better (and names the answers)
        if "string" in wanted and got in ("number", "integer", "boolean"):
            last = path[-1] if path else "value"
            shown_value = _quoted(value) if isinstance(value, bool) else _plain(value)
            fix = f'Put the value in quotes so it is read as text, e.g. {last}: "{shown_value}".'
        elif "boolean" in wanted and isinstance(value, str) and value in _YAML_BOOL_WORDS:
            word = "true" if value.lower() in ("yes", "on", "y") else "false"
            fix = (f"Write {word} instead of {value}: this answer is true or false, "
                   f"and '{value}' is read as text.")
        elif "array" in wanted and got != "array":
            fix = "Write a list: [first, second] or one item per line starting with '- '."
        elif value is None:
            fix = f"Fill it in with {want_words}.{example_hint}"
        if value is None:
            shown = "empty"
        elif isinstance(value, (list, dict)):
            shown = _quoted(value)
        else:
            shown = f"{_quoted(value)} ({_KIND.get(got, got)})"
        if not path and "object" in wanted:
            return [_finding(form, doc, path,
                             f"The file must hold the submission's fields, not {shown}.",
                             "Write one `field: value` line per answer, starting with "
                             "schema_version: and use_case_id:, as in the examples of the "
                             "form.")]
        return [_finding(form, doc, path, f"{title} must be {want_words}, not {shown}.", fix)]

    if kind == "format":
        fmt = wanted_value
        words = {"date": "a date written YYYY-MM-DD", "email": "an email address"}.get(
            fmt, f"a valid {fmt}"
        )
        return [_finding(form, doc, path, f"{title} must be {words}; {_quoted(value)} is not.",
                         f"Write {words}.{example_hint}")]

    if kind == "pattern":
        return [_finding(form, doc, path,
                         f"{title}: {_quoted(value)} does not have the expected form.",
                         f"{_sentence(desc)}{example_hint}".strip()
                         or f"Match the pattern {wanted_value}.")]

    size_words = {
        "minLength": ("at least", "characters", len),
        "maxLength": ("at most", "characters", len),
        "minItems": ("at least", "items", len),
        "maxItems": ("at most", "items", len),
        "minimum": ("at least", "", None),
        "maximum": ("at most", "", None),
        "exclusiveMinimum": ("more than", "", None),
        "exclusiveMaximum": ("less than", "", None),
    }
    if kind in size_words:
        bound, unit, measure = size_words[kind]
        has = f" (it has {measure(value)})" if measure and hasattr(value, "__len__") else ""
        limit = f"{bound} {wanted_value} {unit}".strip()
        given = f": {_quoted(value)}" if isinstance(value, (str, int, float)) else ""
        message = f"{title}{given} must be {limit}{has}."
        return [_finding(form, doc, path, message, _sentence(desc) or f"Make it {limit}.")]

    if kind == "uniqueItems":
        again = first_repeated(value) if isinstance(value, list) else None
        what = (f"lists {_quoted(again[0])} more than once (items {again[1] + 1} and "
                f"{again[2] + 1})" if again is not None else "lists the same value more than once")
        return [_finding(form, doc, path, f"{title} {what}.", "Remove the repeated values.")]

    return [_finding(form, doc, path, f"{title}: {err.message}.", desc or "Correct the value.")]


def number_finding(form: Form, doc: SourceDoc, path: list[str | int], value: Any,
                   why: str) -> Finding:
    """A number the engine cannot use (too large, infinite, not a number)."""
    title = form.title_path(path)
    return _finding(
        form, doc, path, f"{title}: {shown_number(value)} {why}.",
        "Write the number that is meant: aipolicy accepts numbers up to about 1.8e308 in "
        "size (write a large one as, for example, 1.2e25).")


def too_many_finding(form: Form, doc: SourceDoc, shown: int) -> Finding:
    """The last finding when a submission has more problems than are explained."""
    return _finding(
        form, doc, [], f"The submission has more problems than the {shown} listed; "
        "the others were not checked.",
        "Correct the problems listed, then validate the file again.")
