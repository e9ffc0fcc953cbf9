"""Operands read when a rule runs: another answer, a parameter, the evaluation date.

``{field: other}`` compares two answers of the submission (with ``equals``, ``contains``
and their kind, or, scaled by ``times:``/``divided_by:``, with a comparison of numbers);
``{parameter: name}`` and ``{as_of: N}`` stand for a bound or a date. Each is checked
against the form and the pack's parameters here, and becomes a getter the test calls.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from aipolicy.form.schema import Form, did_you_mean
from aipolicy.language.closures import MISSING, Context, Getter, parameter_getter, path_getter
from aipolicy.language.nodes import Reference
from aipolicy.language.operands import Target

#: The span of the calendar (years 1 to 9999) in days: ``{as_of: N}`` beyond it is refused.
MAX_AS_OF_DAYS = (dt.date.max - dt.date.min).days

#: A getter for the operand, or None and why not.
Resolved = tuple[Getter, str] | tuple[None, str]


def shifted(day: dt.date, delta: dt.timedelta) -> dt.date:
    """``day`` moved by ``delta``, held to the calendar's first and last day."""
    try:
        return day + delta
    except OverflowError:
        return dt.date.max if delta.days > 0 else dt.date.min


def reference_kind(value: Any) -> Reference | None:
    """What an operand written as a mapping refers to, or None when it is not one."""
    if not isinstance(value, dict):
        return None
    keys = set(value)
    if keys == {"parameter"}:
        return "parameter"
    if keys == {"as_of"}:
        return "as_of"
    if keys in ({"field"}, {"field", "times"}, {"field", "divided_by"}):
        return "field"
    return None


def refuse_field_value(form: Form, other: Any, target: Target) -> Resolved:
    """``{field: path}`` as the operand of equals/not_equals/contains: compare two answers."""
    ref = form.field(tuple(other.split("."))) if isinstance(other, str) else None
    if ref is None:
        return None, f"the form has no field '{other}' to compare {target.label} with"
    mine = target.each or target.info
    if mine.enum is not None and ref.enum is not None and not set(ref.enum) & set(mine.enum):
        return None, f"{target.label} and {ref.label} share no value, so they never match"
    return path_getter(tuple(other.split("."))), ""


def resolve_reference(form: Form, params: dict[str, tuple[str, tuple[Any, ...] | None]],
                      ref: Reference, value: dict[str, Any], kind: str) -> Resolved:
    """The getter of a ``{parameter: …}``, ``{as_of: N}`` or ``{field: …}`` bound of a
    test on a target of this kind, or None and why it cannot be one."""
    if ref == "parameter":
        name = value["parameter"]
        decl = params.get(name) if isinstance(name, str) else None
        if decl is None:
            hint = did_you_mean(str(name), params)
            return None, f"the pack declares no parameter '{name}'{hint}"
        want = "date" if kind == "date" else "number"
        if (decl[0] == "date") != (want == "date") or decl[0] in ("string", "boolean"):
            return None, f"parameter '{name}' is a {decl[0]}, not a {want}"
        return parameter_getter(name), ""
    if ref == "as_of":
        days = value["as_of"]
        if kind != "date" or not isinstance(days, int) or isinstance(days, bool):
            return None, "{as_of: N} compares dates; N is a whole number of days"
        if abs(days) > MAX_AS_OF_DAYS:
            return None, (f"{{as_of: {days}}} is beyond any date; N is at most "
                          f"{MAX_AS_OF_DAYS:,} days either way")
        delta = dt.timedelta(days=days)
        return (lambda ctx: shifted(ctx.as_of, delta)), ""
    return _field_bound(form, value, kind)


def _field_bound(form: Form, value: dict[str, Any], kind: str) -> Resolved:
    other = value.get("field")
    factor_key = "divided_by" if "divided_by" in value else "times"
    factor = value.get(factor_key, 1)
    info = form.field(tuple(str(other).split("."))) if isinstance(other, str) else None
    if kind == "date" and set(value) == {"field"}:  # two dates of the submission
        if info is None or info.format != "date":
            return None, "{field: …} compares a date with another date field of the form"
        return path_getter(tuple(str(other).split("."))), ""
    numeric = not info.types or bool({"number", "integer"} & info.types) if info else False
    if info is None or kind != "number" or not numeric:
        return None, "{field: …} compares a number with another numeric field of the form"
    if (not isinstance(factor, (int, float)) or isinstance(factor, bool)
            or (factor_key == "divided_by" and factor == 0)):
        return None, f"'{factor_key}' takes a non-zero number"
    get = path_getter(tuple(str(other).split(".")))
    divide = factor_key == "divided_by"

    def scaled(ctx: Context) -> Any:
        found = get(ctx)
        if isinstance(found, (int, float)) and not isinstance(found, bool):
            try:
                return found / factor if divide else found * factor
            except OverflowError:  # a whole number beyond floats: scale it exactly
                from fractions import Fraction

                exact = Fraction(found)
                return exact / Fraction(factor) if divide else exact * Fraction(factor)
        return MISSING

    return scaled, ""
