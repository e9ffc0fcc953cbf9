"""``aipolicy lint``: check a rule pack against the intake form, with warnings."""

from __future__ import annotations

import click

from .output import EXIT_OK, guard
from .settings import Settings, open_pack, pack_path


def command(settings: Settings) -> int:
    """Compile the pack (an invalid one exits 2) and print its warnings and a summary."""
    from aipolicy.lint.checks import lint as lint_pack

    def produce() -> str:
        compiled = open_pack(settings)
        warnings = lint_pack(compiled)
        lines = [f"{pack_path(settings)}: warning: {w}" for w in warnings]
        lines.append(f"{pack_path(settings)}: pack {compiled.name} {compiled.version}: "
                     f"{len(compiled.rules)} rules, {len(compiled.model.controls)} controls, "
                     f"checked against {compiled.form.id}; {len(warnings)} warning"
                     f"{'' if len(warnings) == 1 else 's'}")
        return "\n".join(lines) + "\n"

    guard(lambda: click.echo(produce(), nl=False), settings.debug)
    return EXIT_OK
