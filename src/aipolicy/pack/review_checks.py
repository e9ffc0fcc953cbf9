"""The checks of a pack's review gate (``review:``), run by the compiler with the others:
its fact is a label fact, every label a rule can add is a declared question, and each
question names a field of the form or gives its own title."""

from __future__ import annotations

from aipolicy.form.schema import Form, did_you_mean

from .spec import PackSpec


def review_problems(model: PackSpec, form: Form) -> list[tuple[tuple[str | int, ...], str]]:
    """What is wrong with a pack's review gate (``review:``), by path into the pack: its
    fact must be a label fact whose every label is a declared question, and each question
    must name a field of the form or give a title."""
    review = model.review
    if review is None:
        return []
    problems: list[tuple[tuple[str | int, ...], str]] = []
    fact = model.facts.get(review.fact)
    if fact is None or fact.labels is None:
        what = "not a label fact" if fact is not None else "not a declared fact"
        problems.append((("review", "fact"), f"'{review.fact}' is {what}" + did_you_mean(
            review.fact, [n for n, f in model.facts.items() if f.labels is not None])))
        return problems
    for label in fact.labels:
        if label not in review.questions:
            problems.append((("review", "questions"), f"the label '{label}' of "
                             f"{review.fact} is not declared as a question: every label a "
                             "rule can add needs its field, why and article"))
    for qid, q in review.questions.items():
        at: tuple[str | int, ...] = ("review", "questions", qid)
        if qid not in fact.labels:
            problems.append((at, f"'{qid}' is not a label of {review.fact}"
                             + did_you_mean(qid, fact.labels)))
        if q.field is not None and form.field(tuple(q.field.split("."))) is None:
            problems.append(((*at, "field"), f"the form has no field '{q.field}'"))
        if q.field is None and q.title is None:
            problems.append((at, "a question names the form's field it turns on "
                             "(field:) or gives its own title (title:)"))
    return problems
