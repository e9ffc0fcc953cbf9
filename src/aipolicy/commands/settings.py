"""What every command shares: the user's settings, and finding the form, the pack and the
submissions they name (the defaults: ./intake/schema.json, ./policies, ./intake, else the
packaged starter content)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aipolicy.cache import cache_add, cache_has
from aipolicy.errors import ConfigError, FormError, SourceError
from aipolicy.form.load import load_form
from aipolicy.form.schema import Form
from aipolicy.sources.discovery import Found, discover
from aipolicy.sources.documents import SourceDoc, load_document, load_json_document
from aipolicy.sources.files import DEFAULT_LIMITS, Limits
from aipolicy.starter import package_data

if TYPE_CHECKING:
    from aipolicy.pack.compiled import CompiledPack


DEFAULT_INTAKE_DIR = "intake"


DEFAULT_FORM = os.path.join("intake", "schema.json")


DEFAULT_PACK = "policies"


FORM_MAX_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """What the user chose; ``None`` means "the default"."""

    pack: str | None = None
    schema: str | None = None
    params: tuple[tuple[str, str], ...] = ()
    as_of: dt.date | None = None
    limits: Limits = DEFAULT_LIMITS
    #: let an error evaluating one submission propagate (for its traceback) instead of
    #: making that submission's status ``error``
    debug: bool = False
    #: the waiver file or directory (None: ./waivers when it exists)
    waivers: str | None = None
    #: the reviewer-owned sign-off file or directory (None: ./approvals when it exists)
    approvals: str | None = None


def form_path(settings: Settings) -> str:
    if settings.schema:
        return settings.schema
    if os.path.isfile(DEFAULT_FORM):
        return DEFAULT_FORM
    return str(package_data("intake", "schema.json"))


def pack_path(settings: Settings) -> str:
    if settings.pack:
        return settings.pack
    if os.path.exists(DEFAULT_PACK):
        return DEFAULT_PACK
    return str(package_data("policies"))


def open_form(settings: Settings) -> Form:
    path = form_path(settings)
    # the form is configuration, not a submission: it is not held to --max-file-size
    limits = Limits(max_bytes=max(settings.limits.max_bytes, FORM_MAX_BYTES))
    try:
        if path.endswith(".json"):
            doc = load_json_document(path, limits)
        else:
            doc = load_document(path, limits)
    except SourceError as exc:
        raise FormError(f"cannot read the intake form: {exc.message}", exc.location) from None
    checked = cache_has("checked-forms", doc.digest)
    form = load_form(doc, checked=checked)
    if not checked:
        cache_add("checked-forms", doc.digest)
    return form


def open_pack(settings: Settings, form: Form | None = None) -> CompiledPack:
    from aipolicy.pack.load import load_pack

    form = form or open_form(settings)
    path = pack_path(settings)
    if not os.path.exists(path):
        raise ConfigError(f"{path}: no such rule pack")
    return load_pack(path, form, settings.limits)


#: Directories of a governance repository that hold configuration, not submissions
#: (``aipolicy init`` writes them): never walked into, though files in them named
#: explicitly are read.
CONFIG_DIRS = (DEFAULT_PACK, "waivers", "approvals")


def submissions(paths: Sequence[str], form: Form,
                settings: Settings | None = None) -> list[Found]:
    """The submission files named by ``paths`` (default: ``./intake``), never empty.

    Walking a directory leaves out hidden entries, the form, the pack in use and the
    configuration directories of a governance repository (:data:`CONFIG_DIRS`), so that
    ``aipolicy check .`` at its root reads only submissions.
    """
    given = list(paths)
    if not given:
        if not os.path.isdir(DEFAULT_INTAKE_DIR):
            raise ConfigError("no input: name intake files or directories, or run where "
                              f"./{DEFAULT_INTAKE_DIR} exists")
        given = [DEFAULT_INTAKE_DIR]
    skip = [form.doc.path, *CONFIG_DIRS]
    if settings is not None and settings.pack:
        skip.append(settings.pack)
    if settings is not None and settings.waivers:
        skip.append(settings.waivers)
    found = discover(given, skip=skip)
    if not found:
        raise ConfigError(f"no intake files (.yaml, .yml, .json) found in {', '.join(given)}")
    return found


def today(settings: Settings) -> dt.date:
    return settings.as_of or dt.date.today()


def use_case_id(doc: SourceDoc | None, form: Form) -> str | None:
    """The use case id of a submission read so far (None when it could not be read)."""
    return form.identity(doc.data) if doc is not None else None


def config_files(settings: Settings, *, pack: bool) -> list[str]:
    """The form and (for ``check``) the pack files a run reads: with the submissions, the
    files ``--output`` may not overwrite."""
    files = [form_path(settings)]
    if pack:
        from aipolicy.pack.load import pack_files

        files += pack_files(pack_path(settings))
        files += _approvals_files(settings)
    return files


def _approvals_files(settings: Settings) -> list[str]:
    """The approvals files a ``check`` may read (sign-offs): never a report's target."""
    from aipolicy.signoffs.load import approvals_files

    path = settings.approvals or "approvals"
    return approvals_files(path) if os.path.exists(path) else []
