"""No exception of libcst's, nor any other raised while one file's rewrite is built,
reaches the user: each becomes that file's one-line refusal, and nothing is written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import libcst as cst
import pytest
from cli_runner import runner
from click.testing import Result

import hpman_cst.refactor.prove
from hpman_cst.cli import cli
from hpman_cst.cst.transforms.remove import RemoveTransformer


def hpman(*args: str) -> Result:
    return runner().invoke(cli, [*args, "--no-cache", "-j", "1"])


@pytest.fixture
def train(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "train.py"
    path.write_bytes(b"import os\n\ny = _('x', a)if b else c\n")
    return path


def test_a_name_default_before_a_keyword_is_inlined_with_a_space(train: Path) -> None:
    result = hpman("remove", "x", "--write")
    assert (result.exit_code, result.stderr) == (0, "1 file changed, 1 call site\n")
    assert train.read_bytes() == b"import os\n\ny = a if b else c\n"


def test_a_libcst_error_is_the_file_s_refusal(train: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(self: object, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        raise cst.CSTValidationError("Must have at least one space before 'if' keyword.")

    monkeypatch.setattr(RemoveTransformer, "leave_Call", fail)
    result = hpman("remove", "x", "--write")
    assert result.exit_code == 2
    assert result.stderr == (
        "hpman: train.py:3:5: libcst cannot make this edit (Must have at least one space"
        " before 'if' keyword.); nothing was changed: edit this call by hand and run the"
        " command again\n"
    )
    assert train.read_bytes() == b"import os\n\ny = _('x', a)if b else c\n"


def test_any_other_exception_is_the_file_s_refusal(
    train: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(hpman_cst.refactor.prove, "check_ast", fail)
    result = hpman("remove", "x", "--write")
    assert result.exit_code == 2
    assert result.stderr == (
        "hpman: train.py: cannot rewrite this file (ZeroDivisionError: division by zero);"
        " nothing was changed\n"
    )
    assert train.read_bytes() == b"import os\n\ny = _('x', a)if b else c\n"


def test_a_result_with_a_new_warning_is_refused(train: Path) -> None:
    train.write_bytes(b"if _('x', 1) is y:\n    pass\n")
    result = hpman("remove", "x", "--write")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "hpman: train.py:1: the rewritten file would compile with a new warning (SyntaxWarning:"
    )
    assert result.stderr.count("\n") == 1
    assert train.read_bytes() == b"if _('x', 1) is y:\n    pass\n"


def test_installed_command_refuses_a_starred_default_after_a_keyword(tmp_path: Path) -> None:
    command = Path(sys.executable).parent / "hpman"
    source = b'f(_("a", help="h", *b))\n'
    (tmp_path / "train.py").write_bytes(source)
    run = subprocess.run(
        [str(command), "set-default", "a", "3", "--write"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": ""},
        check=False,
    )
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr == (
        "hpman: train.py:1:20: the default `*b` follows a keyword argument, where only a"
        " starred argument can stand; move it before the keyword arguments first\n"
    )
    assert (tmp_path / "train.py").read_bytes() == source
