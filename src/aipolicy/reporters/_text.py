"""What every reporter does to a value before it reaches a report: make it inert and short.

Submitter text is hostile, and pack text only semi-trusted, so no value may steer the
terminal, the CI log or the page that shows a report:

* :func:`clean` shows every control character as a visible escape (``\\n``, ``\\x1b``,
  ``\\u202e``): C0 and C1 controls (ESC, CSI ``\\x9b``, BEL, CR, LF, tab...), DEL, NEL, the
  Unicode line and paragraph separators, the bidirectional overrides and isolates, the
  noncharacters U+FFFE and U+FFFF, and lone surrogates; a byte that was not UTF-8 in a file
  name (Python's ``surrogateescape`` turns byte ``0xff`` into ``\\udcff``) is shown as
  the byte, ``\\xff``.  No value can then start a new line, move the cursor, open a
  hyperlink, reorder the text around it, or make the output invalid UTF-8 or XML.
* :func:`shorten` bounds the length of a displayed value, eliding its middle with ``…``,
  so that the size of a text report is linear in the number of findings with a small
  constant, whatever the submissions hold (one 900,000-character id used to pad every row).
* :func:`json_safe` makes JSON text (the ``json`` and ``sarif`` formats) valid UTF-8 and
  inert when printed, without changing the data it decodes to (except lone surrogates,
  which no UTF-8 document can hold).
"""

from __future__ import annotations

import os
import re

from aipolicy.serialize import json_safe as json_safe

#: A use case id, tier, category, rule or control id shown in a table cell, a heading or a
#: JUnit test name.
MAX_ID = 80
#: A file name shown in a table, a heading or a message (the locations that tools follow,
#: SARIF URIs and annotation ``file=``, keep the whole name).
MAX_PATH = 255
#: A message, a remediation, a title or a waiver's text.
MAX_TEXT = 1000
#: What stands for the elided middle of a shortened value.
ELLIPSIS = "…"

#: Every character :func:`clean` escapes.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                    "\ud800-\udfff\ufffe\uffff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(char: str) -> str:
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that was not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def clean(value: object) -> str:
    """``value`` as text with every control, separator, bidi or invalid character escaped."""
    text = value if isinstance(value, str) else str(value)
    if UNSAFE.search(text) is None:
        return text
    return UNSAFE.sub(lambda m: _escape(m.group()), text)


def shorten(value: object, limit: int) -> str:
    """``value`` as text of at most ``limit`` characters, its middle elided with ``…``."""
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return text
    head = (limit - 1) * 2 // 3
    tail = limit - 1 - head
    return text[:head] + ELLIPSIS + (text[-tail:] if tail else "")


def show(value: object, limit: int = MAX_TEXT) -> str:
    """A value for a text report: shortened to ``limit``, then :func:`clean`."""
    return clean(shorten(value, limit))


def show_lines(value: object, sep: str, limit: int = MAX_TEXT) -> str:
    """A multi-line text (a remediation that ends with lines to paste) for a text report.

    Each line is :func:`clean`ed, so none holds a control character, and a line that would
    begin, after white space, with ``:`` has that ``:`` escaped (``\\x3a``), so that no line
    can be a GitHub workflow command; the lines are joined with ``sep`` (a newline and an
    indent, ``<br>``, or ``%0A`` through the annotation escape).
    """
    pieces = []
    for line in shorten(value, limit).split("\n"):
        shown = clean(line)
        stripped = shown.lstrip()
        if stripped[:1] == ":":
            shown = shown[: len(shown) - len(stripped)] + "\\x3a" + stripped[1:]
        pieces.append(shown)
    return sep.join(pieces)


def path(file: str, limit: int = MAX_PATH) -> str:
    """A file name for a text report, safe at the start of a line.

    GitHub Actions runs any log line that starts, after white space, with ``::`` as a
    workflow command, so a relative name beginning with ``:`` or white space is shown as
    ``./name``: the same file, and a line that is no command.
    """
    shown = show(file, limit)
    if shown[:1] == ":" or shown[:1].isspace():
        shown = "./" + shown
    return shown


def repo_path(file: str, sep: str = os.sep) -> str:
    """The file as given, with ``/`` separators and no leading ``./``.

    Only the platform's own separator is rewritten: on POSIX a backslash is part of a
    file's name, and rewriting it would name another file.
    """
    slashed = file.replace(sep, "/") if sep != "/" else file
    while slashed.startswith("./"):
        slashed = slashed[2:]
    return slashed
