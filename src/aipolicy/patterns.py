"""Bounded regular expressions: the operand of ``matches``, checked and compiled.

Patterns run on RE2, whose matching time is linear in the text, so no text, however
crafted, can make one run long. :func:`unsafe_pattern` refuses, with a plain reason, what
RE2 cannot do; :func:`compile_pattern` builds the search the ``matches`` test calls.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any


def compile_pattern(pattern: str) -> Callable[[str], bool]:
    """Whether the pattern is found in a text, by a linear-time matcher (RE2): no text,
    however crafted, can make it run long. A text holding a lone surrogate (JSON can
    write one) is matched as it is encoded, never refused."""
    import re2

    options = re2.Options()
    options.log_errors = False  # a refused pattern is our message, not RE2's log on stderr
    compiled = re2.compile(pattern, options)
    direct = _direct_call(re2, compiled)
    if direct is None:
        def search(text: str) -> bool:
            return compiled.search(text.encode("utf-8", "surrogatepass").decode(
                "utf-8", "replace")) is not None

        return search
    match, unanchored, nowhere = direct

    def found(text: str) -> bool:
        data = text.encode("utf-8", "surrogatepass")
        return bool(match(unanchored, data, 0, len(data))[0] != nowhere)

    return found


def _direct_call(re2: Any, compiled: Any) -> tuple[Any, Any, Any] | None:
    """RE2's own match call, without the wrapper's match objects (a third of the time),
    with its arguments; None if this version of the wrapper does not have it."""
    match = getattr(getattr(compiled, "_regexp", None), "Match", None)
    unanchored = getattr(getattr(re2, "_Anchor", None), "UNANCHORED", None)
    nowhere = getattr(re2, "_NULL_SPAN", None)
    if match is None or unanchored is None or nowhere is None:
        return None
    return match, unanchored, nowhere


MAX_PATTERN = 200


def unsafe_pattern(pattern: str) -> str | None:
    """Why ``pattern`` cannot be used by ``matches``, or None when it can.

    Patterns run on RE2, whose matching time is linear in the text, so nested
    repetition is harmless; what RE2 cannot do (back-references, look-around) is
    refused here with a plain explanation.
    """
    if len(pattern) > MAX_PATTERN:
        return f"the pattern is longer than {MAX_PATTERN} characters"
    import warnings

    try:
        with warnings.catch_warnings():  # e.g. "possible nested set": no noise on stderr
            warnings.simplefilter("ignore")
            re.compile(pattern)
    except re.error as exc:
        return f"not a valid regular expression: {exc}"
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser as sre_parse  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_constants as c
        import sre_parse

    def walk(items: Any) -> str | None:
        for op, av in items:
            if op in (c.GROUPREF, c.GROUPREF_EXISTS):
                return "back-references are not allowed"
            if op in (c.ASSERT, c.ASSERT_NOT):
                return "look-ahead and look-behind are not allowed"
            if op.name in ("POSSESSIVE_REPEAT", "ATOMIC_GROUP"):
                return "possessive repeats and atomic groups are not supported"
            for sub in _subpatterns(op, av, c):
                why = walk(sub)
                if why:
                    return why
        return None

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = sre_parse.parse(pattern)
    why = walk(parsed)
    if why:
        return why
    try:
        compile_pattern(pattern)
    except Exception as exc:  # re2.error: a construct RE2 does not support
        said = exc.args[0] if exc.args else exc  # RE2 says it in bytes
        text = said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)
        return f"not supported by the linear-time matcher: {text}"
    return None


def _subpatterns(op: Any, av: Any, c: Any) -> list[Any]:
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        return [av[2]]
    if op is c.SUBPATTERN:
        return [av[-1]]
    if op is c.BRANCH:
        return list(av[1])
    return []
