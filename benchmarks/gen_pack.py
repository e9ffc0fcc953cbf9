"""A seeded synthetic rule pack, and the same rules in Rego, for the rule benchmarks.

    python benchmarks/gen_pack.py RULES OUTDIR [--seed 7]

writes ``OUTDIR/pack.yaml`` (a minimal header: the tier scale, one label fact, two roles,
the approval paths), ``OUTDIR/rules.yaml`` (RULES rules) and ``OUTDIR/policy.rego`` (the
same rules in Rego v1: ``data.policy.matched`` is the set of ids of the rules that apply).

The conditions test realistic fields of the intake form: enums (equals, in, not_in),
lists (contains, contains_any, contains_all, contains_none, contains_only, length),
booleans inside groups of fields, numbers with comparisons, text (matches, contains),
presence (missing, exists) and list items (any_item, all_items), nested under all, any,
none and not. Every rule raises the tier and/or adds a label; none reads a fact or a
parameter, so that the Rego translation (``rego_translate``) is exact. The output is
deterministic for a seed. Importable: :func:`generate`.
"""

from __future__ import annotations

import argparse
import copy
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from bench_util import form
from rego_translate import translate

Condition = dict[str, Any]

#: a broad first test of most rules: a stage, a jurisdiction, a kind of system...
GATES: list[Condition] = [
    {"field": "jurisdictions", "contains_any": ["EU", "EEA"]},
    {"field": "jurisdictions", "contains": "UK"},
    {"field": "jurisdictions", "contains_any": ["US_CO", "US_NYC", "US_other"]},
    {"field": "deployment_stage", "in": ["pilot", "production"]},
    {"field": "deployment_stage", "equals": "production"},
    {"field": "deployment_stage", "in": ["idea", "design", "development"]},
    {"field": "org_roles", "contains": "provider"},
    {"field": "org_roles", "contains": "deployer"},
    {"field": "is_ai_system", "equals": "yes"},
    {"field": "data_sensitivity", "in": ["personal", "special_category", "biometric",
                                         "criminal_offence", "children"]},
    {"field": "model_source", "in": ["third_party_api", "fine_tuned_third_party",
                                     "third_party_embedded_in_product"]},
    {"field": "system_types", "contains_any": ["generative_text", "generative_image",
                                               "conversational_agent"]},
    {"field": "decision_role", "not_in": ["no_decision_about_people"]},
    {"field": "external_facing", "equals": True},
]

SCALARS = ["deployment_stage", "change_type", "scope_exclusion", "is_ai_system", "model_source",
           "domain", "annex_iii_declared", "decision_role", "decision_effect", "reversibility",
           "impact_duration", "scale_persons_per_year", "data_sensitivity", "output_marking",
           "affected_person_notice", "explanation_available", "agentic_actions", "subject",
           "dpia.status", "emotion_context.setting", "art6_3_derogation.claimed",
           "gpai.is_gpai_model", "review.cadence", "operations.vendor_fallback.mode",
           "nyc_aedt.used_for", "annex_i_product.legislation"]
LISTS = ["jurisdictions", "eu_nexus", "org_roles", "deployer_type", "value_chain_changes",
         "system_types", "capabilities", "purposes", "affected_subjects", "adverse_outcomes",
         "personal_data_categories", "data_sources", "genai_risks",
         "consequential_decision_areas", "gpai.generative_modalities",
         "biometric_context.sensitive_traits_inferred"]
BOOLEANS = ["trains_on_customer_or_user_data", "interacts_directly_with_people",
            "ai_interaction_obvious", "deepfake_output", "appeal_or_human_review",
            "external_facing", "contingency_plan", "workers_informed",
            "human_oversight.can_override", "human_oversight.stop_mechanism",
            "human_oversight.overseers_trained", "human_oversight.two_person_verification",
            "open_source_release.released", "safety_component.is_safety_component",
            "biometric_context.real_time", "biometric_context.publicly_accessible_space",
            "emotion_context.inferred_from_biometrics", "art6_3_derogation.performs_profiling",
            "operations.quality_monitoring.regression_alerts", "operations.cost.alerts",
            "transparency_context.assistive_editing_only", "nyc_aedt.nyc_candidates"]
NUMBERS: dict[str, list[int | float]] = {
    "log_retention_months": [3, 6, 12, 24, 36],
    "operations.rollback.restore_minutes": [5, 10, 15, 30],
    "operations.cost.daily_ceiling": [100, 250, 500, 1000],
    "gpai.training_compute_flop": [1e23, 1e24, 1e25],
}
OPTIONAL = ["technical_owner", "planned_go_live", "dpia", "vendors", "notes", "outcome.metrics",
            "registrations.eu_database_id", "operations.on_call.team", "review.next_review_due",
            "art6_3_derogation.justification", "human_oversight", "change_type"]
TEXTS: list[Condition] = [
    {"field": "owner.email", "matches": r"^(ai|team|info|admin|support)[-.@]"},
    {"field": "owner.email", "matches": r"@example\.(com|org)$"},
    {"field": "technical_owner.email", "matches": r"^[a-z]+\.[a-z]+@"},
    {"field": "title", "contains": "assistant"},
    {"field": "title", "contains": "scoring"},
    {"field": "business_unit", "contains": "Retail"},
    {"field": "intended_purpose", "length": {"at_least": 300}},
    {"field": "intended_purpose", "length": {"less_than": 200}},
    {"field": "business_unit", "matches": r"(?i)^(hr|human resources|people)"},
]
ITEMS: list[Condition] = [
    {"field": "vendors", "any_item": {"not": {"field": "dpa_signed", "equals": True}}},
    {"field": "vendors", "any_item": {"field": "model_version", "exists": True}},
    {"field": "vendors", "all_items": {"field": "dpa_signed", "equals": True}},
    {"field": "controls", "any_item": {"all": [{"field": "id", "equals": "CTRL-DPIA"},
                                               {"field": "status", "in": ["done"]}]}},
    {"field": "controls", "any_item": {"field": "status", "in": ["not_started", "waived"]}},
    {"field": "controls", "all_items": {"any": [{"field": "status", "equals": "done"},
                                                {"field": "evidence", "exists": True}]}},
    {"field": "approvals", "any_item": {"field": "decision", "in": ["rejected", "deferred"]}},
    {"field": "outcome.metrics", "any_item": {"field": "owner", "missing": True}},
]
LABELS = ["needs_dpo", "needs_legal", "vendor_risk", "children", "biometrics", "genai",
          "automated_decision", "public_sector", "employment", "credit", "health",
          "cross_border", "ops_gap", "transparency", "safety", "high_volume",
          "sensitive_data", "agentic", "research", "legacy"]
SUBJECTS = ["Data protection", "Vendor risk", "Model risk", "Operational resilience",
            "Transparency", "Human oversight", "Fairness", "Security", "Records", "Legal"]


class _Conditions:
    """Draws tests and nested conditions from the form's fields and values."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.form = form()

    def _enum(self, path: str, item: bool = False) -> list[Any]:
        info = self.form.field(tuple(path.split(".")))
        assert info is not None, path
        values = (info.item.enum if item and info.item else info.enum) or ()
        return [v for v in values if v is not None]

    def _some(self, values: list[Any], low: int, high: int) -> list[Any]:
        return self.rng.sample(values, min(len(values), self.rng.randint(low, high)))

    def scalar(self) -> Condition:
        path = self.rng.choice(SCALARS)
        values = self._enum(path)
        op = self.rng.choices(["equals", "in", "not_equals", "not_in"], [4, 4, 1, 1])[0]
        if op in ("equals", "not_equals"):
            return {"field": path, op: self.rng.choice(values)}
        return {"field": path, op: self._some(values, 2, 4)}

    def listed(self) -> Condition:
        path = self.rng.choice(LISTS)
        values = self._enum(path, item=True)
        op = self.rng.choices(["contains", "contains_any", "contains_all", "contains_none",
                               "contains_only", "length"], [4, 5, 1, 1, 1, 1])[0]
        if op == "contains":
            return {"field": path, op: self.rng.choice(values)}
        if op == "length":
            return {"field": path, "length": self.rng.choice(
                [{"at_least": 2}, {"equals": 0}, {"greater_than": 3}, {"at_most": 1}])}
        sizes = {"contains_any": (2, 6), "contains_all": (2, 2), "contains_none": (2, 5),
                 "contains_only": (len(values) // 2, len(values) - 1)}[op]
        return {"field": path, op: self._some(values, *sizes)}

    def boolean(self) -> Condition:
        return {"field": self.rng.choice(BOOLEANS), "equals": self.rng.random() < 0.7}

    def number(self) -> Condition:
        path = self.rng.choice(sorted(NUMBERS))
        op = self.rng.choice(["greater_than", "at_least", "less_than", "at_most"])
        return {"field": path, op: self.rng.choice(NUMBERS[path])}

    def presence(self) -> Condition:
        return {"field": self.rng.choice(OPTIONAL), self.rng.choice(["missing", "exists"]): True}

    def text(self) -> Condition:
        return copy.deepcopy(self.rng.choice(TEXTS))

    def items(self) -> Condition:
        return copy.deepcopy(self.rng.choice(ITEMS))

    def test(self) -> Condition:
        kinds: list[Callable[[], Condition]] = [self.scalar, self.listed, self.boolean,
                                                self.number, self.presence, self.text,
                                                self.items]
        return self.rng.choices(kinds, [6, 7, 5, 2, 2, 1, 1])[0]()

    def part(self, depth: int = 0) -> Condition:
        """A test, or (less often, and less the deeper) a nested any / not / none / all."""
        roll = self.rng.random() * (1 + depth)
        if roll < 0.14:
            return {"any": [self.part(depth + 1) for _ in range(self.rng.randint(2, 3))]}
        if roll < 0.24:
            return {"not": self.part(depth + 1)}
        if roll < 0.27:
            return {"none": [self.test() for _ in range(2)]}
        if roll < 0.30:
            return {"all": [self.test(), self.part(depth + 1)]}
        return self.test()

    def when(self) -> Condition:
        if self.rng.random() < 0.08:  # two alternative groups
            return {"any": [{"all": [copy.deepcopy(self.rng.choice(GATES)), self.part(1)]}
                            for _ in range(2)]}
        parts = [copy.deepcopy(self.rng.choice(GATES))]
        parts += [self.part() for _ in range(self.rng.choices([1, 2, 3], [5, 4, 1])[0])]
        return {"all": parts}


def _rule(i: int, draw: _Conditions) -> dict[str, Any]:
    rng = draw.rng
    subject = rng.choice(SUBJECTS)
    rule: dict[str, Any] = {
        "id": f"SYN-{i:04d}",
        "title": f"{subject} check {i}",
        "description": f"Synthetic {subject.lower()} rule {i} of the benchmark pack.",
        "severity": rng.choice(["info", "low", "medium", "high"]),
        "enforcement": "advisory",
        "citations": [{"framework": "Synthetic benchmark", "clause": f"rule {i}"}],
        "when": draw.when(),
    }
    roll = rng.random()
    if roll < 0.7:
        rule["raise"] = {"tier": rng.choices(["elevated", "high"], [3, 1])[0]}
    if roll > 0.4:
        rule["add"] = {"flags": sorted(rng.sample(LABELS, rng.randint(1, 2)))}
    return rule


def header(rules: int) -> dict[str, Any]:
    """The pack header: modelled on ``policies/pack.yaml``, minimal."""
    return {
        "pack": f"synthetic-{rules}",
        "version": "0.1.0",
        "description": f"{rules} synthetic rules over the intake form, for the rule benchmarks.",
        "form": {"id": form().id},
        "scales": {"tier": ["low", "elevated", "high", "prohibited"]},
        "facts": {
            "tier": {"description": "The internal risk tier.", "scale": "tier",
                     "default": "low"},
            "flags": {"description": "Review topics the rules raise.", "labels": LABELS},
        },
        "roles": [{"id": "owner", "title": "Use-case owner"},
                  {"id": "risk_reviewer", "title": "Risk reviewer"}],
        "approval_paths": {"low": ["owner"], "elevated": ["owner", "risk_reviewer"],
                           "high": ["owner", "risk_reviewer"], "prohibited": "blocked"},
    }


def generate(rules: int, seed: int = 7) -> tuple[dict[str, Any], dict[str, Any], str]:
    """(pack header, rules document, Rego module) for ``rules`` synthetic rules."""
    draw = _Conditions(random.Random(seed))
    doc = {"rules": [_rule(i, draw) for i in range(1, rules + 1)]}
    return header(rules), doc, translate(form(), doc["rules"])


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, width=100, default_flow_style=None,
                          allow_unicode=True)


def write(rules: int, outdir: Path, seed: int = 7) -> None:
    head, doc, rego = generate(rules, seed)
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / "pack.yaml").write_text("# Generated by benchmarks/gen_pack.py\n" + _dump(head))
    (outdir / "rules.yaml").write_text(f"# Generated by benchmarks/gen_pack.py (seed {seed})\n"
                                       + _dump(doc))
    (outdir / "policy.rego").write_text(rego)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rules", type=int, help="how many rules")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write(args.rules, args.outdir, args.seed)
    print(f"wrote {args.rules} rules to {args.outdir}/ (pack.yaml, rules.yaml, policy.rego)")


if __name__ == "__main__":
    main()
