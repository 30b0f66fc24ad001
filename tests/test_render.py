"""render: the four formats, as strings."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from hpman_cst.index import index_source
from hpman_cst.registry import Registry, build_registry
from hpman_cst.render import display_path, render, stable_repr, unified_diff, value_text
from hpman_cst.serial import loads

SOURCE = """\
from m import _
a = _("lr", 0.1, help="rate")
b = _("act", make())
c = _("lr")
d = _("name", "sgd")
e = _("ids", {"b", "a", "c"})
f = _("bs")
"""


@pytest.fixture
def registry() -> Registry:
    return build_registry([index_source(SOURCE, "m.py")])


def test_value_text(registry: Registry) -> None:
    shown = {p.name: value_text(p) for p in registry.parameters}
    assert shown == {
        "act": "make()",
        "bs": "-",
        "ids": "{'a', 'b', 'c'}",
        "lr": "0.1",
        "name": "sgd",
    }


@pytest.mark.parametrize(
    ("value", "text"),
    [
        pytest.param({3, 1, 2}, "{1, 2, 3}", id="set"),
        pytest.param(set(), "set()", id="empty-set"),
        pytest.param(frozenset({"b", "a"}), "frozenset({'a', 'b'})", id="frozenset"),
        pytest.param((1,), "(1,)", id="one-tuple"),
        pytest.param([{2, 1}, ({"z", "y"},)], "[{1, 2}, ({'y', 'z'},)]", id="nested"),
        pytest.param({"k": {2, 1}}, "{'k': {1, 2}}", id="dict"),
    ],
)
def test_stable_repr(value: object, text: str) -> None:
    assert stable_repr(value) == text


def test_table(registry: Registry) -> None:
    lines = render(registry, "table", {}).splitlines()
    assert lines[0].split() == ["name", "type", "value", "defined", "at", "used", "at"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[2:]}
    assert rows["lr"] == ["float", "0.1", "m.py:2", "m.py:4"]
    assert rows["act"] == ["unknown", "make()", "m.py:3", "-"]
    assert rows["bs"] == ["missing", "-", "-", "m.py:7"]


def test_detail(registry: Registry) -> None:
    sources = {"m.py": SOURCE.splitlines()}
    out = render(registry.select(["lr"]), "detail", sources)
    assert out.startswith("All hyperparameters:\n    ['lr']\nDetails:\n")
    assert "occurrence[0]:" in out and "occurrence[1]:" in out
    assert '| ==> 2: a = _("lr", 0.1, help="rate")' in out
    assert "|     1: from m import _" in out


def test_detail_without_source_still_lists(registry: Registry) -> None:
    out = render(registry.select(["lr"]), "detail", {})
    assert "m.py:2" in out and "==>" not in out


def test_json(registry: Registry) -> None:
    document = json.loads(render(registry, "json", {}))
    by_name = {p["name"]: p for p in document["hyperparameters"]}
    assert by_name["ids"]["value"] == {"__set__": ["a", "b", "c"]}
    assert by_name["act"]["value"] is None and by_name["act"]["type"] == "unknown"
    assert by_name["bs"]["value"] is None and by_name["bs"]["type"] == "missing"
    assert by_name["lr"]["occurrences"][0] == {
        "path": "m.py",
        "line": 2,
        "column": 4,
        "end_line": 2,
        "end_column": 29,
        "default": "0.1",
        "hints": {"help": "rate"},
    }
    assert document["errors"] == []


def test_json_double_star_hints() -> None:
    reg = build_registry([index_source("_('a', 1, **{'help': 'x'})", "m.py")])
    document = json.loads(render(reg, "json", {}))
    assert document["hyperparameters"][0]["occurrences"][0]["hints"] == {"**": {"help": "x"}}


def test_yaml(registry: Registry) -> None:
    out = render(registry, "yaml", {})
    assert loads(out, "yaml") == {"ids": {"a", "b", "c"}, "lr": 0.1, "name": "sgd"}
    assert out.endswith(
        "# act: default is not a literal: make() (m.py:3)\n# bs: no default (m.py:7)\n"
    )


def test_yaml_odd_name_in_comment() -> None:
    reg = build_registry([index_source("_('a\\nb')", "m.py")])
    assert render(reg, "yaml", {}) == '{}\n# "a\\nb": no default (m.py:1)\n'


def test_empty_registry() -> None:
    empty = Registry()
    assert render(empty, "table", {}) == ""
    assert render(empty, "detail", {}) == ""
    assert render(empty, "yaml", {}) == "{}\n"  # as --hp-save writes no values
    assert json.loads(render(empty, "json", {})) == {"hyperparameters": [], "errors": []}


def test_unknown_format(registry: Registry) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render(registry, "xml", {})


@dataclass(frozen=True)
class _Rewritten:
    path: str
    old_text: str
    new_text: str


def test_unified_diff_paths_and_line_ends(tmp_path: Path) -> None:
    files = [
        _Rewritten(str(tmp_path / "pkg" / "a.py"), "x = 1\r\ny = 2\r\n", "x = 1\r\ny = 3\r\n"),
        _Rewritten(str(tmp_path / "b.py"), "z = 1", "z = 2"),
    ]
    assert unified_diff(files, str(tmp_path)) == (
        "--- a/pkg/a.py\n+++ b/pkg/a.py\n@@ -1,2 +1,2 @@\n x = 1\r\n-y = 2\r\n+y = 3\r\n"
        "--- a/b.py\n+++ b/b.py\n@@ -1 +1 @@\n"
        "-z = 1\n\\ No newline at end of file\n+z = 2\n\\ No newline at end of file\n"
    )


def test_unified_diff_of_nothing() -> None:
    assert unified_diff([]) == ""


def test_display_path(tmp_path: Path) -> None:
    assert display_path(str(tmp_path / "a" / "b.py"), str(tmp_path)) == "a/b.py"
    assert display_path(str(tmp_path / "b.py"), str(tmp_path / "a")) == "../b.py"
