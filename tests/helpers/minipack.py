"""A small form and pack held in memory, for tests of the core that touch no file."""

from __future__ import annotations

import json
from typing import Any

import yaml

from aipolicy.form.load import load_form
from aipolicy.form.schema import Form
from aipolicy.pack.compiled import CompiledPack
from aipolicy.pack.load import compile_pack
from aipolicy.sources.documents import SourceDoc, parse_document

FORM: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "urn:test:mini-form",
    "title": "Mini intake",
    "type": "object",
    "additionalProperties": False,
    "required": ["use_case_id", "owner", "deployment_stage", "purposes"],
    "properties": {
        "use_case_id": {"type": "string", "title": "Use-case ID", "description": "The ID.",
                        "pattern": r"^[A-Z]{2,6}-\d{3,6}$", "examples": ["HR-0042"]},
        "owner": {"$ref": "#/$defs/person", "title": "Owner",
                  "description": "The accountable person."},
        "deployment_stage": {"type": "string", "title": "Deployment stage",
                             "description": "Where it is.",
                             "enum": ["idea", "pilot", "production"]},
        "purposes": {"type": "array", "title": "Purposes", "description": "What for.",
                     "uniqueItems": True,
                     "items": {"type": "string",
                               "enum": ["recruitment_screening", "fraud_detection", "other"]}},
        "log_retention_months": {"type": "integer", "minimum": 0,
                                 "title": "Log retention (months)", "description": "Months."},
        "external": {"type": "boolean", "title": "External", "description": "Outside use."},
        "oversight": {"type": "object", "title": "Human oversight", "description": "Who.",
                      "additionalProperties": False,
                      "properties": {"can_override": {"type": "boolean", "default": False,
                                                      "title": "Can override",
                                                      "description": "Override."}}},
        "next_review_due": {"type": "string", "format": "date", "title": "Next review due",
                            "description": "When.", "examples": ["2027-01-31"]},
        "vendors": {"type": "array", "title": "Vendors", "description": "Suppliers.",
                    "items": {"type": "object", "additionalProperties": False,
                              "properties": {
                                  "name": {"type": "string", "title": "Name",
                                           "description": "Name."},
                                  "dpa_signed": {"type": "boolean", "title": "DPA signed",
                                                 "description": "DPA."}}}},
        "controls": {"type": "array", "title": "Controls", "description": "Evidence.",
                     "items": {"type": "object", "required": ["id", "status"],
                               "properties": {
                                   "id": {"type": "string", "title": "Control",
                                          "description": "Id."},
                                   "status": {"type": "string", "title": "Status",
                                              "description": "Status.",
                                              "enum": ["not_started", "in_progress", "done",
                                                       "not_applicable", "waived"]}}}},
    },
    "allOf": [
        {"if": {"properties": {"deployment_stage": {"enum": ["production"]}},
                "required": ["deployment_stage"]},
         "then": {"required": ["next_review_due"]}}
    ],
    "$defs": {"person": {
        "type": "object", "additionalProperties": False, "required": ["name", "email"],
        "properties": {
            "name": {"type": "string", "title": "Name", "description": "Full name."},
            "email": {"type": "string", "format": "email", "title": "Email",
                      "description": "Work email.", "examples": ["jane.doe@example.com"]}}}},
}

HEADER: dict[str, Any] = {
    "pack": "mini",
    "version": "1.0.0",
    "parameters": {"max_months": {"type": "integer", "default": 6},
                   "act": {"values": ["old", "new"], "default": "new"}},
    "scales": {"tier": ["low", "elevated", "high", "prohibited"],
               "cat": ["out", "minimal", "high_risk", "prohibited"]},
    "facts": {"tier": {"scale": "tier", "default": "low"},
              "eu.category": {"scale": "cat"},
              "eu.points": {"labels": ["4a", "5b"]}},
    "roles": [{"id": "owner", "title": "Owner"}, {"id": "lead", "title": "Lead"},
              {"id": "dpo", "title": "DPO"}, {"id": "board", "title": "Board"}],
    "approval_paths": {"low": ["owner"], "elevated": ["owner", "lead"],
                       "high": ["owner", "lead", "board"], "prohibited": "blocked"},
    "control_gates": {"pilot": {"accept": ["in_progress", "done"],
                                "enforcement": "advisory", "severity": "medium"},
                      "production": {"accept": ["done"]}},
    "controls": {"CTRL-A": {"title": "Control A", "description": "Do A.",
                            "citations": [{"framework": "F", "clause": "1"}]},
                 "CTRL-B": {"title": "Control B", "description": "Do B.",
                            "citations": [{"framework": "F", "clause": "2"}]}},
    "waivers": {"not_waivable": ["BAN"]},
}

CITE = [{"framework": "F", "clause": "x"}]


def rule(rid: str, when: Any = None, **effects: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": rid, "title": f"Rule {rid}", "description": "d",
                           "severity": effects.pop("severity", "high"),
                           "enforcement": effects.pop("enforcement", "advisory"),
                           "citations": CITE}
    if when is not None:
        out["when"] = when
    out.update(effects)
    return out


RULES: list[dict[str, Any]] = [
    rule("SCOPE", raise_={"eu.category": "minimal"}),
    rule("HR-4A", {"field": "purposes", "contains": "recruitment_screening"},
         add={"eu.points": ["4a"]}),
    rule("HIGH", {"fact": "eu.points", "length": {"at_least": 1}},
         raise_={"tier": "high", "eu.category": "high_risk"}, require_controls=["CTRL-A"],
         add_approvers=["dpo"]),
    rule("LOGS", {"all": [{"fact": "eu.category", "at_least": "high_risk"},
                          {"field": "log_retention_months",
                           "less_than": {"parameter": "max_months"}}]},
         enforcement="blocking",
         violation={"message": "Keep logs longer.", "remediation": "Set 6.",
                    "field": "log_retention_months"}),
    rule("EXT", {"field": "external", "equals": True}, raise_={"tier": "elevated"},
         require_controls=["CTRL-B"], add_approvers=["lead"]),
    rule("OVERSIGHT", {"all": [{"field": "oversight", "exists": True},
                               {"field": "oversight.can_override", "equals": False}]},
         violation={"message": "Let people override.", "remediation": "Allow it."}),
    rule("VENDOR", {"field": "vendors", "any_item": {"field": "dpa_signed", "equals": False}},
         violation={"message": "Sign DPAs.", "remediation": "Sign.", "field": "vendors"}),
    rule("OVERDUE", {"field": "next_review_due", "before": {"as_of": 0}},
         violation={"message": "Review overdue.", "remediation": "Review."}),
    rule("BAN", {"all": [{"field": "purposes", "contains": "other"},
                         {"parameter": "act", "equals": "new"}]},
         raise_={"tier": "prohibited"}, enforcement="blocking", severity="critical",
         violation={"message": "Banned.", "remediation": "Stop."}),
]


def _yaml(data: Any) -> str:
    text = json.dumps(data).replace('"raise_"', '"raise"')
    return yaml.safe_dump(json.loads(text), sort_keys=False)


def mini_form() -> Form:
    return load_form(parse_document(json.dumps(FORM, indent=1), "form.json"))


def mini_pack(rules: list[dict[str, Any]] | None = None, *, split: bool = False,
              header: dict[str, Any] | None = None, form: Form | None = None) -> CompiledPack:
    rules = RULES if rules is None else rules
    head = dict(HEADER if header is None else header)
    ids = {r["id"] for r in rules}
    head["waivers"] = {"not_waivable": [r for r in head["waivers"]["not_waivable"] if r in ids]}
    if split:  # header in one document, each rule in its own
        docs = [parse_document(_yaml(head), "pack/pack.yaml")]
        docs += [parse_document(_yaml({"rules": [r]}), f"pack/r{i}.yaml")
                 for i, r in enumerate(rules)]
    else:
        docs = [parse_document(_yaml({**head, "rules": rules}), "pack.yaml")]
    return compile_pack(docs, form or mini_form(), "pack")


def intake(text: str, path: str = "uc.yaml") -> SourceDoc:
    return parse_document(text, path)
