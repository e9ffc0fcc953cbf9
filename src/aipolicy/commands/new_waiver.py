"""``aipolicy new waiver --rule R --use-case ID``: write a prefilled waiver."""

from __future__ import annotations

import os

import click

from .output import EXIT_OK, EXIT_USAGE, guard
from .settings import Settings, open_pack, today


def command(settings: Settings, *, rule: str, use_case: str, output: str | None) -> int:
    """Print the waiver (or write it to ``output``, never over a file); exit 2 for a rule
    neither the pack nor aipolicy has."""
    from aipolicy.decision import ENGINE_RULES
    from aipolicy.form.schema import did_you_mean
    from aipolicy.reporters._text import show
    from aipolicy.waivers.template import render

    pack = guard(lambda: open_pack(settings), settings.debug)
    rules = {r.id: r for r in pack.model.rules}
    if rule in rules:
        title, severity = rules[rule].title, rules[rule].severity
    elif rule in ENGINE_RULES:
        title, severity = ENGINE_RULES[rule], None  # its severity is the finding's
    else:
        click.echo(show(f"aipolicy: error: the pack has no rule '{rule}'"
                        + did_you_mean(rule, [*rules, *ENGINE_RULES])), err=True)
        return EXIT_USAGE
    if not use_case.strip():
        click.echo("aipolicy: error: --use-case takes the use_case_id of a submission",
                   err=True)
        return EXIT_USAGE
    text = render(rule=rule, title=title, severity=severity, use_case_id=use_case.strip(),
                  granted=today(settings), policy=pack.model.waivers,
                  role_titles={r.id: r.title for r in pack.model.roles})
    if output is None or output == "-":
        click.echo(text, nl=False)
        return EXIT_OK
    if os.path.lexists(output):
        click.echo(show(f"aipolicy: error: {output} exists; aipolicy new waiver never "
                        "overwrites a file"), err=True)
        return EXIT_USAGE
    from aipolicy.sources.writing import write_new

    guard(lambda: write_new(output, text, what="the waiver"), settings.debug)
    click.echo(show(f"wrote {output}; fill it in, then run: aipolicy check --waivers {output}"))
    return EXIT_OK
