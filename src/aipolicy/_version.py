"""The package version, kept in one place (read by hatchling and by `--version`)."""

from __future__ import annotations

__version__ = "0.2.0.dev0"
