"""Hypothesis strategies: intakes generated from the form, and small rule packs."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from aipolicy.form.schema import Form

_TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=30)


def value_for(form: Form, node: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Values that (mostly) satisfy the schema ``node``."""
    node = form.resolve(node)
    for key in ("anyOf", "oneOf"):
        if isinstance(node.get(key), list):
            return st.one_of([value_for(form, n, depth) for n in node[key]])
    if "const" in node:
        return st.just(node["const"])
    if isinstance(node.get("enum"), list):
        return st.sampled_from(node["enum"])
    kind = node.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in node:
        if depth > 3:
            return st.just({})
        props = node.get("properties") or {}
        required = set(node.get("required") or [])
        return st.fixed_dictionaries(
            {k: value_for(form, v, depth + 1) for k, v in props.items() if k in required},
            optional={k: value_for(form, v, depth + 1) for k, v in props.items()
                      if k not in required},
        )
    if kind == "array":
        items = value_for(form, node.get("items") or {}, depth + 1)
        return st.lists(items, max_size=3, unique_by=repr if node.get("uniqueItems") else None)
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(min_value=node.get("minimum", -5), max_value=1000)
    if kind == "number":
        return st.floats(min_value=0, max_value=1e27, allow_nan=False)
    examples = node.get("examples")
    if node.get("format") == "date":
        return st.dates().map(lambda d: d.isoformat())
    if node.get("format") == "email":
        return st.just("someone@example.com")
    if isinstance(examples, list) and examples:
        return st.sampled_from(examples)
    minimum = int(node.get("minLength", 0))
    return st.text(alphabet="abcdefghij klmnop", min_size=minimum, max_size=minimum + 20)


def intakes(form: Form) -> st.SearchStrategy[dict[str, Any]]:
    """Submissions built from the form: complete ones, and the same with mutations."""
    base = value_for(form, form.schema)

    def mutate(data: dict[str, Any], draw: Any) -> dict[str, Any]:
        data = dict(data)
        for _ in range(draw(st.integers(0, 3))):
            keys = sorted(data) or ["title"]
            key = draw(st.sampled_from(keys))
            action = draw(st.sampled_from(["drop", "junk", "type"]))
            if action == "drop":
                data.pop(key, None)
            elif action == "junk":
                data[key] = draw(st.one_of(_TEXT, st.integers(), st.none(), st.booleans()))
            else:
                data[key] = draw(st.one_of(st.lists(_TEXT, max_size=2),
                                           st.dictionaries(_TEXT, _TEXT, max_size=2)))
        return data

    @st.composite
    def build(draw: Any) -> dict[str, Any]:
        data = draw(base)
        return mutate(data, draw) if draw(st.booleans()) else data

    return build()


# --------------------------------------------------------------------- small rule packs

_FIELDS = {  # field -> (operator, value strategy) tests that fit the starter form
    "capabilities": ("contains_any", st.lists(st.sampled_from(
        ["emotion_recognition", "social_scoring", "profiling_natural_persons"]), min_size=1)),
    "purposes": ("contains", st.sampled_from(["recruitment_screening", "fraud_detection"])),
    "deployment_stage": ("in", st.lists(st.sampled_from(["idea", "pilot", "production"]),
                                        min_size=1)),
    "log_retention_months": ("less_than", st.integers(0, 24)),
    "decision_role": ("equals", st.sampled_from(["fully_automated", "informational"])),
    "intended_purpose": ("length", st.integers(0, 200).map(lambda n: {"at_least": n})),
    "human_oversight.can_override": ("equals", st.booleans()),
    "owner.email": ("matches", st.sampled_from(["^a", "(a+)+b", "example\\.com$"])),
    "title": ("exists", st.booleans()),
    "dpia.status": ("missing", st.booleans()),
    "jurisdictions": ("contains_any", st.lists(st.sampled_from(["EU", "UK", "US_CO"]),
                                               min_size=1)),
    "data_sensitivity": ("not_in", st.lists(st.sampled_from(["public", "personal", "biometric"]),
                                            min_size=1)),
    "model_source": ("equals", st.sampled_from(["in_house_trained", "third_party_api"])),
    "external_facing": ("equals", st.booleans()),
    "human_oversight": ("exists", st.booleans()),  # a group of fields
    "vendors": ("missing", st.booleans()),  # a list of groups of fields
}

#: tests on the pack's own fact and parameter (see :func:`pack_header`)
_OTHER = st.one_of(
    st.builds(lambda op, v: {"fact": "level", op: v},
              st.sampled_from(["equals", "at_least", "at_most"]),
              st.sampled_from(["low", "elevated", "high"])),
    st.builds(lambda v: {"fact": "level", "missing": v}, st.booleans()),
    st.builds(lambda op, n: {"fact": "flags", "length": {op: n}},
              st.sampled_from(["at_least", "at_most", "equals"]), st.integers(0, 3)),
    st.builds(lambda v: {"fact": "flags", "contains": v}, st.sampled_from(["a", "b", "c"])),
    st.builds(lambda vs: {"fact": "flags", "contains_any": vs},
              st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, unique=True)),
    st.builds(lambda v: {"parameter": "strict", "equals": v}, st.booleans()),
)


@st.composite
def tests(draw: Any) -> dict[str, Any]:
    if draw(st.integers(0, 5)) == 0:
        return draw(_OTHER)  # type: ignore[no-any-return]
    field = draw(st.sampled_from(sorted(_FIELDS)))
    op, values = _FIELDS[field]
    return {"field": field, op: draw(values)}


conditions = st.recursive(
    tests(),
    lambda inner: st.one_of(
        st.builds(lambda xs: {"all": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda xs: {"any": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda xs: {"none": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda x: {"not": x}, inner),
    ),
    max_leaves=5,
)


@st.composite
def rules(draw: Any) -> list[dict[str, Any]]:
    out = []
    for i in range(draw(st.integers(1, 6))):
        rule: dict[str, Any] = {
            "id": f"GEN-{i}", "title": "t", "description": "d",
            "severity": draw(st.sampled_from(["high", "low"])),
            "enforcement": draw(st.sampled_from(["blocking", "advisory"])),
            "citations": [{"framework": "F", "clause": "c"}],
            "when": draw(conditions),
            "raise": {"tier": draw(st.sampled_from(["low", "elevated", "high"]))},
        }
        if '"fact"' not in repr(rule["when"]).replace("'", '"'):
            # rules that do not read the level may raise it (no rule reads what it writes)
            rule["raise"]["level"] = draw(st.sampled_from(["low", "elevated", "high"]))
            rule["add"] = {"flags": draw(st.lists(st.sampled_from(["a", "b", "c"]),
                                                  min_size=1, unique=True))}
        if draw(st.booleans()):
            rule["violation"] = {"message": "m", "remediation": "r"}
        out.append(rule)
    return out


def pack_header(generated: list[dict[str, Any]]) -> dict[str, Any]:
    """A minimal pack around generated rules: a tier scale, a second fact on it and a label
    fact that rules may test (``level``, no value until a rule raises it; ``flags``), a
    parameter, a role."""
    return {
        "pack": "generated", "version": "1",
        "parameters": {"strict": {"type": "boolean", "default": False,
                                  "description": "A switch the rules may test."}},
        "scales": {"tier": ["low", "elevated", "high", "prohibited"]},
        "facts": {"tier": {"scale": "tier", "default": "low"},
                  "level": {"scale": "tier"},
                  "flags": {"labels": ["a", "b", "c"]}},
        "roles": [{"id": "owner", "title": "Owner"}],
        "approval_paths": {"low": ["owner"], "elevated": ["owner"], "high": ["owner"],
                           "prohibited": "blocked"},
        "rules": generated,
    }
