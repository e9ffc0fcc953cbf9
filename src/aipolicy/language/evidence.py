"""Firing evidence: the values that made a rule's condition come out as it did."""

from __future__ import annotations

from typing import Any

from aipolicy.language.closures import MISSING, Context, Getter
from aipolicy.language.nodes import AnyOf, Node, Test


def shown(value: Any) -> Any:
    """A tested value as evidence shows it: nothing for an absent field, a set sorted."""
    if value is MISSING:
        return None
    return sorted(value) if isinstance(value, (set, frozenset)) else value


def evidence(node: Node, ctx: Context, out: dict[str, Any]) -> None:
    """Record the values that made ``node`` come out as it did: those of every test, but
    under an ``any`` only those of the branches that held."""
    if isinstance(node, Test):
        out[node.key] = shown(node.getter(ctx))
        return
    if isinstance(node, AnyOf):
        for child in node.children:
            if child.fn(ctx):
                evidence(child, ctx, out)
        return
    for child in node.children:
        evidence(child, ctx, out)


def evidence_tests(node: Node) -> tuple[tuple[str, Getter], ...] | None:
    """The (key, getter) pairs :func:`evidence` reads for ``node``, sorted by key, so that
    a rule's evidence can be read without walking its condition; None if ``node`` has an
    ``any``, whose evidence depends on which branch held."""
    found: dict[str, Getter] = {}

    def walk(n: Node) -> bool:
        if isinstance(n, Test):
            found[n.key] = n.getter
            return True
        if isinstance(n, AnyOf):
            return False
        return all(walk(child) for child in n.children)

    return tuple(sorted(found.items())) if walk(node) else None
