"""``hpman stubs``: mypy, given the stubs through ``MYPYPATH`` alone, knows ``_("lr")`` is a
``float`` and reports an unknown name; the stubs are written again only when they change,
and a file ``hpman stubs`` did not write is never replaced."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import runner

from hpman_cst.cli import cli
from hpman_cst.export.stubs import HEADER

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "export"


def _stubs(target: Path, *paths: str) -> tuple[int, str, str]:
    result = runner().invoke(cli, ["stubs", *paths, "--output", str(target)])
    return result.exit_code, result.stdout, result.stderr


def _mypy(folder: Path, mypypath: Path | None) -> list[str]:
    """mypy's lines for ``use.py`` in ``folder``, with an empty configuration and no
    cache, the stubs found through ``MYPYPATH`` only."""
    config = folder / "mypy.ini"
    config.write_text("[mypy]\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "MYPYPATH"}
    if mypypath is not None:
        env["MYPYPATH"] = str(mypypath)
    done = subprocess.run(
        [
            *(sys.executable, "-m", "mypy", "--config-file", str(config), "--no-incremental"),
            *("--cache-dir", os.devnull, "--no-error-summary", "use.py"),
        ],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert not done.stderr, done.stderr
    # mypy before 2.0 (on Python 3.9) names builtin types in full: "builtins.float"
    return done.stdout.replace('"builtins.', '"').replace("[builtins.", "[").splitlines()


@pytest.fixture
def used(tmp_path: Path) -> Path:
    shutil.copy(FIXTURES / "stubs" / "use.py", tmp_path / "use.py")
    return tmp_path


def test_mypy_reveals_types_and_reports_an_unknown_name(used: Path) -> None:
    typings = used / "typings"
    status, stdout, stderr = _stubs(typings, str(FIXTURES / "project"))
    assert (status, stdout) == (0, "")
    assert stderr.splitlines() == [
        f"hpman: wrote {os.path.relpath(typings / name).replace(os.sep, '/')}"
        for name in ("hpman_cst/__init__.pyi", "hpman_cst/m.pyi")
    ]
    lines = _mypy(used, typings)
    assert lines[:4] == [
        'use.py:3: note: Revealed type is "float"',
        'use.py:4: note: Revealed type is "int"',
        'use.py:5: note: Revealed type is "list[Any]"',
        'use.py:6: note: Revealed type is "Any"',
    ]
    assert lines[4].startswith('use.py:7: error: No overload variant of "__call__"')
    assert all(line.startswith("use.py:7: note: ") for line in lines[5:])
    assert any("Literal['eps', 'lr', 'optim.momentum']" in line for line in lines[5:])


def test_without_the_stubs_mypy_does_not_know(used: Path) -> None:
    lines = _mypy(used, None)
    assert 'use.py:3: note: Revealed type is "float"' not in lines
    assert not any(line.startswith("use.py:7: error: No overload") for line in lines)


def test_unchanged_stubs_are_not_written_again(tmp_path: Path) -> None:
    typings = tmp_path / "typings"
    assert _stubs(typings, str(FIXTURES / "project"))[0] == 0
    stub = typings / "hpman_cst" / "m.pyi"
    before = stub.stat().st_mtime_ns
    os.utime(stub, ns=(before - 10**9, before - 10**9))
    assert _stubs(typings, str(FIXTURES / "project")) == (0, "", "")
    assert stub.stat().st_mtime_ns == before - 10**9
    assert stub.read_text(encoding="utf-8").startswith(HEADER)


def test_a_file_not_written_by_hpman_stubs_is_left_alone(tmp_path: Path) -> None:
    typings = tmp_path / "typings"
    (typings / "hpman_cst").mkdir(parents=True)
    mine = typings / "hpman_cst" / "m.pyi"
    mine.write_text("x: int\n", encoding="utf-8")
    status, _, stderr = _stubs(typings, str(FIXTURES / "project"))
    assert status == 1
    assert stderr == f"hpman: {mine}: not written by `hpman stubs`; left as it is\n"
    assert mine.read_text(encoding="utf-8") == "x: int\n"
    assert not (typings / "hpman_cst" / "__init__.pyi").exists()
