"""Drift: what changed between two portfolios (``report --compare-to``).

A pure function of two portfolio dicts (see ``portfolio/build.py``): the "then" one built
from the JSON report of an old git revision or of decision records, the "now" one from
this run. Use cases are matched by their use case id (a file that could not be read, which
has none, by its file). Every list is sorted and each item is small: the use case id and
the few facts that say what changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

#: The stage value that counts as retired: a use case now at it (and not then) is listed
#: among ``use_cases_retired``, as one no longer in the tree is.
RETIRED_STAGE = "retired"

#: The keys of the changes dict, in order (docs/report.md describes each).
KEYS = ("since", "tier_mix", "use_cases_added", "use_cases_retired", "exceptions_new",
        "exceptions_closed", "reviews_became_overdue", "controls_completed",
        "status_changed")

#: Control ids done, per use case id: what :func:`controls_done` gives for a JSON report.
Done = Mapping[str, Iterable[str]]


def compare(then: Mapping[str, Any], now: Mapping[str, Any], *,
            since: Mapping[str, Any],
            done: tuple[Done, Done] | None = None) -> dict[str, Any]:
    """The changes from portfolio ``then`` to portfolio ``now``.

    ``since`` says what ``then`` is (``{"kind": "revision" | "records", "ref", "as_of"}``);
    ``done`` the controls done per use case then and now (:func:`controls_done` of each
    side's JSON report), from which ``controls_completed`` is made (empty without it).
    """
    then_cases = _by_key(then.get("use_cases", ()))
    now_cases = _by_key(now.get("use_cases", ()))
    both = sorted(then_cases.keys() & now_cases.keys())
    return {
        "since": dict(since),
        "tier_mix": tier_mix(then, now),
        "use_cases_added": _sorted(_case_item(now_cases[k]) for k in now_cases
                                   if k not in then_cases),
        "use_cases_retired": _sorted(_retired(then_cases, now_cases)),
        "exceptions_new": _exceptions_new(then, now),
        "exceptions_closed": _exceptions_closed(then, now),
        "reviews_became_overdue": _became_overdue(then, now, then_cases),
        "controls_completed": _completed(done, both, then_cases) if done else [],
        "status_changed": _sorted(
            {"use_case_id": now_cases[k].get("use_case_id"), "file": now_cases[k].get("file"),
             "then": then_cases[k].get("status"), "now": now_cases[k].get("status")}
            for k in both if then_cases[k].get("status") != now_cases[k].get("status")),
    }


def controls_done(report: Mapping[str, Any]) -> dict[str, list[str]]:
    """The ids of the controls each use case of a ``check --format json`` report has done
    (its evidence satisfies the control at the use case's stage), by use case key."""
    out: dict[str, list[str]] = {}
    for result in report.get("results", ()):
        ids = sorted(str(c.get("id")) for c in result.get("controls", ())
                     if c.get("satisfied") is True)
        out[_key(result)] = ids
    return out


def tier_mix(then: Mapping[str, Any], now: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """Use cases per tier then and now: every tier of either side, in the order of now's
    ``summary.by_tier`` (the pack's tier scale) and then those only then had."""
    before = _by_tier(then)
    after = _by_tier(now)
    tiers = list(after) + [t for t in before if t not in after]
    return {t: {"then": before.get(t, 0), "now": after.get(t, 0),
                "delta": after.get(t, 0) - before.get(t, 0)} for t in tiers}


def is_empty(changes: Mapping[str, Any]) -> bool:
    """Whether ``changes`` lists nothing: no tier moved, every list empty."""
    return (all(row["delta"] == 0 for row in changes["tier_mix"].values())
            and not any(changes[k] for k in KEYS[2:]))


# ----------------------------------------------------------------------------- the parts


def _key(row: Mapping[str, Any]) -> str:
    uid = row.get("use_case_id")
    return f"id:{uid}" if uid is not None else f"file:{row.get('file')}"


def _by_key(rows: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {_key(row): row for row in rows}


def _by_tier(portfolio: Mapping[str, Any]) -> dict[str, int]:
    summary = portfolio.get("summary") or {}
    return {str(t): int(n) for t, n in (summary.get("by_tier") or {}).items()}


def _sort_key(item: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple("" if item.get(k) is None else str(item.get(k))
                 for k in ("use_case_id", "file", "id", "control"))


def _sorted(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=_sort_key)


def _case_item(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: row.get(k) for k in ("use_case_id", "file", "title", "business_unit",
                                    "stage", "tier", "status")}


def _retired(then_cases: Mapping[str, Mapping[str, Any]],
             now_cases: Mapping[str, Mapping[str, Any]]) -> Iterable[dict[str, Any]]:
    for key, row in then_cases.items():
        now_row = now_cases.get(key)
        if now_row is None:
            yield {**_case_item(row), "reason": "removed"}
        elif now_row.get("stage") == RETIRED_STAGE and row.get("stage") != RETIRED_STAGE:
            yield {**_case_item(now_row), "reason": "retired"}


def _exception_key(row: Mapping[str, Any]) -> tuple[str, str]:
    return (str(row.get("id")), str(row.get("use_case_id")))


def _exception_item(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: row.get(k) for k in ("id", "use_case_id", "rule", "control", "expires",
                                    "state")}


def _exceptions_new(then: Mapping[str, Any], now: Mapping[str, Any]) -> list[dict[str, Any]]:
    seen = {_exception_key(row) for row in then.get("exceptions", ())}
    return _sorted(_exception_item(row) for row in now.get("exceptions", ())
                   if _exception_key(row) not in seen)


def _exceptions_closed(then: Mapping[str, Any],
                       now: Mapping[str, Any]) -> list[dict[str, Any]]:
    current = {_exception_key(row): row for row in now.get("exceptions", ())}
    out = []
    for row in then.get("exceptions", ()):
        now_row = current.get(_exception_key(row))
        if now_row is None:
            out.append({**_exception_item(row), "reason": "removed"})
        elif now_row.get("state") == "expired" and row.get("state") != "expired":
            out.append({**_exception_item(now_row), "reason": "expired"})
    return _sorted(out)


def _became_overdue(then: Mapping[str, Any], now: Mapping[str, Any],
                    then_cases: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Reviews overdue now that were not then, of use cases there were then (a use case
    added since is among ``use_cases_added``, whatever its review)."""
    was = {_key(row) for row in then.get("reviews", ()) if row.get("state") == "overdue"}
    return _sorted(
        {k: row.get(k) for k in ("use_case_id", "file", "next_review_due", "days_until")}
        for row in now.get("reviews", ())
        if row.get("state") == "overdue" and _key(row) not in was
        and _key(row) in then_cases)


def _completed(done: tuple[Done, Done], keys: Sequence[str],
               then_cases: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    before, after = done
    out = []
    for key in keys:
        had = set(before.get(key, ()))
        uid = then_cases[key].get("use_case_id")
        out += [{"use_case_id": uid, "control": c} for c in sorted(set(after.get(key, ())))
                if c not in had]
    return _sorted(out)
