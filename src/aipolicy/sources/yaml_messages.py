"""Turn libyaml's syntax errors into plain words, at the line where the mistake is.

libyaml reports where it noticed a problem, which is often lines after the mistake (an
unclosed quote is noticed at the end of the file) and in its own terms ("mapping values
are not allowed in this context"). :func:`explain` recognises the mistakes people make
by hand (a tab for indentation, a colon inside a value, indentation that matches no key
above, a quote or bracket never closed, a line without its colon) and says what is wrong
and what to do, at the line and column where it went wrong. Anything else keeps
libyaml's own words.
"""

from __future__ import annotations

from typing import Any

from aipolicy.wording import quoted

#: how much of a line a message quotes
_SHOWN = 60


def explain(text: str, exc: Any) -> tuple[str, int | None, int | None]:
    """(message, line, column) for a ``yaml.MarkedYAMLError`` raised on ``text``."""
    problem: str = exc.problem or exc.context or "invalid YAML"
    context: str = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return problem, None, None
    ctx = exc.context_mark
    at = _Here(text, mark.line, mark.column, problem, context, ctx)
    for rule in (_tab, _unclosed_quote, _quote_run_on, _after_quote, _flow, _colon,
                 _no_colon, _indentation, _reserved):
        found = rule(at)
        if found is not None:
            return found
    message = problem
    if exc.problem and context and ctx is not None and ctx.line != mark.line:
        message += f" ({context} that starts on line {ctx.line + 1})"
    return (message + "; check the quoting and the indentation of this line and the one "
            "above it"), mark.line + 1, mark.column + 1


class _Here:
    """The problem as libyaml noticed it: its line and column (0-based), its words, and
    the mark of its context (where the construct it was reading started)."""

    def __init__(self, text: str, line: int, column: int, problem: str, context: str,
                 ctx: Any) -> None:
        self.source = text
        self.lines = text.split("\n")
        self.line = line
        self.column = column
        self.problem = problem
        self.context = context
        self.ctx = ctx
        self._last: list[Any] = []

    def last_token(self) -> Any:
        """The last token libyaml read before the problem, or None."""
        if not self._last:
            self._last.append(_last_token(self.source, self.line, self.column))
        return self._last[0]

    def text(self, line: int | None = None) -> str:
        n = self.line if line is None else line
        return self.lines[n] if 0 <= n < len(self.lines) else ""

    def char(self) -> str:
        return self.text()[self.column : self.column + 1]

    def indent(self, line: int | None = None) -> int:
        text = self.text(line)
        return len(text) - len(text.lstrip(" "))

    def at_end(self) -> bool:
        return all(not line.strip() for line in self.lines[self.line :]) and (
            not self.text()[self.column :].strip())


Found = tuple[str, int | None, int | None]


def _shown(text: str) -> str:
    return quoted(text.strip(), _SHOWN - 1)


def _tab(at: _Here) -> Found | None:
    if "tab" not in at.problem and at.char() != "\t":
        return None
    for n in range(min(at.line, len(at.lines) - 1) + 1):
        line = at.lines[n]
        lead = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in lead:
            return ("this line is indented with a tab; YAML indents with spaces only: "
                    "replace the tab with spaces"), n + 1, lead.index("\t") + 1
    return None


def _escape(quote: str) -> str:
    return 'type \\"' if quote == '"' else "type it twice ('')"


def _escape_hint(quote: str) -> str:
    return f"to write a {quote} inside the value, {_escape(quote)}"


def _unclosed_quote(at: _Here) -> Found | None:
    if "quoted scalar" not in at.context or at.ctx is None:
        return None
    quote = at.text(at.ctx.line)[at.ctx.column : at.ctx.column + 1] or '"'
    return (f"the value that starts with {quote} here is never closed: end it with {quote} "
            f"({_escape_hint(quote)})"), at.ctx.line + 1, at.ctx.column + 1


def _last_token(text: str, line: int, column: int) -> Any:
    """The last token libyaml read before the problem at (line, column), or None."""
    import yaml

    last = None
    try:
        for token in yaml.scan(text, Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader)):
            end = token.end_mark
            if (end.line, end.column) > (line, column):
                break
            if type(token).__name__ not in ("BlockEndToken", "StreamEndToken"):
                last = token
    except yaml.YAMLError:
        pass
    return last


def _quoted(token: Any) -> str | None:
    style = getattr(token, "style", None)
    return style if style in ('"', "'") else None


def _quote_run_on(at: _Here) -> Found | None:
    """A quote left open is closed by the next value's quote, lines later."""
    token = at.last_token()
    quote = _quoted(token)
    if quote is None or token.start_mark.line == token.end_mark.line:
        return None
    if token.end_mark.line != at.line:
        return None
    start = token.start_mark
    return (f"the value that starts with {quote} here runs on to line {at.line + 1}, "
            f"where the next {quote} closes it: its closing {quote} is probably missing "
            f"here ({_escape_hint(quote)})"), start.line + 1, start.column + 1


def _after_quote(at: _Here) -> Found | None:
    """More text after a quoted value on its line: a quote inside the value."""
    token = at.last_token()
    quote = _quoted(token)
    if quote is None or token.end_mark.line != at.line:
        return None
    rest = at.text()[token.end_mark.column :]
    return (f"the quoted value ends before the end of the line (then comes "
            f"{_shown(rest)!r}): if the value itself holds a {quote}, "
            f"{_escape(quote)}, or quote the "
            "whole value with the other kind of quote"), at.line + 1, token.end_mark.column + 1


def _flow(at: _Here) -> Found | None:
    if "flow sequence" in at.context:
        opened, closing, kind = "[", "]", "list"
    elif "flow mapping" in at.context:
        opened, closing, kind = "{", "}", "mapping"
    else:
        return None
    if at.ctx is None:
        return None
    if at.at_end() or (at.line != at.ctx.line and at.indent() <= at.indent(at.ctx.line)):
        return (f"the {kind} opened with {opened} here is never closed: end it with "
                f"{closing} (its items are separated by commas)"), \
            at.ctx.line + 1, at.ctx.column + 1
    return (f"expected a comma or {closing} here: separate the items of the {kind} that "
            f"starts on line {at.ctx.line + 1} with commas, and put an item that holds a comma "
            "or a colon in quotes"), at.line + 1, at.column + 1


def _colon(at: _Here) -> Found | None:
    if "mapping values are not allowed" not in at.problem:
        return None
    line = at.text()
    before = line[: at.column]
    key, sep, value = before.partition(": ")
    if sep:
        value = line[len(key) + 2 :].strip()
        name = key.strip().lstrip("- ").strip()
        example = (f"e.g. {name}: \"{value}\"" if '"' not in value and len(value) <= _SHOWN
                   else "in double quotes")
        return (f"the value of '{_shown(name)}' holds ': ' (a colon and a space), which YAML "
                f"reads as the start of another key: put the whole value in quotes, "
                f"{example}"), at.line + 1, len(key) + 3
    return _deeper(at)


def _deeper(at: _Here) -> Found:
    above = at.line - 1
    while above > 0 and not at.text(above).strip():
        above -= 1
    return (f"this line is indented deeper than line {above + 1}, which already has its "
            "value: indent it like the other keys of the same group, or, if it belongs "
            f"under line {above + 1}, remove the value on that line"), \
        at.line + 1, at.indent() + 1


def _no_colon(at: _Here) -> Found | None:
    if "could not find expected ':'" not in at.problem or at.ctx is None:
        return None
    return (f"this line ({_shown(at.text(at.ctx.line))!r}) is neither 'key: value' nor a "
            "'- item': add ': ' after the key, or, if it continues the value above, indent "
            "it further"), at.ctx.line + 1, at.ctx.column + 1


def _indentation(at: _Here) -> Found | None:
    if not at.problem.startswith(("did not find expected key", "did not find expected '-'",
                                  "expected <block end>")):
        return None
    if at.column != at.indent() or not at.text().strip():
        return None
    spaces = at.indent()
    if "'-'" in at.problem and at.ctx is not None and at.indent(at.ctx.line) == spaces:
        return (f"this line is not a '- ' item, but the list that starts on line "
                f"{at.ctx.line + 1} at the same indentation expects one: start it with '- ', "
                "or indent the list under its key"), at.line + 1, spaces + 1
    where = f" (the group that starts on line {at.ctx.line + 1})" if at.ctx is not None else ""
    return (f"this line is indented by {spaces} space{'s' if spaces != 1 else ''}, which "
            f"lines up with none of the lines above it{where}: indent it exactly like the "
            "keys or '- ' items it belongs with"), at.line + 1, spaces + 1


def _reserved(at: _Here) -> Found | None:
    char = at.char()
    if "cannot start any token" not in at.problem or char not in ("@", "`", "%"):
        return None
    return (f"a value cannot start with {char} in YAML (it is reserved): put the value in "
            "quotes"), at.line + 1, at.column + 1
