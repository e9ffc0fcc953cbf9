"""``aipolicy schema``: print a JSON Schema for editors (the intake form, the pack, waiver
or approvals file format)."""

from __future__ import annotations

import click

from .output import EXIT_OK, guard
from .settings import Settings, open_form


def command(which: str, settings: Settings) -> int:
    """Print the intake form (``intake``), the rule-pack file format (``pack``), the
    waiver file format (``waiver``) or the approvals file format (``approval``)."""
    import json

    def produce() -> str:
        if which == "pack":
            from aipolicy.scaffold.repository import pack_schema_text

            return pack_schema_text()
        if which == "waiver":
            from aipolicy.waivers.model import waiver_json_schema

            return json.dumps(waiver_json_schema(), indent=2) + "\n"
        if which == "approval":
            from aipolicy.signoffs.model import approval_json_schema

            return json.dumps(approval_json_schema(), indent=2) + "\n"
        return json.dumps(open_form(settings).schema, indent=2, ensure_ascii=False) + "\n"

    click.echo(guard(produce, False), nl=False)
    return EXIT_OK
