"""``check --record``: the decision records of a run, appended after it is evaluated."""

from __future__ import annotations

from collections.abc import Sequence

from aipolicy.decision import Report
from aipolicy.errors import ConfigError
from aipolicy.sources.discovery import Found

from .layers import Layers
from .settings import Settings, config_files


def refuse_clash(record: str, files: Sequence[Found], settings: Settings, layers: Layers,
                 trees: Sequence[str]) -> None:
    """Refuse a record file that is one of the run's inputs (a submission, the form, the
    pack, a waiver or approval file), that a later run would read as a submission, or
    that cannot be written where it is (before anything is evaluated)."""
    import os

    from aipolicy.sources.writing import input_clash, walked_clash

    folder = os.path.dirname(os.path.abspath(record))
    if not os.path.isdir(folder):
        raise ConfigError(f"{record}: cannot write the decision records: its directory "
                          "does not exist")
    if os.path.isdir(record):
        raise ConfigError(f"{record}: --record names a directory; name a .jsonl file")

    inputs = [f.path for f in files] + config_files(settings, pack=True)
    inputs += [f.path for f in layers.inputs]
    clash = input_clash(record, inputs)
    if clash is not None:
        raise ConfigError(f"{record}: --record names a file this run reads ({clash}); the "
                          "records would be appended to it; choose another file")
    tree = walked_clash(record, trees)
    if tree is not None:
        raise ConfigError(f"{record}: --record is inside {tree}, which this command reads: "
                          "the next run would read the records as a submission; name a "
                          ".jsonl file, or one outside the intake tree")


def refuse_same(record: str, output: str) -> None:
    """Refuse ``--output`` naming the record file: the report would replace the records."""
    import os

    from aipolicy.sources.writing import STDOUT

    if output == STDOUT:
        return
    same = os.path.abspath(record) == os.path.abspath(output)
    if not same and os.path.exists(record) and os.path.exists(output):
        same = os.path.samefile(record, output)
    if same:
        raise ConfigError(f"{record}: --record and --output name the same file; the report "
                          "would replace the records: choose another file for one of them")


def record_run(record: str, report: Report, digests: Sequence[str | None],
               layers: Layers) -> str:
    """Append one record line for each decision of ``report`` (in its order) to
    ``record``; the digest of the last line written."""
    from aipolicy.records.line import entries
    from aipolicy.records.writer import append_records

    def inputs_for(use_case_id: str | None) -> list[tuple[str, str, str]]:
        return [(f.kind, f.path, f.digest) for f in layers.inputs_for(use_case_id)]

    return append_records(record, entries(report, digests, inputs_for))
