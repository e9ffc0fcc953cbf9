"""YAML 1.2 documents read from libyaml's event stream: data and a line index.

Each file is read once and parsed in one pass into plain data (dicts, lists, str, int,
float, bool, None) plus a line index, using libyaml's event stream when available.  The
YAML rules are those of YAML 1.2's core schema, which is what editors use and what a
person means:

* only ``true``/``false`` are booleans; ``yes``, ``no``, ``on``, ``off`` stay text;
* dates such as ``2027-01-31`` stay text (the form checks their format);
* ``1e25`` is a number;
* no tag ever constructs an object: the standard ``!!str``/``!!int``/... tags are
  honoured, every other tag is an error naming it;
* duplicate keys, merge keys (``<<``), more than one document, alias expansion beyond a
  budget and nesting beyond a depth are errors with their line.
"""
from __future__ import annotations

import re
from typing import Any

from aipolicy.errors import Location, SourceError

from .files import (
    DEFAULT_LIMITS,
    Limits,
    PathKey,
)
from .json_text import parse_json

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


_TRUE = frozenset(("true", "True", "TRUE"))


_FALSE = frozenset(("false", "False", "FALSE"))


_INT = re.compile(r"[-+]?[0-9]+\Z")


_INT_OCT = re.compile(r"0o[0-7]+\Z")


_INT_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")


_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")


_FIRST_NUMERIC = frozenset("-+.0123456789")


_TAG = "tag:yaml.org,2002:"


_SCALAR_TAGS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null"))


_COLLECTION_TAGS = frozenset((_TAG + "map", _TAG + "seq", "!"))


def _plain_scalar(value: str) -> Any:
    """Resolve an untagged plain scalar by the YAML 1.2 core schema."""
    if not value or value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if value[0] in _FIRST_NUMERIC or value[:2] in ("0o", "0x"):
        try:
            if _INT.match(value):
                return int(value)
            if _INT_OCT.match(value):
                return int(value[2:], 8)
            if _INT_HEX.match(value):
                return int(value[2:], 16)
            if _FLOAT.match(value):
                return float(value)
        except ValueError:  # an integer with thousands of digits
            return value
    return value


def _tagged_scalar(tag: str, value: str) -> Any:
    if tag == _TAG + "str" or tag == "!":
        return value
    resolved = _plain_scalar(value)
    wanted = tag[len(_TAG) :]
    ok = {
        "int": isinstance(resolved, int) and not isinstance(resolved, bool),
        "float": isinstance(resolved, (int, float)) and not isinstance(resolved, bool),
        "bool": isinstance(resolved, bool),
        "null": resolved is None,
    }[wanted]
    if not ok:
        raise ValueError(f"'{value}' is not a valid !!{wanted}")
    return float(resolved) if wanted == "float" else resolved


def _tag_error(tag: str) -> str:
    shown = "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag
    return (
        f"the YAML tag {shown} is not allowed: aipolicy never builds objects from tags; "
        "remove the tag and write a plain value"
    )


class _Frame:
    """A mapping or sequence being built."""

    __slots__ = ("container", "key", "key_pos", "keys", "path", "size", "start")

    def __init__(self, container: Any, path: PathKey, start: tuple[int, int]) -> None:
        self.container = container
        self.path = path
        self.start = start
        self.key: str | None = None
        self.key_pos: tuple[int, int] = (0, 0)
        self.keys: dict[str, int] | None = {} if isinstance(container, dict) else None
        self.size = 1


def parse_yaml(
    text: str, path: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[Any, dict[PathKey, tuple[int, int]]]:
    """Parse one YAML document into data and a ``path → (line, column)`` index."""
    import yaml

    loader_cls = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    loader = loader_cls(text)
    try:
        return _Builder(path, limits).build(loader.get_event)
    except yaml.MarkedYAMLError as exc:
        from .yaml_messages import explain

        problem, line, col = explain(text, exc)
        error = SourceError(f"not valid YAML: {problem}", Location(path, line, col))
    except yaml.reader.ReaderError as exc:
        pos = max(0, int(getattr(exc, "position", 0)))
        line = text.count("\n", 0, pos) + 1
        error = SourceError(f"not valid YAML: {exc.reason} (character {exc.character!r})",
                            Location(path, line))
    except yaml.YAMLError as exc:
        error = SourceError(f"not valid YAML: {exc}", Location(path))
    finally:
        loader.dispose()
    if text.lstrip()[:1] in ("{", "["):
        return parse_json(text, path, limits, error)
    raise error


class _Builder:
    """Data and a line index built from one document's events.

    Every node reaches its parent through :meth:`attach`: a key (checked: text, not a
    duplicate), an item of a list, a value under its key, the root. :meth:`build` has it
    inlined for the two commonest nodes, with the figure that keeps it there.
    """

    __slots__ = ("anchors", "have_root", "limits", "lines", "path", "root", "stack")

    def __init__(self, path: str, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.lines: dict[PathKey, tuple[int, int]] = {(): (1, 1)}
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.have_root = False

    def fail(self, message: str, mark: Any) -> SourceError:
        return SourceError(message, Location(self.path, mark.line + 1, mark.column + 1))

    def attach(self, value: Any, mark: Any, size: int, anchor: str | None) -> None:
        """Put a finished node (of ``size`` values) where it belongs."""
        if anchor:
            self.anchors[anchor] = (value, size)
        stack = self.stack
        if not stack:
            self.root, self.have_root = value, True
            return
        frame = stack[-1]
        frame.size += size
        container = frame.container
        if frame.keys is None:
            self.lines[(*frame.path, len(container))] = (mark.line + 1, mark.column + 1)
            container.append(value)
            return
        if frame.key is None:  # this value is a key
            if not isinstance(value, str):
                raise self.fail("a mapping key must be a plain text value", mark)
            first = frame.keys.get(value)
            if first is not None:
                raise self.fail(
                    f"duplicate key '{value}' (first defined on line {first}); "
                    "keep only one",
                    mark,
                )
            frame.keys[value] = mark.line + 1
            frame.key = value
            frame.key_pos = (mark.line + 1, mark.column + 1)
            return
        self.lines[(*frame.path, frame.key)] = frame.key_pos
        container[frame.key] = value
        frame.key = None

    def child_path(self, mark: Any) -> PathKey:
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if frame.keys is None:
            return (*frame.path, len(frame.container))
        if frame.key is None:
            raise self.fail("a mapping key must be a plain text value, not a list or "
                            "mapping", mark)
        return (*frame.path, frame.key)

    def build(self, get_event: Any) -> tuple[Any, dict[PathKey, tuple[int, int]]]:
        """Read events until the stream ends (``get_event()`` gives None)."""
        import yaml.events as ev

        stack, fail, attach = self.stack, self.fail, self.attach
        lines = self.lines
        max_depth = self.limits.max_depth
        max_nodes = self.limits.max_nodes
        anchor_stack: list[str | None] = []
        documents = 0
        nodes = 0
        while True:
            event = get_event()
            if event is None:
                break
            kind = type(event)
            if kind is ev.ScalarEvent:
                nodes += 1
                tag = event.tag
                value = event.value
                top = stack[-1] if stack else None
                if top is not None and top.key is None and top.keys is not None:
                    if tag is not None and tag not in _SCALAR_TAGS and tag != "!":
                        raise fail(_tag_error(tag), event.start_mark)
                    if value == "<<" and event.implicit[0]:  # a plain <<, not "<<" in quotes
                        raise fail("merge keys (<<) are not supported: write the fields out "
                                   "in full", event.start_mark)
                    keys = top.keys
                    if event.anchor is not None or value in keys:
                        attach(value, event.start_mark, 1, event.anchor)  # says what is wrong
                        continue
                    # A key (always text): attach(), inlined, as below for a plain value
                    # under its key, the commonest node. Measured against the plain call,
                    # whole `check` of 1,000 generated intakes (--jobs 1): 3.8% fewer
                    # instructions (callgrind, 7.14e9 against 7.42e9), CPU time 1.7% and
                    # 6.7% less at the minimum of two paired runs (11 and 15 runs each;
                    # medians 0% and 1.5%); parse_document alone 23-31 us less of ~420 us
                    # an intake. Keep both in step with attach().
                    mark = event.start_mark
                    line = mark.line + 1
                    keys[value] = line
                    top.key = value
                    top.key_pos = (line, mark.column + 1)
                    top.size += 1
                    continue
                if tag is None:
                    data: Any = _plain_scalar(value) if event.implicit[0] else value
                elif tag in _SCALAR_TAGS or tag == "!":
                    try:
                        data = _tagged_scalar(tag, value)
                    except ValueError as exc:
                        raise fail(str(exc), event.start_mark) from None
                else:
                    raise fail(_tag_error(tag), event.start_mark)
                if top is not None and top.key is not None and event.anchor is None:
                    # the commonest node, a plain value under a key: attach(), inlined
                    top.size += 1
                    lines[(*top.path, top.key)] = top.key_pos
                    top.container[top.key] = data
                    top.key = None
                    continue
                attach(data, event.start_mark, 1, event.anchor)
            elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
                nodes += 1
                if event.tag is not None and event.tag not in _COLLECTION_TAGS:
                    raise fail(_tag_error(event.tag), event.start_mark)
                if len(stack) >= max_depth:
                    raise fail(
                        f"nesting is deeper than {max_depth} levels; flatten the document",
                        event.start_mark,
                    )
                cpath = self.child_path(event.start_mark)
                start = (event.start_mark.line + 1, event.start_mark.column + 1)
                frame = _Frame({} if kind is ev.MappingStartEvent else [], cpath, start)
                anchor_stack.append(event.anchor)
                stack.append(frame)
            elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
                frame = stack.pop()
                attach(frame.container, _Mark(*frame.start), frame.size, anchor_stack.pop())
            elif kind is ev.AliasEvent:
                target = self.anchors.get(event.anchor)
                if target is None:
                    raise fail(f"unknown alias *{event.anchor}", event.start_mark)
                value, size = target
                nodes += size
                if nodes > max_nodes:
                    raise fail(
                        f"the document expands to more than {max_nodes:,} values "
                        "(aliases repeat their anchor's content); write it out plainly",
                        event.start_mark,
                    )
                attach(value, event.start_mark, size, None)
            elif kind is ev.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise fail(
                        "the file holds more than one YAML document (---); "
                        "put each submission in its own file",
                        event.start_mark,
                    )
            if nodes > max_nodes:
                raise fail(
                    f"the document has more than {max_nodes:,} values; split it",
                    event.start_mark,
                )
        if not self.have_root or self.root is None:
            raise SourceError("the file is empty: it has no YAML content",
                              Location(self.path, 1))
        return self.root, self.lines


class _Mark:
    """A stand-in for a libyaml mark, for positions recorded while building."""

    __slots__ = ("column", "line")

    def __init__(self, line: int, column: int) -> None:
        self.line = line - 1
        self.column = column - 1
