"""A compiled pack: the rules in evaluation order, ready to evaluate submissions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from aipolicy.decision import Review, ReviewQuestion
from aipolicy.errors import ConfigError, Location
from aipolicy.form.schema import Form, did_you_mean, is_date
from aipolicy.language.nodes import Node, Place

from .provenance import RuleBasis, rule_basis
from .spec import Enforcement, Json, PackSpec, ParameterSpec, Params, Severity, ViolationSpec


@dataclass(frozen=True)
class CompiledRule:
    id: str
    title: str
    severity: Severity
    enforcement: Enforcement
    when: Node
    effective: Callable[[Params, dt.date], bool]
    raises: tuple[tuple[str, str, int], ...]  # fact, value, position on its scale
    adds: tuple[tuple[str, tuple[str, ...]], ...]
    controls: tuple[str, ...]
    approvers: tuple[str, ...]
    violation: ViolationSpec | None
    #: where the pack defines the rule; its line is looked up only when asked for, so a
    #: pack rebuilt from the cache does not parse its YAML again just to know it
    place: Place
    reads: frozenset[str]
    writes: frozenset[str]

    @property
    def location(self) -> Location:
        """``file:line:column`` of the rule in its pack file."""
        return self.place.location


@dataclass(frozen=True)
class CompiledPack:
    """A pack ready to evaluate submissions: immutable, built once per process."""

    model: PackSpec
    form: Form
    path: str
    digest: str
    rules: tuple[CompiledRule, ...]  # in evaluation order
    scales: dict[str, tuple[str, ...]]
    fact_kinds: dict[str, tuple[str, tuple[str, ...], str | None]]  # kind, values, default

    @property
    def stage_field(self) -> str:
        """The form's field whose value (the deployment stage) gates controls."""
        return str(self.model.stage_field or self.form.stage_field)

    @cached_property
    def fact_defaults(self) -> dict[str, str | set[str] | None]:
        """Each fact's value before any rule fires (label facts, each a new empty set:
        see ``label_facts``)."""
        return {name: default for name, (_kind, _values, default) in self.fact_kinds.items()}

    @cached_property
    def label_facts(self) -> tuple[str, ...]:
        """The label facts: each starts as a new empty set."""
        return tuple(name for name, (kind, _v, _d) in self.fact_kinds.items() if kind == "labels")

    @cached_property
    def rule_bases(self) -> dict[str, RuleBasis]:
        """By rule id, what a rule rests on when that is guidance or a contested reading
        (its finding says so); a rule on binding text, a standard or practice is left out."""
        found = ((r.id, rule_basis(r, self.model.sources)) for r in self.model.rules)
        return {rid: basis for rid, basis in found if basis is not None}

    @cached_property
    def rank(self) -> dict[str, dict[str, int]]:
        """For each scale fact, the position of each value on its scale."""
        return {name: {v: i for i, v in enumerate(values)}
                for name, (kind, values, _d) in self.fact_kinds.items() if kind == "scale"}

    @cached_property
    def role_members(self) -> dict[str, frozenset[str]]:
        """Who holds each role, by role id: the e-mail addresses (lower case) of its
        ``members`` and of ``people``; a role nobody is named for is left out, and an
        empty result means the pack names no holders at all."""
        found: dict[str, set[str]] = {}
        named = [(r.id, r.members) for r in self.model.roles] + list(self.model.people.items())
        for role, emails in named:
            for email in emails:
                found.setdefault(role, set()).add(email.strip().lower())
        return {role: frozenset(emails) for role, emails in found.items()}

    def roles_of(self, email: str) -> frozenset[str]:
        """The roles the pack names ``email`` (any case, spaces around) as holding."""
        wanted = email.strip().lower()
        return frozenset(r for r, emails in self.role_members.items() if wanted in emails)

    @cached_property
    def review_questions(self) -> dict[str, ReviewQuestion]:
        """Each question of the pack's review gate, by id, with the form's title of the
        field it turns on (the question's own title first)."""
        review = self.model.review
        out: dict[str, ReviewQuestion] = {}
        for qid, q in (review.questions.items() if review is not None else ()):
            found = None if q.field is None else self.form.field(tuple(q.field.split(".")))
            title = q.title or (found.title if found is not None else None) or q.field or qid
            out[qid] = ReviewQuestion(id=qid, field=q.field, title=title, why=q.why,
                                      article=q.article)
        return out

    def review_of(self, facts: dict[str, object]) -> Review | None:
        """The review gate for the facts of one evaluation: ``needs_review`` with the open
        questions (the labels of the gate's fact, in the order the pack declares them),
        else ``determined``; None when the pack has no review gate."""
        review = self.model.review
        if review is None:
            return None
        labels = facts.get(review.fact)
        open_ = labels if isinstance(labels, set | frozenset | list | tuple) else ()
        questions = tuple(q for qid, q in self.review_questions.items() if qid in open_)
        return Review(state="needs_review" if questions else "determined",
                      questions=questions)

    @property
    def name(self) -> str:
        return self.model.pack

    @property
    def version(self) -> str:
        return self.model.version

    def resolve_params(self, overrides: dict[str, str]) -> dict[str, Json]:
        """Parameter values: the defaults, overridden by ``--param name=value`` text."""
        declared = self.model.parameters
        values: dict[str, Json] = {name: p.default for name, p in declared.items()}
        for name, text in overrides.items():
            if name not in declared:
                hint = did_you_mean(name, declared)
                known = ", ".join(declared) or "none"
                raise ConfigError(f"unknown parameter '{name}'{hint}; this pack has: {known}")
            values[name] = _coerce(name, text, declared[name])
        return values


def _coerce(name: str, text: str, decl: ParameterSpec) -> Json:
    kind = decl.type
    value: Json = text
    try:
        if kind == "integer":
            value = int(text)
        elif kind == "number":
            value = float(text)
        elif kind == "boolean":
            if text.lower() not in ("true", "false"):
                raise ValueError
            value = text.lower() == "true"
        elif kind == "date" and not is_date(text):
            raise ValueError
    except ValueError:
        raise ConfigError(f"parameter '{name}' takes a {kind}; '{text}' is not one") from None
    if decl.values is not None and value not in decl.values:
        allowed = ", ".join(map(str, decl.values))
        raise ConfigError(
            f"parameter '{name}' must be one of: {allowed}; not '{text}'"
            + did_you_mean(text, map(str, decl.values))
        )
    return value

