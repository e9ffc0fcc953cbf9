"""Waiver files: the format, its messages (file:line, the field's title, the value) and
the schema ``aipolicy schema waiver`` prints."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from aipolicy.errors import ConfigError
from aipolicy.waivers.load import load_waivers
from aipolicy.waivers.model import waiver_json_schema

GOOD = """\
id: WVR-1
rule: AIP003
use_case_id: HR-0042
owner: {name: Jane Roe, email: jane.roe@example.com}
approver: {name: Risk Committee, email: risk@example.com}
justification: Bias audit booked; pilot limited to one region.
ticket: RISK-101
granted: 2026-11-01
expires: 2027-01-31
"""


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def _error(path: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load_waivers(path)
    return str(caught.value)


def test_one_waiver_a_file(tmp_path: Path) -> None:
    [file] = load_waivers(_write(tmp_path, "w.yaml", GOOD))
    [loaded] = file.waivers
    assert loaded.line == 1
    assert loaded.waiver.expires == dt.date(2027, 1, 31)
    assert file.digest.startswith("sha256:")


def test_a_list_under_waivers_gives_each_its_line(tmp_path: Path) -> None:
    second = GOOD.replace("WVR-1", "WVR-2")
    text = "waivers:\n" + "".join(
        "  - " + "\n    ".join(w.rstrip("\n").split("\n")) + "\n" for w in (GOOD, second))
    [file] = load_waivers(_write(tmp_path, "w.yaml", text))
    assert [(w.waiver.id, w.line) for w in file.waivers] == [("WVR-1", 2), ("WVR-2", 11)]


def test_an_unknown_key_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "w.yaml", GOOD + "colour: red\n")
    assert _error(path).startswith(f"{path}:10:1: waiver WVR-1: unknown key 'colour'")


def test_a_bad_date_names_the_field_and_the_value(tmp_path: Path) -> None:
    path = _write(tmp_path, "w.yaml", GOOD.replace("2027-01-31", "2027-02-30"))
    assert _error(path) == (f"{path}:9:1: waiver WVR-1: Expires on: must be a date written "
                            "YYYY-MM-DD, such as 2027-01-31 (given: 2027-02-30)")


def test_a_number_is_no_date(tmp_path: Path) -> None:
    path = _write(tmp_path, "w.yaml", GOOD.replace("2026-11-01", "20261101"))
    assert "Granted on: must be a date written YYYY-MM-DD" in _error(path)


def test_a_bad_email_and_a_missing_key(tmp_path: Path) -> None:
    text = GOOD.replace("risk@example.com", "risk at example").replace("ticket: RISK-101\n", "")
    path = _write(tmp_path, "w.yaml", text)
    assert _error(path) == (f"{path}:1:1: waiver WVR-1: Ticket (ticket) is missing; add it "
                            "(and 1 more problem in this file, at line 5)")
    fixed = _write(tmp_path, "w.yaml", text + "ticket: T-1\n")
    assert _error(fixed) == (f"{fixed}:5:34: waiver WVR-1: Approver › E-mail: must be an "
                             "e-mail address, such as jane.doe@example.com (given: risk at "
                             "example)")


def test_expiry_before_grant_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "w.yaml", GOOD.replace("2027-01-31", "2026-10-01"))
    assert "expires (2026-10-01) is before granted (2026-11-01)" in _error(path)


def test_two_waivers_with_one_id_is_an_error_naming_both(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", GOOD)
    second = _write(tmp_path, "b.yaml", GOOD.replace("HR-0042", "HR-0043"))
    message = _error(str(tmp_path))
    assert message.startswith(f"{second}:1: waiver id 'WVR-1' is used twice (first at ")
    assert "a.yaml:1)" in message


@pytest.mark.parametrize("text", ["- " + GOOD.replace("\n", "\n  "), "just text\n"])
def test_a_file_that_is_not_a_mapping_is_an_error(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, "w.yaml", text)
    assert _error(path).startswith(f"{path}:1: a waiver file holds one waiver")


def test_an_empty_file_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "w.yaml", "")
    assert _error(path) == (f"{path}:1: cannot read the waiver file: the file is empty: "
                            "it has no YAML content")


def test_unreadable_yaml_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "w.yaml", "id: [WVR-1\n")
    assert _error(path).startswith(f"{path}:1:")


def test_a_missing_path_is_an_error() -> None:
    assert _error("no/such/waivers") == "no/such/waivers: no such waiver file or directory"


def test_the_schema_accepts_a_waiver_and_refuses_a_typo() -> None:
    import jsonschema
    import yaml

    schema = waiver_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    good = yaml.safe_load(GOOD.replace("2026-11-01", "'2026-11-01'")
                          .replace("2027-01-31", "'2027-01-31'"))
    assert list(validator.iter_errors(good)) == []
    assert list(validator.iter_errors({"waivers": [good]})) == []
    assert list(validator.iter_errors({**good, "colour": "red"})) != []


def test_a_file_read_again_comes_from_the_cache_the_same(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import aipolicy.waivers.load as load

    monkeypatch.setenv("AIPOLICY_CACHE_DIR", str(tmp_path / "cache"))
    path = _write(tmp_path, "w.yaml", GOOD.replace("expires: 2027-01-31",
                                                   "expires: 2027-01-31\ncontrol: CTRL-FRIA"))
    first = load_waivers(path)

    def refuse(_doc: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(load, "parse_waivers", refuse)
    assert load_waivers(path) == first  # a hit: neither YAML nor pydantic
    for entry in (tmp_path / "cache" / "waivers").iterdir():
        entry.write_text('{"format": 1, "waivers": [{"id": 3}]}')
    monkeypatch.undo()
    monkeypatch.setenv("AIPOLICY_CACHE_DIR", str(tmp_path / "cache"))
    assert load_waivers(path) == first  # a damaged entry is a miss
