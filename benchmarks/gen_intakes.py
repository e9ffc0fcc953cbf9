"""Seeded generator of realistic, varied intake files for the benchmarks.

    python benchmarks/gen_intakes.py N OUTDIR [--seed 7]

writes ``OUTDIR/uc-00001.yaml`` ... : about 70% valid (complete for their stage), 15%
incomplete (a required answer missing, or a value of the wrong kind or not allowed) and
15% failing a rule (a prohibited practice, logs of a high-risk system kept under six
months, the Art. 6(3) derogation claimed while profiling, production without an
operations item, ...), over every tier and stage. Each file is built from a use-case
template (``intake_scenarios``), given the control evidence the starter pack asks for at
its stage, then broken as its share requires; every file is checked with the starter pack
(as of 2026-11-22) and drawn again in the rare case that it does not come out as meant.
Deterministic for a seed. Importable: :func:`generate`.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import random
import unicodedata
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import intake_scenarios as sc
from bench_util import AS_OF, decide, form, pack, source
from yaml_text import dump

STAGES = {"idea": 8, "design": 10, "development": 14, "pilot": 20, "production": 40,
          "retired": 8}
SHARES = {"pass": 0.70, "incomplete": 0.15, "fail": 0.15}
FAILURES = {"prohibited": 35, "log_retention": 15, "derogation_profiling": 12,
            "operations_gap": 20, "automated_no_review": 6, "control_not_done": 8,
            "unregistered_public": 4}
INCOMPLETE = {"drop_required": 30, "drop_stage_answer": 25, "bad_enum": 20, "bad_type": 15,
              "bad_id": 5, "missing_context": 5}

FIRST = ["Anna", "Ben", "Chloé", "David", "Elena", "Farid", "Greta", "Hiroshi", "Ines", "Jonas",
         "Katarzyna", "Liam", "Mei", "Nikolai", "Olga", "Pedro", "Priya", "Rafael", "Sofia",
         "Tomás", "Ulla", "Viktor", "Wen", "Yusuf", "Zoë", "Amara", "Björn", "Carmen", "Dmitri",
         "Eva", "Fatima", "Giorgio", "Hannah", "Ivan", "Julia", "Kwame", "Lena", "Marco"]
LAST = ["Andersen", "Bauer", "Costa", "Dubois", "Eriksson", "Fischer", "García", "Horvat",
        "Ivanova", "Jansen", "Kowalski", "Lindqvist", "Moreau", "Novak", "O'Brien", "Petrov",
        "Quinn", "Rahman", "Schmidt", "Tanaka", "Urban", "Vogel", "Weber", "Xu", "Yilmaz",
        "Zimmermann", "Natarajan", "Okafor", "Rossi", "Virtanen"]
VENDORS = [("Acme AI", "Acme Assist", "acme-large"), ("Northwind Analytics", "NW Insight", None),
           ("Cobalt Labs", "Cobalt Platform", "cobalt-3"), ("Meridian Data", "Meridian Score",
                                                           "msc-7"),
           ("Helios Cloud", "Helios AI Services", "helios-2"),
           ("Quantis", "Quantis Vision", "qv-det-2"), ("Lumen Systems", "Lumen Studio", None)]
CONTEXT = ["The first release covers {n} users in {where}.",
           "It runs in our own cloud tenant in {where}; no data leaves the region.",
           "Roll-out starts in {where} and follows in the other markets a quarter later.",
           "Teams in {where} asked for it after the {year} process review.",
           "Volumes are about {n} cases a month, with seasonal peaks in December."]
PLACES = ["Germany", "the Nordics", "France and Belgium", "Spain", "the Netherlands", "Ireland",
          "Poland", "Italy", "Austria and Switzerland", "the United Kingdom"]
NOTES = ["Legal review of the vendor terms is booked for next month.",
         "Works council informed; their questions are tracked in the project log.",
         "Replaces a rules-based process that is retired once the pilot ends.",
         "Budget approved by the steering committee; see the investment memo.",
         "A second vendor was evaluated and rejected on data-residency grounds."]
REQUIRED = ["title", "intended_purpose", "business_unit", "owner", "jurisdictions", "org_roles",
            "deployer_type", "is_ai_system", "system_types", "model_source", "capabilities",
            "domain", "purposes", "affected_subjects", "decision_role", "decision_effect",
            "data_sensitivity", "deployment_stage"]
BAD_ENUMS = {"decision_role": "human_decides", "data_sensitivity": "sensitive",
             "deployment_stage": "live", "domain": "hr", "model_source": "openai",
             "decision_effect": "significant", "is_ai_system": "maybe"}
CONTEXT_BLOCKS = ("biometric_context", "emotion_context", "manipulation_context",
                  "social_scoring_context", "crime_risk_context", "safety_component")


def _day(offset: int) -> str:
    return (AS_OF + dt.timedelta(days=offset)).isoformat()


def _draw(rng: random.Random, value: Any) -> Any:
    if isinstance(value, sc.Pick):
        return _draw(rng, rng.choice(value.options))
    return copy.deepcopy(value)


def _choose(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _person(rng: random.Random) -> dict[str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    ascii_ = unicodedata.normalize("NFKD", f"{first}.{last}").encode("ascii", "ignore")
    local = ascii_.decode().lower().replace("'", "")
    return {"name": f"{first} {last}", "email": f"{local}@example.com"}


class _Builder:
    """Builds one complete intake from a scenario; its answers depend on the stage."""

    def __init__(self, rng: random.Random, scenario: sc.Scenario, stage: str, number: int):
        self.rng, self.sc, self.stage = rng, scenario, stage
        self.f = {k: _draw(rng, v) for k, v in scenario.fields.items()}
        unit, prefix = rng.choice(scenario.units)
        self.unit, self.uid = unit, f"{prefix}-{number:04d}"
        self.live = stage in ("pilot", "production")

    def build(self) -> dict[str, Any]:
        rng, f = self.rng, self.f
        doc: dict[str, Any] = {"schema_version": "0.1.0", "use_case_id": self.uid,
                               "title": rng.choice(self.sc.titles)}
        context = rng.choice(CONTEXT).format(n=rng.choice([40, 250, 1200, 8000]),
                                             where=rng.choice(PLACES), year=rng.randint(2023,
                                                                                        2026))
        doc["intended_purpose"] = f"{rng.choice(self.sc.purposes)} {context}"
        doc["business_unit"] = self.unit
        doc["owner"] = _person(rng)
        if self.live or rng.random() < 0.5:
            doc["technical_owner"] = _person(rng)
        doc["deployment_stage"] = self.stage
        doc["change_type"] = ("retirement" if self.stage == "retired" else
                              _choose(rng, {"new": 6, "minor_change": 3,
                                            "substantial_modification": 1}))
        go_live = {"production": -rng.randint(20, 700), "pilot": rng.randint(30, 200),
                   "retired": -rng.randint(400, 1500)}.get(self.stage)
        if go_live is None and rng.random() < 0.5:
            go_live = rng.randint(90, 500)
        if go_live is not None:
            doc["planned_go_live"] = _day(go_live)
        doc.update(self._scope())
        doc.update(f)  # the scenario's own answers
        doc.update(self._defaults(doc))
        doc.update(self._governance(doc))
        order = list(form().schema["properties"])
        return {k: doc[k] for k in sorted(doc, key=order.index)}

    def _scope(self) -> dict[str, Any]:
        rng, f, tags = self.rng, self.f, self.sc.tags
        eu_only = bool(tags & {"eu", "high_risk", "annex_iii", "prohibited"})
        jurisdictions = f.pop("jurisdictions", None) or _draw(
            rng, sc._EU if eu_only else sc._ANY)
        if "eu_nexus" in f:
            nexus = f.pop("eu_nexus")
        elif set(jurisdictions) & {"EU", "EEA"}:
            nexus = rng.choice([["deployer_in_eu"], ["put_into_service_in_eu", "deployer_in_eu"],
                                ["placed_on_eu_market", "deployer_in_eu"]])
        else:
            nexus = rng.choice([["none"], ["output_used_in_eu"]]) if rng.random() < 0.3 else [
                "none"]
        vendor = f.get("model_source", "in_house_trained") != "in_house_trained"
        out: dict[str, Any] = {"jurisdictions": jurisdictions, "eu_nexus": nexus,
                               "scope_exclusion": "none", "subject": f.pop("subject",
                                                                           "ai_system"),
                               "value_chain_changes": ["none"], "is_ai_system": "yes"}
        if vendor:
            out["vendors"] = [self._vendor() for _ in range(rng.choice([1, 1, 1, 2]))]
        return out

    def _vendor(self) -> dict[str, Any]:
        rng = self.rng
        name, product, model = rng.choice(VENDORS)
        vendor: dict[str, Any] = {"name": name, "product": product}
        if model:
            vendor["model_name"] = model
            vendor["model_version"] = f"{rng.randint(1, 9)}.{rng.randint(0, 9)}"
        vendor["contract_ref"] = f"MSA-{rng.randint(2023, 2026)}-{rng.randint(1, 999):04d}"
        vendor["dpa_signed"] = rng.random() < 0.9
        return vendor

    def _defaults(self, doc: dict[str, Any]) -> dict[str, Any]:
        """The answers a scenario does not set, consistent with those it does."""
        rng = self.rng
        personal = doc["data_sensitivity"] not in ("public", "internal", "confidential")
        effect = doc["decision_effect"]
        people = doc["decision_role"] != "no_decision_about_people"
        high = "high_risk" in self.sc.tags
        out: dict[str, Any] = {
            "annex_iii_declared": "none",
            "adverse_outcomes": ["financial_loss"] if effect != "none" else [],
            "reversibility": {"none": "easily_reversible", "minor": "easily_reversible"}.get(
                effect, "reversible_with_effort"),
            "impact_duration": "brief" if effect != "legal_or_similarly_significant" else
            "short_term",
            "trains_on_customer_or_user_data": False,
            "log_retention_months": rng.choice([6, 12, 24, 36, 60] if high else
                                               [3, 6, 12, 24]),
            "interacts_directly_with_people": False,
            "affected_person_notice": "before_decision" if people else "none",
            "explanation_available": "on_request" if people else "none",
            "appeal_or_human_review": people,
            "human_oversight": {"can_override": True, "stop_mechanism": True,
                                "overseers_trained": self.live or rng.random() < 0.5},
            "external_facing": False,
            "agentic_actions": "none" if people else rng.choice(["none", "read_only"]),
            "contingency_plan": self.live or rng.random() < 0.5,
        }
        if personal:
            out["dpia"] = self._dpia()
        out = {k: v for k, v in out.items() if k not in doc}
        if "human_oversight" in doc:  # a scenario's oversight block keeps its own answers
            out.pop("human_oversight", None)
        return out

    def _dpia(self) -> dict[str, Any]:
        if self.live or self.stage == "retired" or self.rng.random() < 0.3:
            return {"status": "done", "date": _day(-self.rng.randint(30, 300)),
                    "evidence": f"https://wiki.example/dpia/{self.uid}",
                    "approver": "dpo@example.com"}
        return {"status": self.rng.choice(["not_started", "in_progress"]),
                "approver": "dpo@example.com"}

    def _governance(self, doc: dict[str, Any]) -> dict[str, Any]:
        """Outcome, operations, review and notes: required from pilot, often given before."""
        rng = self.rng
        out: dict[str, Any] = {}
        if self.live or rng.random() < 0.5:
            metrics = []
            for name, baseline, target, owner in self.sc.metrics:
                metric: dict[str, Any] = {"name": name}
                if baseline is not None:
                    metric["baseline"] = baseline
                metric.update(target=target, owner=owner)
                metrics.append(metric)
            out["outcome"] = {"statement": self.sc.statement, "metrics": metrics}
        if self.stage == "production" or (self.stage == "pilot" and rng.random() < 0.4):
            out["operations"] = self._operations(doc)
        if self.live or rng.random() < 0.4:
            cadence = rng.choice(["monthly", "quarterly", "semiannual", "annual"])
            months = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}[cadence]
            last = -rng.randint(5, 25 * months)
            out["review"] = {"cadence": cadence, "last_reviewed": _day(last),
                             "next_review_due": _day(last + 30 * months + 5)}
        if rng.random() < 0.3:
            out["notes"] = rng.choice(NOTES)
        return out

    def _operations(self, doc: dict[str, Any]) -> dict[str, Any]:
        rng, uid = self.rng, self.uid
        vendor = doc.get("model_source") != "in_house_trained"
        team = f"{self.unit} Platform Ops"
        return {
            "on_call": {"team": team, "contact": f"{uid.lower()}-oncall@example.com"},
            "rollback": {"procedure": f"https://wiki.example/runbooks/{uid}-rollback",
                         "tested_on": _day(-rng.randint(5, 120)),
                         "restore_minutes": rng.randint(2, 10)},
            "quality_monitoring": {"metrics": rng.sample(
                ["precision on audited sample", "drift (PSI) of inputs", "override rate",
                 "complaints per 1000 outputs", "latency p95", "answer groundedness"], 3),
                "regression_alerts": True},
            "cost": {"daily_ceiling": rng.choice([50, 150, 300, 800, 2000]),
                     "currency": rng.choice(["EUR", "EUR", "GBP", "USD"]), "alerts": True},
            "vendor_fallback": ({"mode": rng.choice(["degrade_gracefully", "manual_process",
                                                     "secondary_vendor"]),
                                 "description": "Requests go to the manual queue and users see "
                                                "a status banner while the vendor is down."}
                                if vendor else {"mode": "not_applicable"}),
        }


def _evidence(rng: random.Random, doc: dict[str, Any]) -> None:
    """Record the controls the starter pack requires, as a submitter at this stage would."""
    decision = decide(pack(), source(doc))
    stage, uid = doc["deployment_stage"], doc["use_case_id"]
    live = stage in ("pilot", "production", "retired")
    items = []
    for control in decision.controls:
        if not live and rng.random() < 0.4:
            continue
        if live:
            status = ("in_progress" if "in_progress" in control.needed and rng.random() < 0.3
                      else "done")
        else:
            status = rng.choice(["not_started", "in_progress", "done"])
        item: dict[str, Any] = {"id": control.id, "status": status}
        if status == "done":
            item["date"] = _day(-rng.randint(15, 300))
            item["evidence"] = f"https://grc.example/{uid}/{control.id[5:].lower()}"
        items.append(item)
    if items:
        doc["controls"] = items
    if stage == "production":
        doc["approvals"] = [
            {"role": step.role, "decision": "approved", "date": _day(-rng.randint(10, 60)),
             "approver": f"{step.role.replace('_', '.')}@example.com"}
            for step in decision.approval_path if step.role != "owner"]


# ---------------------------------------------------------------------- breaking files


def _fail(rng: random.Random, kind: str) -> tuple[sc.Scenario, str, str]:
    """A scenario, a stage and the failure to give it (applied by :func:`_break`)."""
    if kind == "prohibited":
        return rng.choice(sc.PROHIBITED), _choose(rng, STAGES), "a prohibited practice"
    needs = {"log_retention": "high_risk", "derogation_profiling": "annex_iii",
             "unregistered_public": "public"}.get(kind)
    pool = [s for s in sc.VALID if needs is None or needs in s.tags]
    stage = ("production" if kind in ("operations_gap", "control_not_done",
                                      "unregistered_public") else _choose(rng, STAGES))
    return rng.choice(pool), stage, kind


def _break_fail(rng: random.Random, doc: dict[str, Any], kind: str) -> str:
    if kind == "log_retention":
        doc["log_retention_months"] = rng.randint(1, 5)
        months = doc["log_retention_months"]
        return f"logs kept for {months} month{'s' if months > 1 else ''}"
    if kind == "derogation_profiling":
        doc["art6_3_derogation"] = {
            "claimed": rng.choice(["narrow_procedural_task", "preparatory_task",
                                   "detects_patterns_with_human_review"]),
            "performs_profiling": True, "materially_influences_outcome": False,
            "justification": "The score only prepares the file for the human decision.",
            "documented_on": _day(-rng.randint(10, 200))}
        return "Art. 6(3) derogation claimed while profiling"
    if kind == "operations_gap":
        ops = doc["operations"]
        gaps = ["rollback", "alerts", "cost"]
        if ops["vendor_fallback"]["mode"] != "not_applicable":
            gaps.append("fallback")
        gap = rng.choice(gaps)
        if gap == "rollback":
            ops["rollback"]["restore_minutes"] = rng.choice([15, 30, 45, 120])
        elif gap == "alerts":
            ops["quality_monitoring"]["regression_alerts"] = False
        elif gap == "cost":
            ops["cost"]["alerts"] = False
        else:
            ops["vendor_fallback"] = {"mode": "none"}
        return f"production without operations item: {gap}"
    if kind == "automated_no_review":
        doc.update(decision_role="fully_automated",
                   decision_effect="legal_or_similarly_significant",
                   appeal_or_human_review=False)
        return "fully automated significant decisions without human review"
    if kind == "control_not_done":
        done = [c for c in doc.get("controls", []) if c["status"] == "done"]
        if not done:
            return "nothing to break"
        control = rng.choice(done)
        control["status"] = rng.choice(["in_progress", "not_started"])
        for key in ("date", "evidence"):
            control.pop(key, None)
        return f"{control['id']} not done at production"
    if kind == "unregistered_public":
        doc.pop("registrations", None)
        return "public deployer without EU database registration"
    return kind


def _break_incomplete(rng: random.Random, doc: dict[str, Any], kind: str) -> str:
    if kind == "drop_stage_answer" and doc["deployment_stage"] in ("pilot", "production"):
        options = ["technical_owner", "outcome", "review", "outcome.metrics"]
        if doc["deployment_stage"] == "production":
            options += ["operations.on_call", "planned_go_live", "operations.rollback.tested_on",
                        "operations.cost.currency", "controls"]
        path = rng.choice(options).split(".")
        node = doc
        for part in path[:-1]:
            node = node[part]
        node.pop(path[-1], None)
        return f"{'.'.join(path)} missing at {doc['deployment_stage']}"
    if kind == "bad_enum":
        name = rng.choice(sorted(BAD_ENUMS))
        doc[name] = BAD_ENUMS[name]
        return f"{name}: {BAD_ENUMS[name]!r} is not an allowed value"
    if kind == "bad_type":
        choice = rng.choice(["jurisdictions", "log_retention_months", "purposes", "owner",
                             "human_oversight", "external_facing"])
        if choice in ("jurisdictions", "purposes"):
            doc[choice] = doc[choice][0]
        elif choice == "log_retention_months":
            doc[choice] = f"{doc[choice]} months"
        elif choice == "owner":
            doc["owner"] = doc["owner"]["name"]
        elif choice == "human_oversight" and isinstance(doc.get("human_oversight"), dict):
            doc["human_oversight"]["can_override"] = "yes"
        else:
            doc["external_facing"] = "no"
        return f"{choice} holds a value of the wrong type"
    if kind == "bad_id":
        doc["use_case_id"] = doc["use_case_id"].lower().replace("-", "_")
        return "use_case_id does not follow the pattern"
    if kind == "missing_context":
        blocks = [b for b in CONTEXT_BLOCKS if b in doc]
        if blocks:
            block = rng.choice(blocks)
            del doc[block]
            return f"{block} missing for the capabilities declared"
    field = rng.choice(REQUIRED)
    doc.pop(field, None)
    return f"required {field} missing"


# ---------------------------------------------------------------------- generating


def _attempt(rng: random.Random, status: str, number: int, seed: int) -> tuple[str, str]:
    """One file meant to come out with ``status``: (its text, the status it got)."""
    why = ""
    if status == "fail":
        kind = _choose(rng, FAILURES)
        scenario, stage, _ = _fail(rng, kind)
    else:
        scenario = rng.choice(sc.VALID if status == "pass" or rng.random() < 0.85 else sc.ALL)
        kind = _choose(rng, INCOMPLETE) if status == "incomplete" else ""
        stage = ("production" if kind == "drop_stage_answer" and rng.random() < 0.6
                 else _choose(rng, STAGES))
    doc = _Builder(rng, scenario, stage, number).build()
    _evidence(rng, doc)
    if status == "fail":
        why = "a prohibited practice" if kind == "prohibited" else _break_fail(rng, doc, kind)
    elif status == "incomplete":
        why = _break_incomplete(rng, doc, kind)
    comments = [f"Generated by benchmarks/gen_intakes.py (seed {seed}): "
                f"{scenario.key} at stage {stage}.",
                f"Meant to {'be incomplete' if status == 'incomplete' else status}"
                + (f": {why}." if why else ".")]
    text = dump(doc, comments)
    got = decide(pack(), source(text, f"uc-{number:05d}.yaml")).status
    return text, got


def generate(n: int, seed: int = 7) -> list[tuple[str, str]]:
    """``n`` intake files as (file name, YAML text), deterministic for ``seed``."""
    rng = random.Random(seed)
    counts = {k: round(n * share) for k, share in SHARES.items() if k != "pass"}
    plan = ["pass"] * (n - sum(counts.values()))
    for status, count in counts.items():
        plan += [status] * count
    rng.shuffle(plan)
    files = []
    for number, status in enumerate(plan, 1):
        for _ in range(50):
            text, got = _attempt(rng, status, number, seed)
            if got == status:
                break
        else:  # pragma: no cover - a template that can no longer come out as meant
            raise RuntimeError(f"could not draw a file with status {status} (last: {got})")
        files.append((f"uc-{number:05d}.yaml", text))
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="how many intake files")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)
    files = generate(args.n, args.seed)
    for name, text in files:
        (args.outdir / name).write_text(text, encoding="utf-8")
    sizes = sorted(len(text.encode()) for _, text in files)
    meant = Counter(text.splitlines()[1].split(":")[0].split()[-1].rstrip(".")
                    for _, text in files)
    print(f"wrote {len(files)} files to {args.outdir}/ ({sizes[0]}-{sizes[-1]} bytes, "
          f"median {sizes[len(sizes) // 2]}); meant: {dict(sorted(meant.items()))}")


if __name__ == "__main__":
    main()
