"""The checks of a submission that aipolicy makes itself, the same for both validators.

Both validators (jsonschema-rs, fast, and the ``jsonschema`` package, the reference) are
given these, so that they agree on what is valid and neither can be made to run long:

* ``pattern``: ECMA-262 semantics (``\\d`` is ``[0-9]``, ``$`` only at the end of the text,
  ``.`` no line terminator), run on RE2, whose time is linear in the text; a pattern that
  cannot be run so is refused when the form is loaded;
* ``uniqueItems`` (reference only: jsonschema-rs is linear already): linear time, by the
  canonical JSON of each item (``1`` equals ``1.0``, ``true`` is not ``1``);
* ``format``: ``date`` is a real date written ``YYYY-MM-DD`` (one the engine can use),
  ``email`` is ``local@domain`` without spaces; the other formats the reference knows are
  checked by its own functions in both validators, the rest are annotations only.

And numbers: a submitted number must be one a JSON number can interoperably be (RFC 8259
§6: an IEEE 754 double): finite, at most about ``1.8e308`` in size. Past that, arithmetic
on it (in a rule, in a validator) overflows, or it is ``Infinity`` or ``NaN``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import sys
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

#: the largest size of a submitted number: that of the largest finite double
NUMBER_LIMIT = sys.float_info.max

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)

# ECMA-262 WhiteSpace and LineTerminator: what its \s matches
_SPACES = (r"\t\n\x{0B}\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}"
           r"\x{205F}\x{3000}\x{FEFF}")
_NOT_LINE_END = r"[^\n\r\x{2028}\x{2029}]"
_PASS_ESCAPES = frozenset("dDwWbBfnrtv")  # the same in ECMA-262 and RE2 (RE2 is ASCII too)
_SYNTAX = frozenset("^$\\.*+?()[]{}|/-")


# ---------------------------------------------------------------- patterns (ECMA-262 on RE2)

def ecma_to_re2(pattern: str) -> str:
    """The RE2 pattern that matches what the ECMA-262 ``pattern`` does.

    Raises ValueError, saying why, for what RE2 cannot run in linear time (back-references,
    look-around) and for what is not ECMA-262 syntax.
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            text, i = _escape(pattern, i, in_class=False)
            out.append(text)
        elif ch == "[":
            text, i = _char_class(pattern, i)
            out.append(text)
        elif ch == "(":
            text, i = _group(pattern, i)
            out.append(text)
        elif ch == ".":
            out.append(_NOT_LINE_END)
            i += 1
        elif ch == "$":
            out.append(r"\z")
            i += 1
        elif ch == "^":
            out.append(r"\A")
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _group(pattern: str, i: int) -> tuple[str, int]:
    rest = pattern[i + 1:]
    if not rest.startswith("?"):
        return "(", i + 1
    if rest.startswith("?:"):
        return "(?:", i + 3
    if rest.startswith(("?=", "?!", "?<=", "?<!")):
        raise ValueError("look-ahead and look-behind are not supported")
    named = re.match(r"\?<([A-Za-z_][A-Za-z0-9_]*)>", rest)
    if named:
        return f"(?P<{named.group(1)}>", i + 1 + named.end()
    raise ValueError(f"'(?{rest[1:2]}' is not ECMA-262 syntax")


def _escape(pattern: str, i: int, *, in_class: bool) -> tuple[str, int]:
    """One escape at ``pattern[i]`` (a backslash), translated; and where it ends."""
    if i + 1 >= len(pattern):
        raise ValueError("the pattern ends with a lone backslash")
    ch = pattern[i + 1]
    end = i + 2
    if ch == "s":
        return (_SPACES if in_class else f"[{_SPACES}]"), end
    if ch == "S":
        if in_class:
            raise ValueError(r"\S inside [...] is not supported; write [^\s...] instead")
        return f"[^{_SPACES}]", end
    if ch == "b" and in_class:
        return r"\x08", end
    if ch in _PASS_ESCAPES:
        return "\\" + ch, end
    if ch == "0" and not pattern[end:end + 1].isdigit():
        return r"\x00", end
    if ch.isdigit() or (ch == "k" and pattern[end:end + 1] == "<"):
        raise ValueError("back-references are not supported")
    if ch == "x":
        digits = pattern[end:end + 2]
        if re.fullmatch(r"[0-9A-Fa-f]{2}", digits):
            return rf"\x{{{digits}}}", end + 2
        raise ValueError(r"\x must be followed by two hexadecimal digits")
    if ch == "u":
        return _unicode_escape(pattern, end)
    if ch == "c" and end < len(pattern) and pattern[end].isascii() and pattern[end].isalpha():
        return rf"\x{{{ord(pattern[end]) % 32:02X}}}", end + 1
    if ch in "pP":
        prop = re.match(r"\{([A-Za-z_]+)\}", pattern[end:])
        if prop:
            return f"\\{ch}{{{prop.group(1)}}}", end + prop.end()
        raise ValueError(rf"\{ch} must name a Unicode property, e.g. \{ch}{{L}}")
    if ch in _SYNTAX:
        return "\\" + ch, end
    if ch.isascii() and ch.isalnum():
        raise ValueError(rf"'\{ch}' is not an escape of ECMA-262 regular expressions")
    return _literal(ch), end


def _unicode_escape(pattern: str, at: int) -> tuple[str, int]:
    braced = re.match(r"\{([0-9A-Fa-f]{1,6})\}", pattern[at:])
    if braced:
        code, end = int(braced.group(1), 16), at + braced.end()
    else:
        digits = pattern[at:at + 4]
        if not re.fullmatch(r"[0-9A-Fa-f]{4}", digits):
            raise ValueError(r"\u must be followed by four hexadecimal digits")
        code, end = int(digits, 16), at + 4
        low = re.match(r"\\u([dD][c-fC-F][0-9A-Fa-f]{2})", pattern[end:])
        if 0xD800 <= code <= 0xDBFF and low:  # a surrogate pair: one character
            code = 0x10000 + ((code - 0xD800) << 10) + (int(low.group(1), 16) - 0xDC00)
            end += 6
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise ValueError(f"\\u{code:X} is not a character")
    return rf"\x{{{code:X}}}", end


def _literal(ch: str) -> str:
    return "\\" + ch if ch in _SYNTAX else ch


def _char_class(pattern: str, i: int) -> tuple[str, int]:
    """A ``[...]`` class at ``pattern[i]``, translated; and where it ends."""
    j = i + 1
    negated = pattern[j:j + 1] == "^"
    if negated:
        j += 1
    if pattern[j:j + 1] == "]":  # ECMA: [] matches nothing, [^] any character
        return (r"[\x00-\x{10FFFF}]" if negated else r"[^\x00-\x{10FFFF}]"), j + 1
    out = ["[^" if negated else "["]
    while j < len(pattern) and pattern[j] != "]":
        ch = pattern[j]
        if ch == "\\":
            text, j = _escape(pattern, j, in_class=True)
            out.append(text)
        else:
            out.append("\\" + ch if ch in "[^" else ch)
            j += 1
    if j >= len(pattern):
        raise ValueError("a '[' is not closed by ']'")
    out.append("]")
    return "".join(out), j + 1


@lru_cache(maxsize=512)
def pattern_matcher(pattern: str) -> Callable[[str], bool]:
    """Whether a text matches an ECMA-262 ``pattern`` (found anywhere, as JSON Schema says),
    in time linear in the text. Raises ValueError for a pattern that cannot be run so."""
    from aipolicy.patterns import compile_pattern

    translated = ecma_to_re2(pattern)
    try:
        return compile_pattern(translated)
    except Exception as exc:  # re2.error: e.g. a repeat count over 1000
        raise ValueError(str(exc) or type(exc).__name__) from None


_DATA_KEYWORDS = frozenset(["enum", "const", "default", "examples"])  # values, not schemas


def form_patterns(schema: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every ``pattern`` keyword in a form, and where it is."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), schema)]
    while stack:
        at, node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                yield (*at, "pattern"), node["pattern"]
            stack.extend(((*at, k), v) for k, v in node.items()
                         if isinstance(v, (dict, list)) and k not in _DATA_KEYWORDS)
        elif isinstance(node, list):
            stack.extend(((*at, k), v) for k, v in enumerate(node))


# ---------------------------------------------------------------- uniqueItems, in linear time

def canonical(value: Any) -> str:
    """JSON text equal for values JSON Schema calls equal (``1`` and ``1.0``; not ``true``
    and ``1``; objects whatever the order of their keys)."""
    return json.dumps(_normal(value), sort_keys=True, ensure_ascii=False, allow_nan=True)


def _normal(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    return value


def first_repeated(items: list[Any]) -> tuple[Any, int, int] | None:
    """The first item equal to an earlier one, with both positions; None if all differ."""
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        key = canonical(item)
        if key in seen:
            return item, seen[key], i
        seen[key] = i
    return None


def all_unique(items: list[Any]) -> bool:
    return first_repeated(items) is None


# ---------------------------------------------------------------- formats

def is_date(value: Any) -> bool:
    """A real date written ``YYYY-MM-DD`` in ASCII digits (year 0001 to 9999)."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


_EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+")


def is_email(value: Any) -> bool:
    """``local@domain``: both parts there, one ``@``, no spaces or control characters."""
    return isinstance(value, str) and _EMAIL.fullmatch(value) is not None


_OWN_FORMATS: dict[str, Callable[[Any], bool]] = {
    "date": is_date, "email": is_email, "idn-email": is_email,
}


def form_formats(schema: Any) -> dict[str, Callable[[str], bool]]:
    """A check for every ``format`` the form uses: aipolicy's own, else the reference's,
    else none (an annotation, in both validators)."""
    names: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("format"), str):
                names.add(node["format"])
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(node)
    checks: dict[str, Callable[[str], bool]] = {}
    reference: Any = None
    for name in sorted(names):
        own = _OWN_FORMATS.get(name)
        if own is not None:
            checks[name] = own
            continue
        if reference is None:  # imported only for a form that uses other formats
            import jsonschema

            reference = jsonschema.validators.validator_for(
                schema, jsonschema.Draft202012Validator).FORMAT_CHECKER
        if name in reference.checkers:
            checks[name] = _reference_check(reference, name)
        else:
            checks[name] = _anything
    return checks


def _reference_check(reference: Any, name: str) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        return bool(reference.conforms(value, name))

    return check


def _anything(_value: str) -> bool:
    return True


# ---------------------------------------------------------------- numbers

def number_problem(value: Any) -> str | None:
    """Why a submitted number cannot be used, or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and math.isnan(value):
        return "is not a number (NaN)"
    if isinstance(value, float) and math.isinf(value):
        return "is too large: past about 1.8e308 it is read as infinity"
    if abs(value) > NUMBER_LIMIT:
        return "is too large a number"
    return None


def _any_unusable(data: Any) -> bool:
    """Whether a submission holds a number that cannot be used: a quick walk, no paths."""
    stack = [data]
    pop, push_all = stack.pop, stack.extend
    while stack:
        node = pop()
        kind = type(node)
        if kind is dict:
            push_all(node.values())
        elif kind is list:
            push_all(node)
        elif kind is float:
            if not math.isfinite(node):
                return True
        elif kind is int and (node > NUMBER_LIMIT or node < -NUMBER_LIMIT):
            return True
    return False


def out_of_range(data: Any) -> Iterator[tuple[list[str | int], Any, str]]:
    """Every number in a submission that cannot be used: (its path, it, why)."""
    if not _any_unusable(data):  # most submissions: no paths to build
        return
    stack: list[tuple[list[str | int], Any]] = [([], data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            stack.extend(([*path, k], v) for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend(([*path, k], v) for k, v in reversed(list(enumerate(node))))
        else:
            why = number_problem(node)
            if why is not None:
                yield path, node, why


def shown_number(value: float) -> str:
    """A number as it can be shown: a long one shortened, with its count of digits."""
    if isinstance(value, float) and not math.isfinite(value):
        return "the value written" if math.isnan(value) else "the number written"
    try:
        text = str(value)
    except ValueError:  # more digits than Python converts
        return "a number of thousands of digits"
    digits = sum(c.isdigit() for c in text)
    return f"{text[:8]}…{text[-4:]} ({digits} digits)" if len(text) > 24 else text
