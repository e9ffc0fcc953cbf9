"""Issue 13's acceptance for the HTML page, in headless Chromium: it opens with a clean
console and no request beyond itself, its four charts and their text alternatives are
there, its tables sort and filter, it prints to PDF, and hostile text stays text.

Chromium is Debian's ``chromium`` package (``.ci/run`` installs it). Without it these tests
skip, unless ``AIPOLICY_REQUIRE_CHROMIUM`` is set (as in CI): then they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aipolicy.reporters.portfolio import html as page
from helpers.chromium import REQUIRE, Chromium, binary
from helpers.portfolio_dict import portfolio

from .test_html import HOSTILE


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    found = binary()
    if found is None:
        if os.environ.get(REQUIRE):
            pytest.fail(f"{REQUIRE} is set but there is no chromium (apt-get install chromium)")
        pytest.skip(f"no chromium installed (apt-get install chromium; {REQUIRE}=1 makes "
                    "this a failure)")
    with Chromium(found) as chromium:
        yield chromium


def _write(tmp: Path, name: str, text: str) -> str:
    file = tmp / name
    file.write_text(text, encoding="utf-8")
    return file.as_uri()


def _open(browser: Chromium, url: str) -> list[dict[str, Any]]:
    """Open ``url``; the events it caused."""
    since = len(browser.events)
    browser.open(url)
    return browser.events[since:]


def _complaints(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if e.get("method") in (
        "Runtime.consoleAPICalled", "Runtime.exceptionThrown", "Log.entryAdded")]


def _requests(events: list[dict[str, Any]]) -> list[str]:
    return [e["params"]["request"]["url"] for e in events
            if e.get("method") == "Network.requestWillBeSent"]


CHARTS = """[...document.querySelectorAll('figure')].map(f => {
  const s = f.querySelector('svg[role=img]'), next = f.nextElementSibling;
  const text = (e, q) => (e && e.querySelector(q)) ? e.querySelector(q).textContent : '';
  const ids = s ? (s.getAttribute('aria-labelledby') || '').split(' ') : [];
  return {id: f.id, title: text(s, 'title'), desc: text(s, 'desc'),
          labelled: ids.length === 2 && ids.every(i => document.getElementById(i) !== null),
          caption: text(f, 'figcaption'),
          alt: next && next.matches('table.alt') ? next.tBodies[0].rows.length : -1,
          drawn: s ? s.querySelectorAll('rect,line').length : 0};
})"""


def test_the_page_opens_with_no_error_and_no_request_beyond_itself(
        browser: Chromium, tmp_path: Path) -> None:
    url = _write(tmp_path, "portfolio.html", page.render(portfolio(60, changes=True)))
    events = _open(browser, url)
    assert _complaints(events) == []
    assert _requests(events) == [url]
    assert all(u == url or u.startswith("data:") for u in _requests(browser.events))
    shot = tmp_path / "shot.png"
    browser.screenshot(shot, width=1200, height=900)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000


def test_the_four_charts_are_there_with_their_text_alternatives(
        browser: Chromium, tmp_path: Path) -> None:
    _open(browser, _write(tmp_path, "charts.html", page.render(portfolio(60))))
    charts = browser.evaluate(CHARTS)
    assert [c["id"] for c in charts] == ["chart-tiers", "chart-units", "chart-expiry",
                                         "chart-controls"]
    for chart in charts:
        assert chart["title"], chart
        assert chart["desc"], chart
        assert chart["labelled"], chart
        assert chart["caption"], chart
        assert chart["alt"] > 0, chart
        assert chart["drawn"] > 0, chart


ROWS = "[...document.querySelector('#use-cases tbody').rows]"


def _click(browser: Chromium, selector: str) -> None:
    box = browser.evaluate(f"(() => {{const r = document.querySelector({selector!r})"
                           ".getBoundingClientRect(); return [r.x + r.width / 2, "
                           "r.y + r.height / 2]})()")
    for kind in ("mousePressed", "mouseReleased"):
        browser.call("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1],
                                                  "button": "left", "clickCount": 1})


def test_a_header_click_sorts_and_the_filter_box_filters(
        browser: Chromium, tmp_path: Path) -> None:
    p = portfolio(60)
    _open(browser, _write(tmp_path, "sort.html", page.render(p)))
    header = "#use-cases thead th:nth-child(11)"  # open findings, a number
    browser.evaluate(f"document.querySelector({header!r}).scrollIntoView()")
    _click(browser, header)
    assert browser.evaluate(f"document.querySelector({header!r}).getAttribute('aria-sort')") \
        == "ascending"
    shown = browser.evaluate(f"{ROWS}.map(r => +r.cells[10].textContent)")
    assert shown == sorted(uc["open_findings"] for uc in p["use_cases"])
    _click(browser, header)
    shown = browser.evaluate(f"{ROWS}.map(r => +r.cells[10].textContent)")
    assert shown == sorted((uc["open_findings"] for uc in p["use_cases"]), reverse=True)

    box = "#use-cases .tools input"
    browser.evaluate(f"document.querySelector({box!r}).scrollIntoView()")
    _click(browser, box)
    browser.call("Input.insertText", {"text": "human resources"})
    visible = browser.evaluate(f"{ROWS}.filter(r => !r.hidden).map(r => r.cells[2].textContent)")
    assert visible == ["Human Resources"] * sum(
        1 for uc in p["use_cases"] if uc["business_unit"] == "Human Resources")
    assert browser.evaluate("document.querySelector('#use-cases .count').textContent") \
        == f"{len(visible)} of 60 rows"


def test_without_scripts_every_row_is_there_and_no_control_is(
        browser: Chromium, tmp_path: Path) -> None:
    url = _write(tmp_path, "noscript.html", page.render(portfolio(30)))
    browser.call("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        _open(browser, url)
    finally:
        browser.call("Emulation.setScriptExecutionDisabled", {"value": False})
    # Runtime.evaluate still runs with page scripts off
    assert browser.evaluate(f"{ROWS}.length") == 30
    assert browser.evaluate("document.querySelectorAll('.tools').length") == 0
    assert browser.evaluate("document.querySelectorAll('figure svg').length") == 4


def test_the_page_prints_to_pdf_without_its_controls(browser: Chromium, tmp_path: Path) -> None:
    _open(browser, _write(tmp_path, "print.html", page.render(portfolio(60, changes=True))))
    browser.call("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        hidden = browser.evaluate("[...document.querySelectorAll('.tools')]"
                                  ".every(e => getComputedStyle(e).display === 'none')")
        breaks = browser.evaluate("getComputedStyle(document.querySelector('#approvals'))"
                                  ".breakBefore")
    finally:
        browser.call("Emulation.setEmulatedMedia", {"media": ""})
    assert hidden is True
    assert breaks == "page"
    pdf = browser.pdf()
    assert pdf[:5] == b"%PDF-"
    assert len(pdf) > 10_000


PROBE = "typeof window.__pwned"
COUNT = "document.getElementsByTagName('*').length"


def test_hostile_text_makes_no_element_and_runs_nothing(
        browser: Chromium, tmp_path: Path) -> None:
    _open(browser, _write(tmp_path, "plain.html",
                          page.render(portfolio(20, hostile="x", changes=True))))
    plain = browser.evaluate(COUNT)
    events = _open(browser, _write(tmp_path, "hostile.html",
                                   page.render(portfolio(20, hostile=HOSTILE, changes=True))))
    assert browser.evaluate(PROBE) == "undefined"
    assert _complaints(events) == []
    assert [u for u in _requests(events) if not u.endswith("/hostile.html")] == []
    assert browser.evaluate(COUNT) == plain
    assert browser.evaluate("document.querySelectorAll('img,iframe,object,embed').length") == 0
    assert browser.evaluate("document.scripts.length") == 1


def test_the_content_policy_would_stop_a_script_that_got_in(
        browser: Chromium, tmp_path: Path) -> None:
    """The second line of defence: markup that escaped its cell still could not run."""
    text = page.render(portfolio(5)).replace(
        "<main>", '<main><script>window.__pwned=1</script><img src="x" '
        'onerror="window.__pwned=2"><svg><script>window.__pwned=3</script></svg>', 1)
    events = _open(browser, _write(tmp_path, "injected.html", text))
    assert browser.evaluate(PROBE) == "undefined"
    # Chromium reports each blocked script, and the image the policy did not let it load
    assert _complaints(events) != []
    image = [e["params"]["requestId"] for e in events
             if e.get("method") == "Network.requestWillBeSent"
             and e["params"]["request"]["url"].endswith("/x")]
    blocked = {e["params"]["requestId"]: e["params"].get("blockedReason") for e in events
               if e.get("method") == "Network.loadingFailed"}
    assert len(image) == 1
    assert blocked.get(image[0]) == "csp"


def test_the_report_command_s_page_opens_clean_with_its_four_charts(
        browser: Chromium, tmp_path: Path) -> None:
    """The page ``aipolicy report --format html`` writes for a generated portfolio (the
    examples, varied copies, waivers in every state): clean console, no request, the four
    charts drawn with their text alternatives, a screenshot, a PDF."""
    from helpers.paths import run_cli
    from helpers.portfolio import AS_OF, write

    repo = write(tmp_path / "repo")
    r = run_cli("report", "--as-of", AS_OF, "--jobs", "1", "--format", "html", "-o",
                str(tmp_path / "report.html"), cwd=repo)
    assert (r.exit_code, r.stderr) == (1, "")
    url = (tmp_path / "report.html").as_uri()
    events = _open(browser, url)
    assert _complaints(events) == []
    assert _requests(events) == [url]
    charts = browser.evaluate(CHARTS)
    assert [c["id"] for c in charts] == ["chart-tiers", "chart-units", "chart-expiry",
                                         "chart-controls"]
    assert all(c["alt"] > 0 and c["drawn"] > 0 and c["desc"] for c in charts), charts
    shot = tmp_path / "shot.png"
    browser.screenshot(shot, width=1200, height=900)
    assert shot.stat().st_size > 10_000
    assert browser.pdf()[:5] == b"%PDF-"
