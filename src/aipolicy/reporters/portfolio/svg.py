"""The portfolio page's four charts, inline SVG, each with a text alternative.

Each chart is a ``<figure>``: an ``<svg role="img">`` labelled by its own ``<title>`` and
``<desc>``, a ``<figcaption>``, and right after the figure a table of the same figures, so
that a screen reader, a text browser and a printed page lose nothing. Coordinates are
whole numbers computed from the data alone: the same portfolio gives the same bytes.
Labels are submitter text and go through :func:`~._markup.esc` like every other value.
"""

from __future__ import annotations

import math
from typing import Any

from aipolicy.reporters._text import shorten

from ._markup import esc, plain_table

WIDTH = 640
#: Where the bars start, after their labels, and how long the longest one is.
LEFT, SPAN = 150, 380
ROW = 22
#: Business units drawn one bar each; the smallest of the rest are drawn as one bar.
MAX_UNITS = 30
LABEL = 22
STATUSES = ("pass", "fail", "incomplete", "error")
#: Bin widths, in days, for the expiry timeline: the smallest that gives at most MAX_BINS.
BIN_WIDTHS = (1, 7, 14, 30, 60, 90, 180, 365)
MAX_BINS = 30
#: The timeline's range: a date further off is counted at the edge.
EARLIEST, LATEST = -365, 730


def _figure(key: str, title: str, desc: str, height: int, body: str, caption: str,
            alternative: str) -> str:
    return (f'<div class="chart"><figure id="chart-{key}">'
            f'<svg role="img" aria-labelledby="{key}-t {key}-d" '
            f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
            f'xmlns="http://www.w3.org/2000/svg"><title id="{key}-t">{esc(title)}</title>'
            f'<desc id="{key}-d">{esc(desc, 2000)}</desc>{body}</svg>'
            f"<figcaption>{caption}</figcaption></figure>\n{alternative}</div>")


def _label(y: int, text: object) -> str:
    return f'<text x="{LEFT - 6}" y="{y + 15}" text-anchor="end">{esc(text, LABEL)}</text>'


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "0%"


def tiers(by_tier: dict[str, int]) -> str:
    """Tier distribution: one bar per tier, in the pack's order."""
    total = sum(by_tier.values())
    top = max(by_tier.values(), default=0) or 1
    parts = []
    for i, (tier, n) in enumerate(by_tier.items()):
        y = 8 + i * ROW
        width = round(SPAN * n / top)
        parts.append(f'{_label(y, tier)}<rect class="bar" x="{LEFT}" y="{y + 3}" '
                     f'width="{width}" height="{ROW - 6}"/><text x="{LEFT + width + 6}" '
                     f'y="{y + 15}">{n} ({_share(n, total)})</text>')
    words = "; ".join(f"{tier}: {n}" for tier, n in by_tier.items())
    alt = plain_table("Use cases by tier", ["tier", "use cases", "share"],
                      [(t, n, _share(n, total)) for t, n in by_tier.items()], frozenset({1, 2}))
    return _figure("tiers", "Use cases by tier", f"{total} use cases. {words}.",
                   16 + len(by_tier) * ROW, "".join(parts),
                   "Tier distribution: how many use cases the pack puts in each tier.", alt)


def _units(by_unit: dict[str, Any]) -> list[tuple[str, dict[str, int], int]]:
    rows = [(name, {s: int(entry.get("by_status", {}).get(s, 0)) for s in STATUSES},
             int(entry.get("use_cases", 0))) for name, entry in by_unit.items()]
    if len(rows) <= MAX_UNITS:
        return rows
    ranked = sorted(rows, key=lambda r: (-r[2], r[0]))
    kept, rest = ranked[:MAX_UNITS - 1], ranked[MAX_UNITS - 1:]
    other = {s: sum(r[1][s] for r in rest) for s in STATUSES}
    return [*sorted(kept), (f"{len(rest)} other units", other, sum(r[2] for r in rest))]


def units(by_unit: dict[str, Any]) -> str:
    """Status by business unit: one stacked bar per unit, a segment per status."""
    rows = _units(by_unit)
    top = max((r[2] for r in rows), default=0) or 1
    parts = []
    for i, (name, counts, total) in enumerate(rows):
        y = 8 + i * ROW
        x = LEFT
        parts.append(_label(y, name))
        for status in STATUSES:
            width = round(SPAN * counts[status] / top)
            if width:
                parts.append(f'<rect class="{status}" x="{x}" y="{y + 3}" width="{width}" '
                             f'height="{ROW - 6}"/>')
            x += width
        parts.append(f'<text x="{x + 6}" y="{y + 15}">{total}</text>')
    words = "; ".join(f"{shorten(name, LABEL * 3)}: "
                      + ", ".join(f"{c[s]} {s}" for s in STATUSES if c[s])
                      for name, c, _ in rows[:MAX_UNITS])
    keys = "".join(f'<span class="key {s}"></span>{s}' for s in STATUSES)
    alt = plain_table("Status by business unit", ["business unit", "use cases", *STATUSES],
                      [(name, e.get("use_cases", 0),
                        *(e.get("by_status", {}).get(s, 0) for s in STATUSES))
                       for name, e in by_unit.items()], frozenset(range(1, 6)))
    empty = "" if rows else '<text x="10" y="20">no use cases</text>'
    return _figure("units", "Status by business unit",
                   f"{len(by_unit)} business units. {words or 'none'}.",
                   16 + max(len(rows), 1) * ROW, "".join(parts) + empty,
                   f"Status by business unit, a segment per status:{keys}", alt)


def _bins(days: list[int]) -> tuple[int, int, int]:
    """(first bin's start, bin width, number of bins) for days to expiry, today included."""
    lo = max(min([*days, 0]), EARLIEST)
    hi = min(max([*days, 0]), LATEST)
    width = next((w for w in BIN_WIDTHS if math.ceil((hi - lo + 1) / w) <= MAX_BINS), 365)
    start = (lo // width) * width
    return start, width, max(1, math.ceil((hi + 1 - start) / width))


def expiry(exceptions: list[dict[str, Any]]) -> str:
    """Exception expiry timeline: how many expire in each span of days, expired ones red."""
    days = [int(e["days_to_expiry"]) for e in exceptions
            if isinstance(e.get("days_to_expiry"), int)]
    undated = len(exceptions) - len(days)
    start, width, count = _bins(days)
    tally = [0] * count
    for d in days:
        tally[min(max((min(max(d, EARLIEST), LATEST) - start) // width, 0), count - 1)] += 1
    x0, x1, y0, y1 = 48, WIDTH - 16, 16, 176
    step = (x1 - x0) / count
    top = max(tally, default=0) or 1
    parts = [f'<line class="axis" x1="{x0}" y1="{y1}" x2="{x1}" y2="{y1}"/>',
             f'<line class="axis" x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}"/>',
             f'<text x="{x0 - 6}" y="{y0 + 4}" text-anchor="end">{top}</text>',
             f'<text x="{x0 - 6}" y="{y1}" text-anchor="end">0</text>']
    every = max(1, math.ceil(count / 8))
    for i, n in enumerate(tally):
        left = round(x0 + i * step)
        lo = start + i * width
        if n:
            height = round((y1 - y0) * n / top)
            cls = "expired" if lo < 0 else "bar"
            parts.append(f'<rect class="{cls}" x="{left + 1}" y="{y1 - height}" '
                         f'width="{max(round(step) - 2, 1)}" height="{height}"/>')
        if i % every == 0:
            parts.append(f'<line class="axis" x1="{left}" y1="{y1}" x2="{left}" y2="{y1 + 4}"/>'
                         f'<text x="{left}" y="{y1 + 16}" text-anchor="middle">{lo}</text>')
    zero = round(x0 + (0 - start) / width * step)
    parts.append(f'<line class="today" x1="{zero}" y1="{y0 - 8}" x2="{zero}" y2="{y1}"/>'
                 f'<text x="{zero + 4}" y="{y0 - 2}">today</text>'
                 f'<text x="{(x0 + x1) // 2}" y="{y1 + 32}" text-anchor="middle">days to '
                 f"expiry (bins of {width} day{'s' if width > 1 else ''}; below 0: expired)"
                 "</text>")
    expired = sum(1 for d in days if d < 0)
    rows = [(f"{start + i * width} to {start + (i + 1) * width - 1}", n,
             n if start + i * width < 0 else 0) for i, n in enumerate(tally) if n]
    alt = plain_table("Exceptions by days to expiry",
                      ["days to expiry", "exceptions", "expired"], rows, frozenset({1, 2}))
    if undated:
        alt += f'<p class="alt">{undated} exceptions have no expiry date and are not drawn.</p>'
    desc = (f"{len(exceptions)} exceptions, {expired} expired, {len(days) - expired} not yet; "
            + "; ".join(f"{r[0]} days: {r[1]}" for r in rows) + ".")
    return _figure("expiry", "Exception expiry timeline", desc, y1 + 40, "".join(parts),
                   'Exceptions by days to expiry from the report\'s date; '
                   '<span class="key expired"></span>expired '
                   '<span class="key bar"></span>still open.', alt)


def controls(by_tier: dict[str, Any]) -> str:
    """Control completion by tier: the share of required controls done, per tier."""
    parts = []
    rows = []
    for i, (tier, entry) in enumerate(by_tier.items()):
        y = 8 + i * ROW
        required, done = int(entry.get("required", 0)), int(entry.get("done", 0))
        percent = entry.get("percent")
        share = float(percent) if isinstance(percent, (int, float)) else None
        width = round(SPAN * (share or 0) / 100)
        shown = f"{share:g}% ({done}/{required})" if share is not None else "none required"
        parts.append(f'{_label(y, tier)}<rect class="track" x="{LEFT}" y="{y + 3}" '
                     f'width="{SPAN}" height="{ROW - 6}"/><rect class="bar" x="{LEFT}" '
                     f'y="{y + 3}" width="{width}" height="{ROW - 6}"/>'
                     f'<text x="{LEFT + SPAN + 6}" y="{y + 15}">{esc(shown)}</text>')
        rows.append((tier, required, done, f"{share:g}%" if share is not None else None))
    alt = plain_table("Control completion by tier", ["tier", "required", "done", "percent"],
                      rows, frozenset({1, 2, 3}))
    words = "; ".join(f"{r[0]}: {r[3] or 'none required'}" for r in rows)
    return _figure("controls", "Control completion by tier", f"{words or 'no tiers'}.",
                   16 + max(len(rows), 1) * ROW, "".join(parts),
                   "Control completion by tier: required controls done, of all required.", alt)
