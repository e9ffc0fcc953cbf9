"""docs/review.md: its worked example is what the command prints, its questions the pack's."""

from __future__ import annotations

import re

from aipolicy.form.load import load_form
from aipolicy.pack.load import load_pack
from aipolicy.sources.documents import load_document
from helpers.paths import FORM, PACK, ROOT, run_cli

DOC = ROOT / "docs" / "review.md"


def test_the_worked_example_is_the_real_output() -> None:
    example = DOC.read_text().split("## A worked example", 1)[1].split("\n## ", 1)[0]
    [(command, shown)] = re.findall(r"```console\n\$ aipolicy (.*?)\n(.*?)```", example, re.S)
    real = run_cli(*command.split(), cwd=ROOT)
    assert real.exit_code == 1
    assert real.stdout == shown


def test_the_doc_lists_every_question_of_the_starter_pack() -> None:
    review = load_pack(str(PACK), load_form(load_document(str(FORM)))).model.review
    assert review is not None
    table = DOC.read_text().split("## The starter pack's questions", 1)[1]
    listed = re.findall(r"^\| `([a-z_0-9]+)` \|", table, re.M)
    assert listed == list(review.questions)
    for q in review.questions.values():
        assert f"| {q.article} |" in table, q.article
