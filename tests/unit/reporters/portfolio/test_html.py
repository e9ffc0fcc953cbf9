"""Issue 13, the portfolio's HTML page: self-contained, deterministic, bounded, and inert
whatever the submissions hold (the browser's view of the same page is test_html_browser)."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aipolicy.reporters.portfolio import html as page
from aipolicy.reporters.portfolio import svg
from aipolicy.reporters.portfolio._assets import CSP, CSS, JS
from aipolicy.reporters.portfolio._markup import MAX_CELL, MAX_ROWS, text_of
from helpers.portfolio_dict import portfolio

#: Text that would be markup, script, a closed SVG, a broken attribute or a terminal
#: escape if any of it reached the page raw.
HOSTILE = ('<script>window.__pwned=1</script></svg></table><img src=x '
           'onerror="window.__pwned=1">"\'`&amp;\x1b[31m\u202e' + "N" * 10_000)


class Tags(HTMLParser):
    """The start tags of a page, in order, with their attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in = tag

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self.styles.append(data)
        elif self._in == "script":
            self.scripts.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in = None


def parse(text: str) -> Tags:
    parser = Tags()
    parser.feed(text)
    parser.close()
    return parser


def _digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_the_same_portfolio_gives_the_same_bytes() -> None:
    assert page.render(portfolio(40, changes=True)) == page.render(portfolio(40, changes=True))


def test_the_policy_admits_exactly_the_pages_own_style_and_script() -> None:
    text = page.render(portfolio(12))
    tags = parse(text)
    assert tags.styles == [CSS]
    assert tags.scripts == [JS]
    metas = [dict(a) for t, a in tags.tags if t == "meta"]
    policy = next(m["content"] for m in metas if m.get("http-equiv") == "Content-Security-Policy")
    assert policy == CSP
    assert "default-src 'none'" in policy
    assert f"style-src {_digest(CSS)};" in policy
    assert f"script-src {_digest(JS)};" in policy
    assert "unsafe" not in policy


def test_the_page_refers_to_nothing_outside_itself() -> None:
    text = page.render(portfolio(30, changes=True))
    tags = parse(text)
    attributes = {name for _, attrs in tags.tags for name, _ in attrs}
    assert attributes.isdisjoint({"src", "href", "srcset", "action", "style", "background",
                                  "poster", "data", "formaction"})
    assert not [a for a in attributes if a.startswith("on")]
    assert "url(" not in CSS
    assert "@import" not in CSS
    # the SVG namespace is a name, not a request
    assert re.findall(r"https?://[^\"' ]+", text) == ["http://www.w3.org/2000/svg"] * 4
    assert {t for t, _ in tags.tags} <= {
        "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p",
        "main", "section", "ul", "li", "b", "div", "figure", "svg", "desc", "rect", "text",
        "line", "figcaption", "table", "caption", "thead", "tbody", "tr", "th", "td", "span",
        "script"}


def test_each_chart_is_a_labelled_figure_with_a_text_alternative() -> None:
    text = page.render(portfolio(30))
    for key in ("tiers", "units", "expiry", "controls"):
        found = re.search(
            rf'<figure id="chart-{key}"><svg role="img" aria-labelledby="{key}-t {key}-d" .*?'
            rf'<title id="{key}-t">[^<]+</title><desc id="{key}-d">[^<]+</desc>.*?</svg>'
            rf"<figcaption>.+?</figcaption></figure>\n<table class=\"alt\"><caption>",
            text, re.S)
        assert found, key


def test_every_section_is_there_and_changes_only_when_compared() -> None:
    ids = ["headline", "attention", "approvals", "exceptions", "reviews", "ownership",
           "controls", "escalation", "use-cases"]
    plain = page.render(portfolio(12))
    assert re.findall(r'<section id="([^"]+)"', plain) == ids
    compared = page.render(portfolio(12, changes=True))
    assert re.findall(r'<section id="([^"]+)"', compared) == [*ids, "changes"]
    assert "Reviews became overdue" in compared
    assert "W-NEW" in compared


def test_an_empty_portfolio_is_a_page_that_says_none() -> None:
    text = page.render(portfolio(0))
    assert text.count("<figure ") == 4
    assert "no use cases" in text
    assert text.count('class="none"') >= 6


def test_every_use_case_is_a_row_and_the_numbers_are_the_dicts() -> None:
    p = portfolio(25)
    text = page.render(p)
    body = text.split('<section id="use-cases"', 1)[1]
    assert body.count("<tr><td>UC-") == 25
    for uc in p["use_cases"][:5]:
        assert (f"<tr><td>{uc['use_case_id']}<td>{uc['title']}<td>{uc['business_unit']}"
                in body)
    counts = text.split('<ul class="cards">', 1)[1].split("</ul>", 1)[0]
    assert f"<li><b>{p['summary']['use_cases']}</b>use cases" in counts
    assert f"<li><b>{p['summary']['by_status']['fail']}</b>fail" in counts


def _shape(text: str) -> list[str]:
    return [tag for tag, _ in parse(text).tags]


def test_hostile_text_everywhere_adds_no_element_and_no_script() -> None:
    hostile = page.render(portfolio(20, hostile=HOSTILE, changes=True))
    plain = page.render(portfolio(20, hostile="x", changes=True))
    assert _shape(hostile) == _shape(plain)
    assert hostile.count("<script") == 1
    assert "__pwned" in hostile  # shown, as text
    assert "<img" not in hostile
    assert "\x1b" not in hostile
    assert "\u202e" not in hostile
    assert "N" * (MAX_CELL + 1) not in hostile


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_any_business_unit_or_title_is_text(value: str) -> None:
    def named(name: str) -> dict[str, Any]:
        p = portfolio(3)
        for uc in p["use_cases"]:
            uc["title"] = uc["business_unit"] = name
        p["summary"]["by_business_unit"] = {name: {"use_cases": 3, "by_status": {"fail": 3},
                                                   "by_tier": {}}}
        return p

    assert _shape(page.render(named(value))) == _shape(page.render(named("x")))


def test_5000_use_cases_stay_under_3_mb() -> None:
    size = len(page.render(portfolio(5000)).encode())
    assert size < 3_000_000


def test_long_lists_are_cut_and_counted_except_the_use_cases() -> None:
    p = portfolio(10)
    p["exceptions"] = [dict(p["exceptions"][0], id=f"W-{i}") for i in range(MAX_ROWS + 5)]
    text = page.render(p)
    assert "5 more rows are left out of this page" in text
    assert f"W-{MAX_ROWS + 4}<" not in text


def _axis_days(figure: str) -> list[int]:
    return [int(v) for v in re.findall(r'text-anchor="middle">(-?\d+)</text>', figure)]


@pytest.mark.parametrize(("days", "width"), [([3, 10], 1), ([-20, 100], 7), ([-300, 600], 60)])
def test_the_expiry_timeline_picks_bins_that_fit(days: list[int], width: int) -> None:
    exceptions: list[dict[str, Any]] = [{"days_to_expiry": d} for d in days]
    figure = svg.expiry(exceptions)
    assert f"bins of {width} day" in figure
    ticks = _axis_days(figure)
    assert ticks == sorted(ticks)
    assert ticks[0] <= min([*days, 0])
    assert ('class="expired"' in figure) == (min(days) < 0)


def test_the_expiry_timeline_counts_dates_past_its_ends_at_its_edges() -> None:
    figure = svg.expiry([{"days_to_expiry": -5000}, {"days_to_expiry": 9000},
                         {"days_to_expiry": None}])
    assert "3 exceptions, 1 expired, 1 not yet" in figure
    assert "1 exceptions have no expiry date" in figure


def test_many_business_units_are_drawn_as_the_largest_and_the_rest() -> None:
    units = {f"BU {i:03d}": {"use_cases": i, "by_status": {"pass": i}} for i in range(50)}
    figure = svg.units(units)
    assert figure.count('<rect class="pass"') == svg.MAX_UNITS - 1 + 1
    assert "21 other units" in figure
    # the text alternative still lists every unit
    assert figure.count("<tr><td>BU ") == 50


@pytest.mark.parametrize(("value", "shown"), [
    (None, "—"), ([], "—"), (True, "yes"), (77.5, "77.5"), (3, "3"),
    ({"name": "Ana", "email": "ana@x.example"}, "Ana <ana@x.example>"),
    ({"name": "Ana", "email": None}, "Ana"),
    ({"team": "ops", "contact": "#ops"}, "ops <#ops>"),
    ([{"field": "f", "title": "Is it used at work?", "why": "w", "article": "Art. 5(1)(f)"},
      {"title": "Is it a safety component?"}],
     "Is it used at work? (Art. 5(1)(f)); Is it a safety component?"),
    (["dpo", "ai_risk_committee"], "dpo, ai_risk_committee"),
])
def test_a_value_shows_as_the_words_a_reader_expects(value: Any, shown: str) -> None:
    assert text_of(value) == shown
