"""Decision record lines for the tests of the records package."""

from __future__ import annotations

from typing import Any

DIGEST = "sha256:" + "ab" * 32


def item(n: int, **extra: Any) -> dict[str, Any]:
    """A record line (without prev) for submission ``n``; ``extra`` replaces keys."""
    return {
        "record": 1, "recorded_at": "2026-12-01T09:30:00Z", "as_of": "2026-11-22",
        "tool": {"name": "aipolicy", "version": "0.2.0"},
        "pack": {"name": "starter", "version": "1", "digest": DIGEST},
        "form": {"id": "form", "digest": DIGEST},
        "intake": {"path": f"intake/uc-{n}.yaml", "digest": DIGEST},
        "inputs": [], "parameters": {"act_version": "2024_original"},
        "decision": {"file": f"intake/uc-{n}.yaml", "status": "pass"}, **extra,
    }
