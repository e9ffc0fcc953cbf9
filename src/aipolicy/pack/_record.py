"""``Record``: what ``typing.NamedTuple`` makes, made cheaply, for :mod:`aipolicy.pack.spec`.

To the type checker the spec's classes derive from ``NamedTuple`` (``spec.py`` imports it
under that name when type checking); at run time they derive from :class:`Record`: a
tuple whose fields, in the order of the class's annotations, are read by name through the
same C accessor ``collections.namedtuple`` uses, and which is built by keyword. It skips
what makes ``namedtuple`` slow to create (compiling a ``__new__`` and checking each
annotation), which this start-up path would pay for every class on every run.
"""

from __future__ import annotations

from operator import itemgetter

try:  # the accessor namedtuple's fields use (CPython)
    from _collections import _tuplegetter as _getter  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - other interpreters
    def _getter(index: int, doc: str) -> property:
        return property(itemgetter(index), doc=doc)


class _RecordType(type):
    def __new__(mcs, name: str, bases: tuple[type, ...], ns: dict[str, object]
                ) -> _RecordType:
        if bases != (tuple,):  # a record class: its annotations are its fields
            annotations = ns.get("__annotations__")
            fields = tuple(annotations) if isinstance(annotations, dict) else ()
            ns.update(__slots__=(), _fields=fields, __match_args__=fields)
            for i, field in enumerate(fields):
                ns[field] = _getter(i, f"field {i}")
        return super().__new__(mcs, name, bases, ns)


def _make(cls: type[Record], items: tuple[object, ...]) -> Record:
    return tuple.__new__(cls, items)


class Record(tuple[object, ...], metaclass=_RecordType):
    """A tuple with named fields, built by keyword only, every field given."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def __new__(cls, **values: object) -> Record:
        if len(values) != len(cls._fields):
            missing = [f for f in cls._fields if f not in values]
            extra = [k for k in values if k not in cls._fields]
            raise TypeError(f"{cls.__name__}: missing {missing}, unknown {extra}")
        return tuple.__new__(cls, [values[f] for f in cls._fields])

    def __repr__(self) -> str:
        shown = ", ".join(f"{f}={v!r}" for f, v in zip(self._fields, self, strict=True))
        return f"{type(self).__name__}({shown})"

    def __reduce__(self) -> tuple[object, ...]:
        return _make, (type(self), tuple(self))

    def _replace(self, **changes: object) -> Record:
        return type(self)(**{**self._asdict(), **changes})

    def _asdict(self) -> dict[str, object]:
        return dict(zip(self._fields, self, strict=True))
