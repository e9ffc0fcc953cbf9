"""The rule engines the benchmark compares, behind one signature: ``doc -> matched ids``.

* aipolicy: :func:`aipolicy_matched` (the full decision, ``rules_fired``), and
  :func:`aipolicy_matcher` / :func:`aipolicy_rules_only` / :func:`aipolicy_explained`
  for timing;
* OPA, the Go engine, in process (``opa-golib-python-bindings``): :func:`load_opa`;
* regorus, the Rust interpreter (``gordon-to-regorus``): :func:`load_regorus`.

The two Rego engines evaluate ``data.policy.matched`` of the module that
``gen_pack.py`` writes next to the pack (``policy.rego``). They are benchmark-only
dependencies: ``bash benchmarks/setup-peers.sh`` installs them into the current
environment. :func:`check_agreement` checks that all three give the same ids.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bench_util import AS_OF, decide, pack, source

from aipolicy.engine.evaluate import derive, match

Matcher = Callable[[dict[str, Any]], set[str]]
QUERY = "x := data.policy.matched"
RULE = "data.policy.matched"


def _missing(dist: str) -> RuntimeError:
    return RuntimeError(f"{dist} is not installed: run benchmarks/setup-peers.sh")


def load_opa(rego: str) -> Matcher:
    """OPA (Go) in process: ``eval_query`` with the document as input."""
    try:
        from opa_bindings import OpaEngine
    except ImportError as exc:
        raise _missing("opa-golib-python-bindings") from exc
    engine = OpaEngine()
    engine.add_policy("policy.rego", rego)

    def matched(doc: dict[str, Any]) -> set[str]:
        results = engine.eval_query(QUERY, doc)
        return set(results[0]["x"]) if results else set()

    return matched


def load_regorus(rego: str) -> Matcher:
    """regorus (Rust): one ``Engine``, the document set as input, then ``eval_rule``."""
    try:
        import regorus
    except ImportError as exc:
        raise _missing("gordon-to-regorus") from exc
    engine = regorus.Engine()
    engine.add_policy("policy.rego", rego)

    def matched(doc: dict[str, Any]) -> set[str]:
        engine.set_input(doc)  # a dict: about twice as fast as set_input_json(json.dumps)
        return set(engine.eval_rule(RULE) or ())

    return matched


def aipolicy_matched(pack_dir: str | Path, doc: dict[str, Any] | str) -> set[str]:
    """The ids aipolicy reports in ``rules_fired`` for one submission (a dict, or YAML
    text), with the pack's default parameters, as of 2026-11-22."""
    decision = decide(pack(str(pack_dir)), source(doc))
    return {fired.rule for fired in decision.rules_fired}


def aipolicy_matcher(pack_dir: str | Path) -> Callable[[Any], set[str]]:
    """For timing: the full decision (``aipolicy.engine.evaluate``) of an already parsed
    :class:`~aipolicy.sources.documents.SourceDoc`, as ids."""
    compiled = pack(str(pack_dir))

    def matched(doc: Any) -> set[str]:
        return {fired.rule for fired in decide(compiled, doc).rules_fired}

    return matched


def aipolicy_rules_only(pack_dir: str | Path) -> Matcher:
    """For timing: what the Rego engines do, i.e. which rules hold and what they set:
    the form's defaults, then :func:`aipolicy.engine.evaluate.match` (the rule index, the compiled
    conditions, the facts), without the form check, explanations and controls."""
    compiled = pack(str(pack_dir))
    params = compiled.resolve_params({})
    defaults = compiled.form.apply_defaults

    def matched(doc: dict[str, Any]) -> set[str]:
        found = match(compiled, defaults(doc), params=params, as_of=AS_OF)
        return {step.rule.id for step in found.steps}

    return matched


def aipolicy_explained(pack_dir: str | Path) -> Matcher:
    """For timing: :func:`aipolicy_rules_only` plus the explanation of every rule that
    holds (:func:`aipolicy.engine.derive`: the values that made it hold)."""
    compiled = pack(str(pack_dir))
    params = compiled.resolve_params({})
    defaults = compiled.form.apply_defaults

    def matched(doc: dict[str, Any]) -> set[str]:
        found = derive(compiled, defaults(doc), params=params, as_of=AS_OF)
        return {fired.rule for fired in found.fired}

    return matched


class Disagreement(AssertionError):
    """The engines gave different rule ids for a document."""


def check_agreement(pack_dir: str | Path, docs: Iterable[dict[str, Any]]) -> None:
    """Raise :class:`Disagreement`, naming the first document on which aipolicy, OPA and
    regorus differ and the ids in dispute; the Rego is ``pack_dir/policy.rego``."""
    rego = (Path(pack_dir) / "policy.rego").read_text(encoding="utf-8")
    engines = {"opa": load_opa(rego), "regorus": load_regorus(rego)}
    for i, doc in enumerate(docs):
        want = aipolicy_matched(pack_dir, doc)
        for name, engine in engines.items():
            got = engine(doc)
            if got != want:
                uid = doc.get("use_case_id", "?") if isinstance(doc, dict) else "?"
                raise Disagreement(
                    f"document {i} ({uid}): {name} differs from aipolicy; only aipolicy: "
                    f"{sorted(want - got)}, only {name}: {sorted(got - want)}")


#: odd values put in place of answers by :func:`perturb`
WILD: list[Any] = [None, True, False, 0, 7, 2.5, "", "x", "yes", "EU", "deployer", [], {},
                   ["EU", 3, None], {"a": 1}, [{"name": "x"}], "2026-01-01"]


def perturb(doc: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A copy of ``doc`` with a few answers removed or replaced by odd values."""
    out = copy.deepcopy(doc)
    for _ in range(rng.randint(1, 6)):
        node: Any = out
        key = rng.choice(sorted(node))
        while isinstance(node[key], dict) and node[key] and rng.random() < 0.6:
            node = node[key]
            key = rng.choice(sorted(node))
        value = node[key]
        roll = rng.random()
        if roll < 0.25:
            del node[key]
        elif roll < 0.45 and isinstance(value, list) and value:
            node[key] = rng.choice(value)  # a lone value where the list belongs
        elif roll < 0.55 and isinstance(value, list) and value:
            node[key] = [*value, rng.choice(WILD)]
        else:
            node[key] = copy.deepcopy(rng.choice(WILD))
    return out
