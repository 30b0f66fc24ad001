"""`parse_file` and `parse_source`: which files are read, in which order, how they are
decoded, and which error each bad input raises (with path:line:column)."""

from __future__ import annotations

import os
import shutil
import traceback
import warnings
from pathlib import Path

import pytest

from hpman_cst import (
    ArgumentCountError,
    DoubleAssignmentException,
    HpmanError,
    HpmanSyntaxError,
    HyperParameterManager,
    ImpossibleTree,
    NotLiteralEvaluable,
    NotLiteralNameException,
    PathNotFound,
    SourceDecodeError,
    UnhashableLiteral,
)

RUNTIME = Path(__file__).resolve().parent.parent / "fixtures" / "runtime"
PROJECT = RUNTIME / "project"
ERRORS = RUNTIME / "errors"
UPDATE = os.environ.get("HPMAN_UPDATE_FIXTURES") == "1"


def manager() -> HyperParameterManager:
    return HyperParameterManager("_")


def parsed_paths(mgr: HyperParameterManager) -> list[str]:
    return sorted({r.path for r in mgr.get_occurrences()})


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A writable copy of fixtures/runtime/project."""
    copy = tmp_path / "project"
    shutil.copytree(PROJECT, copy)
    return copy


# -- what gets read ---------------------------------------------------------------------


def test_directory_is_expanded_to_python_files() -> None:
    mgr = manager().parse_file(str(PROJECT))
    assert set(mgr.get_values()) == {"epochs", "optim.lr", "model.depth", "model.width"}


def test_directory_order_is_sorted_files_then_breadth_first() -> None:
    mgr = manager().parse_file(str(PROJECT))
    assert list(mgr.get_values()) == ["model.depth", "model.width", "optim.lr", "epochs"]


@pytest.mark.parametrize(
    ("relative", "name"),
    [
        pytest.param("notes.txt", "notes", id="other-extension"),
        pytest.param(".hidden/secret.py", "hidden", id="hidden-folder"),
        pytest.param("model/.private.py", "private", id="hidden-file"),
    ],
)
def test_explicit_file_is_always_parsed(relative: str, name: str) -> None:
    assert name in manager().parse_file(str(PROJECT / relative)).get_values()


def test_explicit_hidden_folder_is_expanded() -> None:
    assert manager().parse_file(str(PROJECT / ".hidden")).get_values() == {"hidden": 1}


@pytest.mark.parametrize(
    "argument",
    [
        pytest.param(PROJECT, id="path-dir"),
        pytest.param([PROJECT / "train.py", PROJECT / "model"], id="list-of-paths"),
        pytest.param((str(PROJECT / "train.py"), str(PROJECT / "model")), id="tuple"),
    ],
)
def test_path_arguments(argument: object) -> None:
    mgr = manager().parse_file(argument)  # type: ignore[arg-type]
    assert set(mgr.get_values()) == {"epochs", "optim.lr", "model.depth", "model.width"}


def test_pathlib_file() -> None:
    mgr = manager().parse_file(PROJECT / "train.py")
    assert mgr.get_values() == {"optim.lr": 0.1, "epochs": 10}


def test_empty_list_is_a_no_op() -> None:
    mgr = manager()
    assert mgr.parse_file([]) is mgr
    assert mgr.get_values() == {}


@pytest.mark.parametrize("argument", [123, [123], {"a.py"}])
def test_non_path_argument_is_a_type_error(argument: object) -> None:
    with pytest.raises(TypeError):
        manager().parse_file(argument)  # type: ignore[arg-type]


def test_missing_path_raises_before_anything_is_parsed() -> None:
    mgr = manager()
    with pytest.raises(PathNotFound) as info:
        mgr.parse_file([str(PROJECT / "train.py"), "no/such/file.py"])
    assert isinstance(info.value, FileNotFoundError)
    assert str(info.value) == "no/such/file.py: no such file or directory"
    assert mgr.get_occurrences() == ()


def test_same_file_through_two_spellings_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(RUNTIME)
    mgr = manager().parse_file(["project", "./project/train.py", "project/../project"])
    # hpman_cst.discover's rule, as `hpman list`: the first spelling found, paths in order.
    assert [r.path for r in mgr.get_occurrences("epochs")] == ["project/train.py"]


def test_symlinked_folder_is_followed_but_read_once(project: Path) -> None:
    (project / "linked_model").symlink_to(project / "model", target_is_directory=True)
    mgr = manager().parse_file(str(project))
    assert parsed_paths(mgr) == [str(project / "model" / "net.py"), str(project / "train.py")]


def test_symlink_to_outside_folder_is_followed(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "extra.py").write_text("_('extra', 1)\n")
    (project / "ext").symlink_to(outside, target_is_directory=True)
    assert manager().parse_file(str(project)).get_value("extra") == 1


def test_symlink_cycle_terminates(project: Path) -> None:
    (project / "model" / "loop").symlink_to(project, target_is_directory=True)
    mgr = manager().parse_file(str(project))
    assert parsed_paths(mgr) == [str(project / "model" / "net.py"), str(project / "train.py")]


def test_reparsing_same_files_changes_nothing() -> None:
    mgr = manager().parse_file(PROJECT)
    records = mgr.get_occurrences()
    mgr.parse_file([PROJECT / "train.py", PROJECT])
    assert mgr.get_occurrences() == records


def test_changed_file_is_parsed_again(project: Path) -> None:
    mgr = manager().parse_file(project)
    (project / "train.py").write_text("_('optim.lr', 0.1)\n_('new', 1)\n")
    mgr.parse_file(project)
    assert mgr.get_value("new") == 1


def test_file_without_call_sites_is_not_parsed(tmp_path: Path) -> None:
    # The index's textual pre-check skips files that cannot contain `_(`; so a broken
    # file without hyper-parameters does not stop a run (hpman raised SyntaxError).
    (tmp_path / "py2.py").write_text("print 'hello'\n")
    (tmp_path / "ok.py").write_text("_('a', 1)\n")
    assert manager().parse_file(tmp_path).get_values() == {"a": 1}


def test_other_placeholder_reads_only_its_calls() -> None:
    mgr = HyperParameterManager("hp").parse_file(PROJECT)
    assert mgr.get_values() == {}


# -- decoding ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "name", "value"),
    [
        pytest.param("bom.py", "greeting", "héllo", id="utf8-bom"),
        pytest.param("latin1.py", "city", "Köln", id="latin1-cookie"),
        pytest.param("crlf.py", "crlf", [1, 2], id="crlf"),
    ],
)
def test_files_decode_as_python_does(file: str, name: str, value: object) -> None:
    assert manager().parse_file(RUNTIME / "encodings" / file).get_value(name) == value


def test_parse_source_accepts_bytes() -> None:
    source = b"# -*- coding: latin-1 -*-\n_('city', 'K\xf6ln')\n"
    assert manager().parse_source(source, "b.py").get_value("city") == "Köln"


def test_parse_source_filename_is_recorded() -> None:
    mgr = manager().parse_source("_('a', 1)", "my/file.py")
    occurrence = mgr.get_occurrence("a")
    assert occurrence is not None
    assert (occurrence.filename, occurrence.lineno) == ("my/file.py", 1)


def test_parse_source_default_filename() -> None:
    (record,) = manager().parse_source("_('a', 1)").get_occurrences()
    assert record.path == "<unknown>"


def test_parse_methods_return_self() -> None:
    mgr = manager()
    assert mgr.parse_source("_('a', 1)") is mgr
    assert mgr.parse_file(PROJECT) is mgr


# -- errors -----------------------------------------------------------------------------


ERROR_CASES = sorted(p for p in ERRORS.iterdir() if p.is_dir())


@pytest.mark.fixtures
@pytest.mark.parametrize("case", [pytest.param(p, id=p.name) for p in ERROR_CASES])
def test_parse_error(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case)
    mgr = manager()
    with pytest.raises(HpmanError) as info:
        mgr.parse_file(sorted(p.name for p in case.glob("*.py")))
    got = f"{type(info.value).__name__}\n{str(info.value).splitlines()[0]}\n"
    expected = case / "expected.txt"
    if UPDATE:
        expected.write_text(got)
    assert got == expected.read_text()
    assert (mgr.get_values(), mgr.get_occurrences()) == ({}, ())


@pytest.mark.parametrize(
    ("case", "builtin"),
    [
        pytest.param("syntax_error", SyntaxError, id="syntax"),
        pytest.param("undecodable", UnicodeError, id="decode"),
        pytest.param("unhashable_literal", TypeError, id="unhashable"),
        pytest.param("tree_then_leaf", ValueError, id="impossible-tree"),
    ],
)
def test_parse_errors_are_also_builtin_errors(case: str, builtin: type[Exception]) -> None:
    with pytest.raises(builtin):
        manager().parse_file(sorted((ERRORS / case).glob("*.py")))


@pytest.mark.parametrize(
    ("source", "error", "location"),
    [
        pytest.param("x = 1\n_('a', 1", HpmanSyntaxError, "t.py:2:", id="syntax"),
        pytest.param("f(_(name))", NotLiteralNameException, "t.py:1:3", id="name"),
        pytest.param("\nx = _('a', 1, 2)", ArgumentCountError, "t.py:2:5", id="count"),
        pytest.param("_('a', 1, help=h)", NotLiteralEvaluable, "t.py:1:16", id="hint"),
        pytest.param("_('a', {[1]: 2})", UnhashableLiteral, "t.py:1:8", id="unhashable"),
        pytest.param("_('a', 1)\n_('a', 2)", DoubleAssignmentException, "t.py:2:1", id="double"),
        pytest.param("_('a', 1)\n_('a.b', 2)", ImpossibleTree, "t.py:2:1", id="tree"),
    ],
)
def test_parse_source_errors_name_the_place(
    source: str, error: type[HpmanError], location: str
) -> None:
    with pytest.raises(error) as info:
        manager().parse_source(source, "t.py")
    assert str(info.value).startswith(location)
    assert info.value.path == "t.py"


def test_undecodable_bytes_in_parse_source() -> None:
    with pytest.raises(SourceDecodeError, match=r"^b\.py:2: cannot decode byte 0xe9 as utf-8$"):
        manager().parse_source(b"x = 1\n_('a', '\xe9')\n", "b.py")


def test_syntax_error_fields_point_at_the_spot() -> None:
    with pytest.raises(HpmanSyntaxError) as info:
        manager().parse_source("x = 1\ny = (\n", "t.py")
    assert (info.value.filename, info.value.lineno) == ("t.py", 2)


SYNTAX_ERRORS = sorted((RUNTIME / "syntax_errors").glob("*.py"))

SYNTAX_FIELDS = ("msg", "filename", "lineno", "offset", "text", "end_lineno", "end_offset")


def python_syntax_error(source: str, filename: str) -> SyntaxError:
    try:
        compile(source, filename, "exec")
    except SyntaxError as exc:
        return exc
    raise AssertionError("the source compiles")


@pytest.mark.parametrize("case", SYNTAX_ERRORS, ids=lambda p: p.stem)
def test_parse_file_syntax_error_is_filled_as_pythons(
    monkeypatch: pytest.MonkeyPatch, case: Path
) -> None:
    monkeypatch.chdir(case.parent)
    source = case.read_text(encoding="utf-8")
    with pytest.raises(HpmanSyntaxError) as info:
        manager().parse_file(case.name)
    expected = python_syntax_error(source, case.name)
    assert [getattr(info.value, f, None) for f in SYNTAX_FIELDS] == [
        getattr(expected, f, None) for f in SYNTAX_FIELDS
    ]
    shown = traceback.format_exception_only(type(info.value), info.value)
    python = traceback.format_exception_only(SyntaxError, expected)
    assert shown[:-1] == python[:-1]  # file and line, the source line, the caret
    assert shown[-1] == f"hpman_cst.exceptions.HpmanSyntaxError: {expected.msg}\n"
    assert [line.strip() for line in shown[:2]] == [
        f'File "{case.name}", line {expected.lineno}',
        (expected.text or "").strip(),
    ]
    assert expected.text is not None and expected.text.strip() in "".join(shown)


@pytest.mark.parametrize("case", SYNTAX_ERRORS, ids=lambda p: p.stem)
def test_parse_source_syntax_error_is_filled_as_pythons(case: Path) -> None:
    source = case.read_text(encoding="utf-8")
    with pytest.raises(HpmanSyntaxError) as info:
        manager().parse_source(source, "<cell>")
    expected = python_syntax_error(source, "<cell>")
    assert [getattr(info.value, f, None) for f in SYNTAX_FIELDS] == [
        getattr(expected, f, None) for f in SYNTAX_FIELDS
    ]


def test_syntax_error_keeps_its_one_line_message() -> None:
    with pytest.raises(HpmanSyntaxError) as info:
        manager().parse_source("x = 1\ny = (\n", "t.py")
    python = python_syntax_error("x = 1\ny = (\n", "t.py")  # its words vary by version
    assert str(info.value) == f"t.py:{python.lineno}:{python.offset}: {python.msg}"


@pytest.mark.parametrize(
    ("content", "error"),
    [
        pytest.param(b"_('optim.lr', 0.5)\n", DoubleAssignmentException, id="conflict"),
        pytest.param(b"_('new', 1)\n_('x',\n", HpmanSyntaxError, id="syntax"),
        pytest.param(b"_('new', '\xff')\n", SourceDecodeError, id="decode"),
        pytest.param(b"_('new', 1)\n_('optim.lr.x')\n", ImpossibleTree, id="tree"),
        pytest.param(None, PathNotFound, id="missing"),
    ],
)
def test_failed_parse_file_keeps_earlier_state(
    project: Path, content: bytes | None, error: type[HpmanError]
) -> None:
    mgr = manager().parse_file(project / "train.py")
    mgr.set_value("epochs", 3)
    before = (mgr.get_values(), mgr.get_occurrences(), mgr.get_tree())
    target = project / "model" / "zz_last.py"
    if content is None:
        target = project / "missing.py"
    else:
        target.write_bytes(content)
    with pytest.raises(error):
        mgr.parse_file([project, target])
    assert (mgr.get_values(), mgr.get_occurrences(), mgr.get_tree()) == before
    assert mgr("epochs") == 3


# -- get_values() order (hpman-reference 4.5) -------------------------------------------


@pytest.mark.parametrize(
    ("case", "order"),
    [
        pytest.param("dotted", ["optim.lr", "optim.momentum", "batch_size"], id="dotted"),
        pytest.param("breadth_first", ["width", "depth"], id="shallow-calls-first"),
        pytest.param(
            "files",
            ["from_a", "shared", "from_b", "from_sub_py", "from_sub"],
            id="sorted-files",
        ),
    ],
)
def test_get_values_order(case: str, order: list[str]) -> None:
    mgr = manager().parse_file(RUNTIME / "order" / case)
    assert list(mgr.get_values()) == order
    assert [node.name for node in mgr.get_nodes()] == order


def test_parsing_prints_no_compiler_warnings(tmp_path: Path) -> None:
    # An invalid escape: a DeprecationWarning up to 3.11, a SyntaxWarning from 3.12; Python
    # shows the latter, which would land in the middle of the user's training output.
    (tmp_path / "train.py").write_text("import re\nr = re.compile('\\(')\n_('pat', '\\d')\n")
    mgr = manager()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mgr.parse_file(str(tmp_path))
        node = mgr.get_occurrence("pat")
        assert node is not None and node.ast_node is not None
    assert [str(w.message) for w in caught] == []
    assert mgr.get_values() == {"pat": "\\d"}


def test_parsed_names_are_interned_for_the_hot_path() -> None:
    # `_("lr")` finds the key by identity (the compiler interns the literal "lr") rather
    # than by comparing characters: the names the parser produced are interned.
    import sys

    manager = HyperParameterManager("_").parse_source("x = _('learning' '_rate', 1)\n")
    (key,) = list(manager._values)
    assert key is sys.intern("learning_rate")
