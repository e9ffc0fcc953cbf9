"""``aipolicy new``: write a commented intake template from the form, optionally asking for
the answers every submission must give."""

from __future__ import annotations

import os
from typing import Any

import click

from .output import EXIT_OK, EXIT_USAGE, guard
from .settings import Settings, form_path, open_form


def command(settings: Settings, *, stage: str | None, interactive: bool,
            output: str | None) -> int:
    """Write the template to ``output`` (default: intake/<use-case-id>.yaml), never over a
    file; ``-`` prints it."""
    from aipolicy.scaffold import template

    form = guard(lambda: open_form(settings), False)
    if stage is not None and stage not in form.stages:
        from aipolicy.form.schema import did_you_mean
        from aipolicy.reporters._text import show  # the value is the user's: one inert line

        click.echo(show(f"aipolicy: error: --stage takes one of the form's stages "
                        f"({', '.join(form.stages)}), not '{stage}'"
                        + did_you_mean(stage, form.stages)), err=True)
        return EXIT_USAGE
    answers = ask(form, stage) if interactive else {}
    if output is None:
        name = answers.get(form.identity_field)
        if not isinstance(name, str) or not template.safe_file_name(name):
            name = "new-use-case"
        output = os.path.join("intake", f"{name}.yaml")
    target = None if output == "-" else output
    modeline = None
    if target is not None:
        modeline = os.path.relpath(os.path.abspath(form_path(settings)),
                                   os.path.dirname(os.path.abspath(target)))
    text = template.render(form, stage=stage or answers.get(form.stage_field),
                           answers=answers, modeline=modeline)
    if target is None:
        click.echo(text, nl=False)
        return EXIT_OK
    if os.path.exists(target):
        click.echo(f"aipolicy: error: {target} exists; aipolicy new never overwrites a file "
                   "(choose another with --output)", err=True)
        return EXIT_USAGE
    from aipolicy.sources.writing import write_new

    guard(lambda: write_new(target, text, what="the template"), False)
    click.echo(f"wrote {target}; fill it in, then run: aipolicy validate {target}")
    return EXIT_OK


def ask(form: Any, stage: str | None) -> dict[str, Any]:
    """Prompt for what every submission must answer, and what the stage requires (the
    fields of a group one by one), checking each answer as ``validate`` would."""
    from aipolicy.scaffold.template import (
        answer_problems,
        parse_answer,
        questions,
        safe_file_name,
        with_answer,
    )

    answers: dict[str, Any] = {} if stage is None else {form.stage_field: stage}
    pending = questions(form, None) + (questions(form, stage) if stage else [])
    asked: set[tuple[str, ...]] = {(form.stage_field,)} if stage else set()
    while pending:
        path = pending.pop(0)
        info = form.field(path)
        if path in asked or info is None:
            continue
        asked.add(path)
        is_list = info.item is not None
        allowed = info.item.enum if is_list and info.item else info.enum
        hint = f" [{', '.join(map(str, allowed))}]" if allowed else ""
        hint += " (comma-separated)" if is_list else ""
        hint += " [true/false]" if not allowed and "boolean" in info.types else ""
        hint += " (YYYY-MM-DD)" if info.format == "date" else ""
        while True:
            raw = click.prompt(f"{form.title_path(path)}{hint}", default="",
                               show_default=False).strip()
            value = parse_answer(info, raw)
            bad = [str(v) for v in (value if is_list else [value])
                   if allowed is not None and v not in allowed]
            problems = [] if bad or (not raw and not is_list) else \
                answer_problems(form, answers, path, value)
            if path == (form.identity_field,) and raw and not problems and not safe_file_name(raw):
                problems = ["it names the file: use letters, digits, '.', '_' and '-' only "
                            "(no '/', no '..'), starting with a letter or digit"]
            if not is_list and not raw:
                click.echo("  an answer is needed")
            elif bad:
                click.echo(f"  not allowed: {', '.join(bad)}")
            elif problems:
                for problem in problems:
                    click.echo(f"  {problem}")
            else:
                break
        answers = with_answer(answers, path, value)
        if path == (form.stage_field,) and isinstance(value, str):
            pending += questions(form, value)
    return answers


