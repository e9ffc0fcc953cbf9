"""How a message quotes what a submitter wrote: the one place that decides it.

A message (a form finding, a YAML error, a rule's ``Given:``) may quote a submitted value;
it shows it short and inert, whatever the reporter does after: control, format and
separator characters as escapes (``\\n``, ``\\x1b``, ``\\u202e``), at most ``limit``
characters with ``…`` for the rest.
"""

from __future__ import annotations

import unicodedata

#: Character categories a quoted value shows as escapes: controls, format characters
#: (bidi overrides, zero-width), line and paragraph separators, lone surrogates.
_ESCAPED = frozenset(("Cc", "Cf", "Zl", "Zp", "Cs"))


def quoted(text: str, limit: int) -> str:
    """``text`` as a message quotes it: escaped, and at most ``limit`` characters."""
    out = []
    for ch in text[: limit + 1]:
        if unicodedata.category(ch) in _ESCAPED:
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii")
                       if ch.isascii() else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    shown = "".join(out)
    if len(text) > limit or len(shown) > limit:
        return shown[:limit] + "…"
    return shown
