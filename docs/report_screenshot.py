"""Regenerate docs/report-example.png: the HTML report of the shipped examples, as
headless Chromium draws it.

    python docs/report_screenshot.py [--height 1500]

Runs ``aipolicy report intake/examples --format html --as-of 2026-12-03``, opens the page
in Chromium (Debian's ``chromium``) 1200 px wide, captures its top ``--height`` pixels and
writes them as a PNG recompressed at zlib's best level (the pixels are Chromium's, unchanged).
"""

from __future__ import annotations

import argparse
import os
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from helpers.chromium import Chromium, binary  # noqa: E402

AS_OF = "2026-12-03"
WIDTH = 1200
OUT = ROOT / "docs" / "report-example.png"


def smaller_png(data: bytes) -> bytes:
    """The same PNG with its image data recompressed at level 9 and no ancillary chunks."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks: list[tuple[bytes, bytes]] = []
    at = 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind = data[at + 4:at + 8]
        chunks.append((kind, data[at + 8:at + 8 + length]))
        at += 12 + length
    pixels = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    keep = [(kind, body) for kind, body in chunks if kind in (b"IHDR", b"PLTE", b"tRNS")]
    keep.append((b"IDAT", zlib.compress(pixels, 9)))
    keep.append((b"IEND", b""))
    out = bytearray(data[:8])
    for kind, body in keep:
        out += struct.pack(">I", len(body)) + kind + body
        out += struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    return bytes(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--height", type=int, default=1500)
    parser.add_argument("--output", type=Path, default=OUT)
    args = parser.parse_args()
    executable = binary()
    if executable is None:
        print("no chromium: apt-get install chromium", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="aipolicy-shot-") as tmp:
        page = Path(tmp) / "report.html"
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        proc = subprocess.run(
            [sys.executable, "-m", "aipolicy", "report", "intake/examples", "--format", "html",
             "--as-of", AS_OF, "--output", str(page)],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=300)
        if proc.returncode not in (0, 1) or not page.exists():
            print(proc.stderr, file=sys.stderr)
            return 2
        shot = Path(tmp) / "shot.png"
        with Chromium(executable, width=WIDTH, height=args.height) as chromium:
            chromium.open(page.as_uri())
            chromium.screenshot(shot, width=WIDTH, height=args.height)
        args.output.write_bytes(smaller_png(shot.read_bytes()))
    print(f"{args.output}: {args.output.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
