"""Reading files: YAML 1.2 scalars, line marks, and every way a file can be bad."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aipolicy.errors import SourceError
from aipolicy.sources.discovery import iter_documents
from aipolicy.sources.documents import load_document, parse_document
from aipolicy.sources.files import Limits
from aipolicy.sources.yaml12 import parse_yaml


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("v: yes", "yes"),
        ("v: no", "no"),
        ("v: on", "on"),
        ("v: Off", "Off"),
        ("v: true", True),
        ("v: False", False),
        ("v: 2027-01-31", "2027-01-31"),
        ("v: 2027-01-31T10:00:00", "2027-01-31T10:00:00"),
        ("v: 1e25", 1e25),
        ("v: 3.2", 3.2),
        ("v: 12", 12),
        ("v: -7", -7),
        ("v: 0x1f", 31),
        ("v: 0o17", 15),
        ("v: 012", 12),
        ("v: '12'", "12"),
        ('v: "true"', "true"),
        ("v: ~", None),
        ("v: null", None),
        ("v:", None),
        ("v: .inf", ".inf"),
        ("v: 1_000", "1_000"),
        ("v: !!str 12", "12"),
        ("v: !!int '12'", 12),
        ("v: !!float 1", 1.0),
        ("v: [a, 'b', 3]", ["a", "b", 3]),
        ("v: {k: v}", {"k": "v"}),
        ("v: |\n  two\n  lines\n", "two\nlines\n"),
        ("1: a", "__key__"),
    ],
)
def test_scalars_follow_yaml_1_2_core(text: str, expected: Any) -> None:
    data, _ = parse_yaml(text + "\n", "t.yaml")
    if expected == "__key__":
        assert data == {"1": "a"}  # keys are always text
    else:
        assert data == {"v": expected}


def test_line_index_points_at_keys_and_items() -> None:
    text = "a: 1\nb:\n  c: [x, y]\n  d:\n    - e: 1\n"
    data, lines = parse_yaml(text, "t.yaml")
    assert data == {"a": 1, "b": {"c": ["x", "y"], "d": [{"e": 1}]}}
    assert lines[("a",)] == (1, 1)
    assert lines[("b",)] == (2, 1)
    assert lines[("b", "c")] == (3, 3)
    assert lines[("b", "c", 1)] == (3, 10)
    assert lines[("b", "d", 0)] == (5, 7)
    assert lines[("b", "d", 0, "e")] == (5, 7)


def test_position_falls_back_to_nearest_ancestor(tmp_path: Path) -> None:
    f = tmp_path / "x.yaml"
    f.write_text("a: 1\nb:\n  c: 2\n")
    doc = load_document(str(f))
    assert doc.line_of(("b", "missing", "deeper")) == 2
    assert doc.line_of(("nothing",)) == 1
    assert doc.digest.startswith("sha256:")


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("a: 1\na: 2\n", 2, "duplicate key 'a' (first defined on line 1)"),
        ("a: !!python/object:os.system x\n", 1, "the YAML tag !!python/object:os.system"),
        ("a: !!python/name:os.system\n", 1, "!!python/name:os.system is not allowed"),
        ("a: !custom x\n", 1, "the YAML tag !custom is not allowed"),
        ("a: !!binary aGVsbG8=\n", 1, "!!binary is not allowed"),
        ("a: !!set {x}\n", 1, "!!set is not allowed"),
        ("a: b\n---\nc: d\n", 2, "more than one YAML document"),
        ("", 1, "the file is empty"),
        ("# only a comment\n", 1, "the file is empty"),
        ("~\n", 1, "the file is empty"),
        ("a: [1, 2\n", 1, "not valid YAML"),  # the line of the [ never closed
        ("a: b: c\n", 1, "not valid YAML"),
        ("<<: {a: 1}\n", 1, "merge keys (<<) are not supported"),
        ("a: *nowhere\n", 1, "unknown alias *nowhere"),
        ("? [a]\n: b\n", 1, "a mapping key must be a plain text value"),
        ("a: !!int x\n", 1, "'x' is not a valid !!int"),
    ],
)
def test_bad_yaml_is_one_error_with_its_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(SourceError) as info:
        parse_yaml(text, "bad.yaml")
    assert fragment in info.value.message
    assert info.value.location is not None
    assert info.value.location.line == line
    assert str(info.value).startswith(f"bad.yaml:{line}")


def test_alias_expansion_is_bounded() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i, name in enumerate("bcdefg"):
        prev = "abcdefg"[i]
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    with pytest.raises(SourceError, match="expands to more than"):
        parse_yaml("\n".join(lines) + "\n", "bomb.yaml")


def test_small_aliases_are_fine() -> None:
    data, _ = parse_yaml("a: &p {name: x}\nb: *p\n", "t.yaml")
    assert data == {"a": {"name": "x"}, "b": {"name": "x"}}


def test_nesting_is_bounded() -> None:
    deep = "a: " + "[" * 100 + "]" * 100 + "\n"
    with pytest.raises(SourceError, match="nesting is deeper than 64"):
        parse_yaml(deep, "deep.yaml")
    data, _ = parse_yaml("a: " + "[" * 10 + "]" * 10 + "\n", "ok.yaml")
    assert isinstance(data["a"], list)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"a: \xff\xfe\n", "not UTF-8"),
        (b"a: 1\x00\n", "NUL bytes"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "NUL bytes"),
    ],
)
def test_binary_and_non_utf8_files(tmp_path: Path, content: bytes, fragment: str) -> None:
    f = tmp_path / "bin.yaml"
    f.write_bytes(content)
    with pytest.raises(SourceError, match=fragment):
        load_document(str(f))


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    f = tmp_path / "bom.yaml"
    f.write_bytes("\ufeffa: é\n".encode())
    assert load_document(str(f)).data == {"a": "é"}


def test_size_limit(tmp_path: Path) -> None:
    f = tmp_path / "big.yaml"
    f.write_text("a: " + "x" * 2000 + "\n")
    with pytest.raises(SourceError, match="more than the limit of 1,000"):
        load_document(str(f), Limits(max_bytes=1000))


def test_directories_and_missing_files_are_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="is a directory"):
        load_document(str(tmp_path))
    with pytest.raises(SourceError, match="file not found"):
        load_document(str(tmp_path / "nope.yaml"))


def test_symlink_loop_is_an_error(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    with pytest.raises(SourceError, match="cannot read"):
        load_document(str(loop))


def test_iter_documents_walks_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text("a: 1\n")
    (tmp_path / "a.yml").write_text("a: 1\n")
    (tmp_path / "notes.txt").write_text("x\n")
    (tmp_path / ".hidden.yaml").write_text("a: 1\n")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "c.json").write_text('{"a": 1}\n')
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.yaml").write_text("a: 1\n")
    found = [Path(p).relative_to(tmp_path).as_posix() for p in iter_documents([str(tmp_path)])]
    assert found == ["a.yml", "b.yaml", "sub/c.json"]


def test_iter_documents_links_duplicates_and_exclusions(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "a.yaml").write_text("a: 1\n")
    (real / "form.json").write_text("{}\n")
    (tmp_path / "linked-dir").symlink_to(real, target_is_directory=True)  # not followed
    (tmp_path / "z-link.yaml").symlink_to(real / "a.yaml")  # the same file again
    (tmp_path / "dangling.yaml").symlink_to(tmp_path / "nowhere.yaml")  # kept: fails later
    found = [Path(p).relative_to(tmp_path).as_posix()
             for p in iter_documents([str(tmp_path)], exclude=[str(real / "form.json")])]
    assert found == ["dangling.yaml", "real/a.yaml"]
    again = list(iter_documents([str(real / "a.yaml"), str(tmp_path)]))
    assert again == [str(real / "a.yaml"), str(tmp_path / "dangling.yaml"),
                     str(real / "form.json")]


def test_json_files_parse_with_lines(tmp_path: Path) -> None:
    f = tmp_path / "x.json"
    f.write_text('{\n  "a": 1,\n  "b": [true, null]\n}\n')
    doc = load_document(str(f))
    assert doc.data == {"a": 1, "b": [True, None]}
    assert doc.line_of(("b",)) == 3


def test_json_that_yaml_refuses_is_read_as_json() -> None:
    data, lines = parse_yaml(r'{"a": "\u007f", "b": "\ud83d\ude00"}', "x.json")
    assert data == {"a": "\x7f", "b": "\U0001f600"}
    assert lines == {(): (1, 1)}
    with pytest.raises(SourceError, match="duplicate key 'a'"):
        parse_yaml('{"a": "\x7f", "a": 2}', "x.json")
    with pytest.raises(SourceError, match="not a JSON number"):
        parse_yaml('{"a": "\x7f", "b": NaN}', "x.json")


def test_control_characters_in_yaml_give_their_line() -> None:
    with pytest.raises(SourceError) as info:
        parse_yaml("a: 1\nb: \x7f\n", "x.yaml")
    assert info.value.location is not None
    assert info.value.location.line == 2


def test_a_quoted_double_angle_key_is_text_not_a_merge_key() -> None:
    """Only a plain << is YAML's merge key; "<<" in quotes (and any JSON key) is a name."""
    assert parse_document('{"a": {"<<": null}}', "x.json").data == {"a": {"<<": None}}
    assert parse_document("a:\n  '<<': 1\n", "x.yaml").data == {"a": {"<<": 1}}
    with pytest.raises(SourceError, match="merge keys"):
        parse_document("a: &x {b: 1}\nc:\n  <<: *x\n", "x.yaml")
