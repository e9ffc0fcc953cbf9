"""Checking a submission against the form: a finding for every way it fails.

Two validators of the form's schema, each built when first needed and kept for the form:
jsonschema-rs decides quickly that a complete submission is complete; the ``jsonschema``
package, the reference, explains any other (and has the last word). Both are given
aipolicy's own checks (:mod:`aipolicy.form.checks`), so they agree on what is valid and
neither can be made to run long. ``jsonschema`` is imported only when a submission is
explained. The words of each finding are :mod:`aipolicy.form.messages`'.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable, Iterable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from aipolicy.decision import Finding
from aipolicy.sources.documents import SourceDoc

from .checks import all_unique, form_formats, out_of_range, pattern_matcher
from .messages import explain, number_finding, too_many_finding
from .schema import Form

if TYPE_CHECKING:
    import jsonschema_rs
    from jsonschema.protocols import Validator

#: the most findings one submission's validation explains; past it, one finding says so
MAX_FINDINGS = 100

#: a set of top-level fields and conditions, ``("properties", name)``, ``("allOf", i)``
Parts = frozenset[tuple[str, str | int]]


def check_submission(form: Form, doc: SourceDoc,
                     validators: Validators | None = None) -> list[Finding]:
    """Findings for every way ``doc`` fails the form (empty when it is complete), with the
    form's own validators unless others are given."""
    return (validators or validators_of(form)).findings(form, doc)


_BY_FORM: weakref.WeakKeyDictionary[Form, Validators] = weakref.WeakKeyDictionary()


def validators_of(form: Form) -> Validators:
    """The validators of ``form``, built once for it (they hold its schema, not it)."""
    found = _BY_FORM.get(form)
    if found is None:
        found = _BY_FORM[form] = Validators(form.schema)
    return found


class Validators:
    """The two validators of one form's schema.

    ``fast=False``: the ``jsonschema`` package alone, as on a platform without the
    jsonschema-rs wheel.
    """

    def __init__(self, schema: dict[str, Any], *, fast: bool = True) -> None:
        self.schema = schema
        self._reference: Validator | None = None
        #: None until first asked for; False where it cannot be had
        self._fast: jsonschema_rs.Validator | Literal[False] | None = None if fast else False
        self._reduced: dict[Parts, Validator] = {}

    def findings(self, form: Form, doc: SourceDoc) -> list[Finding]:
        """Findings for every way ``doc`` fails ``form`` (whose schema this validates)."""
        found: dict[tuple[str, str], Finding] = {}

        def add(more: Iterable[Finding]) -> None:
            for finding in more:
                found.setdefault((finding.path or "", finding.message), finding)

        numbers = list(itertools.islice(out_of_range(doc.data), MAX_FINDINGS))
        add(number_finding(form, doc, path, value, why) for path, value, why in numbers)
        unusable = {tuple(path) for path, _, _ in numbers}
        fast = self.fast
        validator: Validator | None = None  # the jsonschema package: imported only if needed
        if fast is not None:
            try:
                if fast.is_valid(doc.data):
                    return sorted(found.values(), key=Finding.sort_key)
                failing = self._failing_parts(fast.iter_errors(doc.data))
            except Exception:  # e.g. an integer too large for it: ask the reference
                pass
            else:
                if failing is not None:
                    validator = self.reduced(failing)
        for err in (validator or self.reference).iter_errors(doc.data):
            if len(found) >= MAX_FINDINGS:  # a bound on the work of explaining
                add([too_many_finding(form, doc, len(found))])
                break
            if tuple(err.absolute_path) not in unusable:  # said better above
                add(explain(form, err, doc))
        return sorted(found.values(), key=Finding.sort_key)

    @property
    def reference(self) -> Validator:
        """The ``jsonschema`` package's validator of the whole form."""
        if self._reference is None:
            import jsonschema
            import referencing

            base = jsonschema.validators.validator_for(self.schema,
                                                       jsonschema.Draft202012Validator)
            cls = reference_class(base, self.schema)
            registry: Any = referencing.Registry(
                retrieve=_no_retrieval)  # type: ignore[call-arg]
            self._reference = cls(self.schema, format_checker=cls.FORMAT_CHECKER,
                                  registry=registry)
        return self._reference

    @property
    def fast(self) -> jsonschema_rs.Validator | None:
        """A jsonschema-rs validator of the same form, or None where it cannot be had."""
        if self._fast is None:
            try:
                import jsonschema_rs

                self._fast = jsonschema_rs.validator_for(
                    self.schema, validate_formats=True, retriever=_no_retrieval,
                    formats=form_formats(self.schema),
                    keywords={"pattern": FastPattern})
            except Exception:  # not installed, or a schema it does not support
                self._fast = False
        return self._fast or None

    def _failing_parts(self, errors: Iterable[jsonschema_rs.ValidationError]) -> Parts | None:
        """The top-level fields and conditions where jsonschema-rs found errors; None when
        it cannot tell."""
        parts: set[tuple[str, str | int]] = set()
        for err in errors:
            path, where = tuple(err.schema_path), tuple(err.instance_path)
            if len(path) >= 2 and path[0] in ("properties", "allOf"):
                parts.add((str(path[0]), path[1]))
            elif path[:1] == ("$defs",) and where:
                # it reports a $ref'd definition by its own path: keep the field it is
                # under, and every condition that refers to a definition
                parts.add(("properties", where[0]))
                parts.update(self._referring_conditions)
            elif len(path) != 1:
                return None
        return frozenset(parts)

    @cached_property
    def _referring_conditions(self) -> Parts:
        """The form's conditions (``allOf`` entries) that use a ``$ref``'d definition."""
        conditions = self.schema.get("allOf")
        return frozenset(("allOf", i) for i, c in enumerate(conditions)
                         if _has_ref(c)) if isinstance(conditions, list) else frozenset()

    def reduced(self, failing: Parts) -> Validator:
        """The reference validator, on a copy of the form in which the top-level fields
        and conditions that jsonschema-rs found no fault in are ``true``.

        They cannot add an error, and skipping them makes explaining a submission's faults
        some twenty times cheaper; what is kept is the form, at the same paths, so the
        errors (and their messages) are those of the whole form.
        """
        found = self._reduced.get(failing)
        if found is None:
            props = self.schema.get("properties")
            conditions = self.schema.get("allOf")
            reduced = dict(self.schema)
            if isinstance(props, dict):
                reduced["properties"] = {k: v if ("properties", k) in failing else True
                                         for k, v in props.items()}
            if isinstance(conditions, list):
                reduced["allOf"] = [c if ("allOf", i) in failing else True
                                    for i, c in enumerate(conditions)]
            whole: Any = self.reference
            # not evolve(): it would pick the validator class anew from "$schema", without
            # aipolicy's pattern, uniqueItems and format checks
            found = type(whole)(reduced, format_checker=whole.format_checker,
                                registry=whole._registry)
            if len(self._reduced) >= 256:
                self._reduced.clear()
            self._reduced[failing] = found
        return found


def _has_ref(node: Any) -> bool:
    if isinstance(node, dict):
        return "$ref" in node or any(_has_ref(v) for v in node.values())
    return isinstance(node, list) and any(_has_ref(v) for v in node)


def _no_retrieval(uri: str) -> Any:
    """A registry that never fetches anything (files, the network)."""
    raise LookupError(f"aipolicy does not fetch {uri}")


# ---------------------------------------------------------------- the validators' keywords

def reference_class(cls: Any, schema: Any) -> Any:
    """The reference validator class ``cls`` with aipolicy's pattern, uniqueItems and
    format checks."""
    import jsonschema

    def pattern(validator: Any, patrn: Any, instance: Any, _schema: Any) -> Iterator[Any]:
        if validator.is_type(instance, "string") and not pattern_matcher(patrn)(instance):
            yield jsonschema.ValidationError(f"does not match {patrn!r}")

    def unique_items(validator: Any, wanted: Any, instance: Any, _schema: Any
                     ) -> Iterator[Any]:
        if wanted and validator.is_type(instance, "array") and not all_unique(instance):
            yield jsonschema.ValidationError("has non-unique elements")

    checker = jsonschema.FormatChecker(formats=())
    for name, check in form_formats(schema).items():
        checker.checks(name)(_strings_only(check))
    extend: Any = jsonschema.validators.extend
    return extend(cls, {"pattern": pattern, "uniqueItems": unique_items},
                  format_checker=checker)


def _strings_only(check: Callable[[str], bool]) -> Callable[[Any], bool]:
    def conforms(value: Any) -> bool:
        return not isinstance(value, str) or check(value)

    return conforms


class FastPattern:
    """``pattern`` for jsonschema-rs: the same matcher as the reference's."""

    def __init__(self, _parent: Any, value: Any, _path: Any) -> None:
        self.pattern = value
        self.matches = pattern_matcher(value)

    def validate(self, instance: Any) -> None:
        if isinstance(instance, str) and not self.matches(instance):
            raise ValueError(f"does not match {self.pattern!r}")
