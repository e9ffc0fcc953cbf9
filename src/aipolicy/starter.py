"""Where the packaged starter pack, form and examples live."""

from __future__ import annotations

from pathlib import Path


def package_data(*parts: str) -> Path:
    """A file of the starter content shipped with the package.

    In a wheel it lives in ``aipolicy/_starter``; in a source checkout (editable
    install) it is read from the repository's ``policies/`` and ``intake/``.
    """
    here = Path(__file__).resolve().parent
    packaged = here.joinpath("_starter", *parts)
    if packaged.exists():
        return packaged
    return here.parent.parent.joinpath(*parts)
