"""``hpman migrate`` on one file: the fixture folders of ``fixtures/migrate/`` (every
import form, and no-op cases), the notes, and the proofs that refuse a wrong rewrite.

``fixtures/migrate/<case>/`` holds ``input.py``, ``expected.py`` (the same bytes when
nothing changes: the case's name then starts with ``noop_``) and, when the case has
notes, ``notes.txt``. Every case runs a second time on its output, which must change
nothing. ``HPMAN_UPDATE_FIXTURES=1`` rewrites the expected files.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from python_version import fixture_marks

from hpman_cst.exceptions import RewriteError
from hpman_cst.migrate import FileMigration, ImportEdit, from_target, import_target
from hpman_cst.migrate import plan_migration as plan
from hpman_cst.migrate_prove import check_imports_only, migrate_file
from hpman_cst.records import Span
from hpman_cst.refactor.edits import Edit, EditKind
from hpman_cst.refactor.materialise import Replacement
from hpman_cst.source import SourceText

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "migrate"
UPDATE = os.environ.get("HPMAN_UPDATE_FIXTURES") == "1"


def _cases() -> list[object]:
    return [
        pytest.param(case, id=case.name, marks=fixture_marks(case))
        for case in sorted(FIXTURES.iterdir())
        if case.is_dir()
    ]


@pytest.mark.fixtures
@pytest.mark.parametrize("case", _cases())
def test_migrate_fixture(case: Path) -> None:
    data = (case / "input.py").read_bytes()
    change, notes = migrate_file("input.py", data)
    result = data if change is None else change.new
    noted = "".join(f"{note}\n" for note in notes)
    expected_py, expected_notes = case / "expected.py", case / "notes.txt"
    if UPDATE:
        expected_py.write_bytes(result)
        expected_notes.unlink(missing_ok=True)
        if noted:
            expected_notes.write_text(noted, encoding="utf-8")
    assert result == expected_py.read_bytes()
    assert noted == (expected_notes.read_text(encoding="utf-8") if expected_notes.exists() else "")
    assert (change is None) == case.name.startswith("noop_") or bool(notes)
    if change is not None:
        assert change.sites > 0
        again, _ = migrate_file("input.py", result)  # a second run changes nothing
        assert again is None


def test_every_form_has_a_fixture() -> None:
    names = {case.name for case in FIXTURES.iterdir()}
    for form in ("from_m_placeholder", "import_hpman", "import_hpman_m", "from_submodules"):
        assert form in names
    assert {"noop_hpman_cst", "noop_local_modules", "noop_strings_and_comments"} <= names


@pytest.mark.parametrize(
    ("dotted", "asname", "expected"),
    [
        pytest.param("hpman", None, ("hpman_cst", "hpman"), id="hpman"),
        pytest.param("hpman.m", None, ("hpman_cst", "hpman"), id="hpman.m"),
        pytest.param("hpman.m", "m", ("hpman_cst.m", "m"), id="hpman.m-as"),
        pytest.param("hpman.hpm_db", "db", ("hpman_cst", "db"), id="hpm_db-as"),
        pytest.param("hpman.hpm_db", None, None, id="hpm_db-bare"),
        pytest.param("hpargparse", None, ("hpman_cst.hpargparse", "hpargparse"), id="hpargparse"),
        pytest.param("hpargparse.hputils", None, None, id="hputils-bare"),
        pytest.param("hpman_cst", None, None, id="ours"),
        pytest.param("hpman_utils", None, None, id="local"),
    ],
)
def test_import_target(dotted: str, asname: str | None, expected: object) -> None:
    assert import_target(dotted, asname) == expected


@pytest.mark.parametrize(
    ("module", "level", "names", "expected"),
    [
        pytest.param("hpman.m", 0, ["_", "__", "anything"], "hpman_cst.m", id="m"),
        pytest.param("hpman.m", 0, ["__wrapped__"], None, id="m-dunder"),
        pytest.param("hpman", 0, ["HyperParameterManager", "m"], "hpman_cst", id="package"),
        pytest.param("hpman", 0, ["SourceHelper"], None, id="source-helper"),
        pytest.param("hpman", 1, ["x"], None, id="relative"),
        pytest.param("hpargparse", 0, ["bind"], "hpman_cst.hpargparse", id="bind"),
        pytest.param("hpargparse", 0, ["hputils"], None, id="hputils"),
        pytest.param("hpargparse.config", 0, ["HP_ACTION_PREFIX_DEFAULT"], None, id="config"),
    ],
)
def test_from_target(module: str, level: int, names: list[str], expected: str | None) -> None:
    assert from_target(module, level, names) == expected


def test_note_has_the_location_of_the_import() -> None:
    text = "import os\n\ndef f():\n    from hpman import SourceHelper\n"
    migration = plan("a.py", text, ast.parse(text))
    assert migration.edits == ()
    assert [str(n) for n in migration.notes] == [
        "a.py:4:5: note: `SourceHelper` of `hpman` has no hpman-cst counterpart;"
        " this import is left as it was"
    ]


def test_no_note_for_an_attribute_one_of_the_imports_binding_the_name_provides() -> None:
    # `hpman` is bound twice: to the package (in a nested block, which ast.walk meets last)
    # and to hpman.m; `hpman._` works through the second, so there is nothing to say.
    text = "import hpman.m as hpman\nif True:\n    import hpman\nprint(hpman._)\n"
    migration = plan("a.py", text, ast.parse(text))
    assert migration.notes == ()
    text = "import hpargparse\nif True:\n    import hpman.m as hpargparse\nhpargparse.hputils\n"
    migration = plan("a.py", text, ast.parse(text))
    assert migration.notes == ()  # hpman_cst.m.hputils is a manager


def test_a_dynamic_import_of_an_original_is_noted() -> None:
    text = (
        "import importlib\nfrom importlib import import_module\n"
        "a = __import__('hpman.m')\nb = importlib.import_module('hpargparse')\n"
        "c = import_module('hpman')\nd = __import__('os')\n"
    )
    migration = plan("a.py", text, ast.parse(text))
    assert migration.edits == ()
    assert [str(n) for n in migration.notes] == [
        f"a.py:{line}:5: note: `{module}` is imported by name here; change it by hand"
        f" (its counterpart is `{new}`)"
        for line, module, new in [
            (3, "hpman.m", "hpman_cst.m"),
            (4, "hpargparse", "hpman_cst.hpargparse"),
            (5, "hpman", "hpman_cst"),
        ]
    ]


# -- the proof that only import statements change --------------------------------------


def _replacements(text: str, migration: FileMigration) -> list[Replacement]:
    source = SourceText(text)
    return [
        Replacement(
            Edit(e.span, EditKind.EXPRESSION, e.new),
            source.offset(e.span.line, e.span.column),
            source.offset(e.span.end_line, e.span.end_column),
            e.new,
        )
        for e in migration.edits
    ]


TEXT = "import hpman\nx = 1\n"
NEW = "import hpman_cst as hpman\nx = 1\n"


def test_proof_accepts_the_planned_rewrite() -> None:
    migration = plan("a.py", TEXT, ast.parse(TEXT))
    check_imports_only("a.py", TEXT, NEW, _replacements(TEXT, migration), migration)


def test_proof_refuses_a_change_outside_the_imports() -> None:
    migration = plan("a.py", TEXT, ast.parse(TEXT))
    with pytest.raises(RewriteError, match="differs outside its import statements"):
        check_imports_only(
            "a.py", TEXT, NEW.replace("x = 1", "x = 2"), _replacements(TEXT, migration), migration
        )


def test_proof_refuses_an_edit_outside_the_imports() -> None:
    migration = plan("a.py", TEXT, ast.parse(TEXT))
    statement = Span(1, 0, 1, 12)
    stray = ImportEdit(Span(2, 4, 2, 5), "2", statement)
    tampered = FileMigration("a.py", (*migration.edits, stray), (), migration.imports)
    new = NEW.replace("x = 1", "x = 2")
    with pytest.raises(RewriteError, match="an edit lies outside the import statements"):
        check_imports_only("a.py", TEXT, new, _replacements(TEXT, tampered), tampered)


def test_proof_refuses_an_import_other_than_intended() -> None:
    migration = plan("a.py", TEXT, ast.parse(TEXT))
    wrong = [ImportEdit(e.span, "hpman_cst.m as hpman", e.statement) for e in migration.edits]
    tampered = FileMigration("a.py", tuple(wrong), (), migration.imports)
    new = "import hpman_cst.m as hpman\nx = 1\n"
    with pytest.raises(RewriteError, match="syntax tree differs"):
        check_imports_only("a.py", TEXT, new, _replacements(TEXT, tampered), tampered)


def test_a_file_that_may_import_hpman_and_does_not_parse_is_refused() -> None:
    with pytest.raises(RewriteError, match="--exclude") as caught:
        migrate_file("bad.py", b"import hpman\nx = (\n")
    assert caught.value.path == "bad.py"
    # where, as the other rewrites say it: line and column, and the --exclude that works
    # (unmatched ')': an error every supported Python words alike)
    with pytest.raises(RewriteError) as caught:
        migrate_file("bad.py", b"import hpman\nx = )\n")
    assert str(caught.value) == (
        "bad.py:2:5: unmatched ')'; fix it or leave it out with --exclude bad.py"
    )


def test_a_file_without_hpman_is_not_parsed() -> None:
    assert migrate_file("bad.py", b"x = (\n") == (None, ())


# -- property: any mix of import forms migrates, proven, in one pass ------------------

#: Statements, and whether each has an import to migrate.
_STATEMENTS = {
    "import hpman": True,
    "import  hpman  as  h": True,
    "import hpman.m": True,
    "import hpman . m as m": True,
    "import os,hpman,sys": True,
    "import hpargparse, hpman.hpm_db as db": True,
    "import hpargparse.hputils": False,
    "from hpman.m import _": True,
    "from  hpman . m  import ( _ ,\n    hp )": True,
    "from hpman import (HyperParameterManager,  # the class\n    P)": True,
    "from hpman.source_helper import SourceHelper": False,
    "from hpargparse import bind": True,
    "from hpman \\\n    import EmptyValue": True,
    "x = 'hpman'": False,
    "import hpman_utils": False,
    "def f():\n    import hpman; from hpman.m import hp\n    return hp": True,
    "if True: import hpargparse as hpa": True,
    "# import hpman": False,
}


@given(
    st.lists(st.sampled_from(sorted(_STATEMENTS)), min_size=1, max_size=8),
    st.sampled_from(["\n", "\r\n"]),
)
def test_any_mix_of_import_forms_migrates_in_one_pass(lines: list[str], newline: str) -> None:
    text = newline.join(line.replace("\n", newline) for line in lines) + newline
    change, _ = migrate_file("mix.py", text.encode())
    assert (change is not None) == any(_STATEMENTS[line] for line in lines)
    if change is not None:
        assert change.new_text.count(newline) == text.count(newline)
        assert migrate_file("mix.py", change.new)[0] is None  # one pass migrates all
        compile(change.new_text, "mix.py", "exec")


def test_a_file_that_does_not_decode_blocks_only_if_it_names_hpman() -> None:
    assert migrate_file("bad.py", b"# coding: nope\nx = '\xff'\n") == (None, ())
    with pytest.raises(RewriteError, match="--exclude"):
        migrate_file("bad.py", b"# coding: nope\nimport hpman\n")
