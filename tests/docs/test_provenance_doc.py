"""docs/starter-pack.md's provenance table says what policies/sources.yaml says."""

from __future__ import annotations

import re

from aipolicy.form.load import load_form
from aipolicy.pack.load import load_pack
from aipolicy.sources.documents import load_document
from helpers.paths import FORM, PACK, ROOT


def test_the_provenance_table_lists_every_source_with_its_basis_and_date() -> None:
    pack = load_pack(str(PACK), load_form(load_document(str(FORM))))
    text = (ROOT / "docs" / "starter-pack.md").read_text(encoding="utf-8")
    section = text.split("## Provenance of citations", 1)[1]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) == 4 and cells[1] in ("binding", "guidance", "standard", "practice"):
            rows[cells[0]] = (cells[1], cells[2])
    assert rows == {name: (s.basis, s.date or "undated")
                    for name, s in pack.model.sources.items()}
    for rid in pack.rule_bases:
        assert re.search(rf"`{re.escape(rid)}`", section), rid
