"""``aipolicy init``: scaffold a governance repository (pack, form, example, hooks, CI)."""

from __future__ import annotations

import click

from .output import EXIT_OK, EXIT_USAGE, guard


def command(directory: str) -> int:
    """Write the starter files into ``directory``, never over an existing file."""
    from pathlib import Path

    from aipolicy.scaffold.repository import check_tree, ci_note, conflicts, files
    from aipolicy.sources.writing import write_new

    root = Path(directory)
    planned = guard(files, False)
    existing = conflicts(root, list(planned))
    if existing:
        for path in existing:
            click.echo(f"{root / path}: exists", err=True)
        click.echo("aipolicy: error: aipolicy init never overwrites files; nothing was "
                   "written", err=True)
        return EXIT_USAGE
    guard(lambda: check_tree(root, list(planned)), False)

    def write_all() -> None:
        for path, text in planned.items():
            write_new(str(root / path), text, what="the file")

    guard(write_all, False)
    click.echo(f"created {len(planned)} files in {root}; next: cd {directory} && "
               "aipolicy check")
    note = ci_note()
    if note:
        click.echo(f"note: {note}", err=True)
    return EXIT_OK
