"""``hpman bake``: a saved run's values written into the code's defaults.

``fixtures/bake/<case>/`` holds ``args.json`` (``only``; ``no_op`` when nothing changes),
``input.py``, the run (``run.yaml`` or ``run.json``), ``expected.py`` (the baked file)
and ``expected.txt`` when keys are skipped (their report lines) or the bake is refused
(the one line). A second bake of the result changes nothing.
``HPMAN_UPDATE_FIXTURES=1`` rewrites the expected files.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from cli_runner import runner

from hpman_cst.bake import bake, float_text
from hpman_cst.cli import cli
from hpman_cst.exceptions import HpmanError
from hpman_cst.formats.run_keys import read_run_text
from hpman_cst.index import index_bytes
from hpman_cst.refactor.execute import execute
from hpman_cst.serial import format_for

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "bake"
UPDATE = os.environ.get("HPMAN_UPDATE_FIXTURES") == "1"


def _run_file(case: Path) -> Path:
    return next(p for p in sorted(case.iterdir()) if p.stem == "run")


def baked(args: dict[str, Any], data: bytes, run: Path) -> tuple[bytes, list[str]]:
    """The baked ``input.py`` and the report lines of the skipped keys."""
    keys = read_run_text(run.read_text(encoding="utf-8"), format_for(run), run.name)
    index = index_bytes(data, "input.py", ["_"])
    result = bake([index], keys, only=args.get("only"))
    lines = [s.line(run.name) for s in result.skipped]
    if result.plan is None:
        return data, lines
    changes = execute(result.plan, read=lambda _: data)
    return (changes[0].new if changes else data), lines


@pytest.mark.fixtures
@pytest.mark.parametrize(
    "case", [pytest.param(c, id=c.name) for c in sorted(FIXTURES.iterdir()) if c.is_dir()]
)
def test_bake_fixture(case: Path) -> None:
    args = json.loads((case / "args.json").read_text(encoding="utf-8"))
    data = (case / "input.py").read_bytes()
    run = _run_file(case)
    expected_py, expected_txt = case / "expected.py", case / "expected.txt"
    try:
        new, lines = baked(args, data, run)
    except HpmanError as exc:
        new, lines = None, [str(exc)]
    if UPDATE:
        expected_py.unlink(missing_ok=True)
        expected_txt.unlink(missing_ok=True)
        if new is not None:
            expected_py.write_bytes(new)
        if lines:
            expected_txt.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    assert expected_txt.read_text(encoding="utf-8") if lines else not expected_txt.exists()
    if lines:
        assert expected_txt.read_text(encoding="utf-8") == "".join(f"{x}\n" for x in lines)
    if new is None:
        assert not expected_py.exists()
        return
    assert new == expected_py.read_bytes()
    assert (new != data) != args.get("no_op", False), "a case that changes nothing says so"
    again, again_lines = baked(args, new, run)  # a second bake changes nothing
    assert again == new
    assert again_lines == lines


@pytest.mark.parametrize(
    ("value", "like", "expected"),
    [
        pytest.param(0.0003, "1e-3", "3e-4", id="exponent"),
        pytest.param(0.98, "0.999", "0.98", id="positional"),
        pytest.param(1e-6, "1E-8", "1E-6", id="capital-e"),
        pytest.param(0.05, "1.0e-2", "5.0e-2", id="mantissa-point"),
        pytest.param(100.0, "1e+2", "1e+2", id="plus-sign"),
        pytest.param(-2.5e-7, "-1e-3", "-2.5e-7", id="negative"),
        pytest.param(1e-5, "0.1", "0.00001", id="small-positional"),
        pytest.param(3.0, "2.5", "3.0", id="whole"),
        pytest.param(1.5e300, "1.0", "1.5e+300", id="huge-stays-repr"),
        pytest.param(float("inf"), "1e-3", "inf", id="inf"),
    ],
)
def test_float_text(value: float, like: str, expected: str) -> None:
    text = float_text(value, like)
    assert text == expected
    if expected != "inf":
        assert float(text) == value


PROJECT = {
    "train.py": 'from hpman_cst.m import _\n\nlr = _("lr", 1e-3)\nlayers = _("layers", 4)\n',
    "run.yaml": "lr: 0.0003\nlayers: 4.0\ngone: 1\n",
}


def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name, text in PROJECT.items():
        (tmp_path / name).write_text(text, encoding="utf-8")


SKIPPED = [
    "run.yaml:2:1: R002 `layers` is a float here (4.0), but the code's default is an int"
    " (4, train.py:4:10)",
    "run.yaml:3:1: R001 `gone` is no longer a hyper-parameter of the code",
]


def test_cli_bake_diff_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path, monkeypatch)
    result = runner().invoke(cli, ["bake", "run.yaml", "--no-cache"])
    assert result.exit_code == 0, result.stderr
    assert '-lr = _("lr", 1e-3)\n+lr = _("lr", 3e-4)\n' in result.stdout
    assert result.stderr.splitlines() == [
        "1 file would change, 1 default; nothing written (use --write to apply)",
        *SKIPPED,
    ]
    assert (tmp_path / "train.py").read_text(encoding="utf-8") == PROJECT["train.py"]


def test_cli_bake_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path, monkeypatch)
    result = runner().invoke(cli, ["bake", "run.yaml", "--write", "--no-cache"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    text = (tmp_path / "train.py").read_text(encoding="utf-8")
    assert text == PROJECT["train.py"].replace("1e-3", "3e-4")
    again = runner().invoke(cli, ["bake", "run.yaml", "--check", "--no-cache"])
    assert again.exit_code == 0, again.stderr


def test_cli_bake_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path, monkeypatch)
    result = runner().invoke(cli, ["bake", "run.yaml", "--check", "--no-cache"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "would rewrite train.py"


def test_cli_bake_strict_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path, monkeypatch)
    result = runner().invoke(cli, ["bake", "run.yaml", "--strict", "--write", "--no-cache"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        *SKIPPED,
        "hpman: 2 keys of run.yaml cannot be baked (--strict); nothing was written",
    ]
    assert (tmp_path / "train.py").read_text(encoding="utf-8") == PROJECT["train.py"]


def test_cli_bake_strict_with_only_clean_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, monkeypatch)
    args = ["bake", "run.yaml", "--only", "lr", "--strict", "--write", "--no-cache"]
    result = runner().invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    assert "3e-4" in (tmp_path / "train.py").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("run", "text", "message"),
    [
        pytest.param(
            "run.yaml",
            "lr: [1\n",
            "hpman: run.yaml:2:1: while parsing a flow sequence",
            id="bad-yaml",
        ),
        pytest.param("run.txt", "lr: 1\n", "hpman: run.txt: cannot tell the format", id="ext"),
        pytest.param("missing.yaml", None, "hpman: missing.yaml: no such file", id="missing"),
    ],
)
def test_cli_bake_unreadable_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: str, text: str | None, message: str
) -> None:
    _project(tmp_path, monkeypatch)
    if text is not None:
        (tmp_path / run).write_text(text, encoding="utf-8")
    result = runner().invoke(cli, ["bake", run, "--write", "--no-cache"])
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert (tmp_path / "train.py").read_text(encoding="utf-8") == PROJECT["train.py"]


def test_cli_bake_only_unknown_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path, monkeypatch)
    result = runner().invoke(cli, ["bake", "run.yaml", "--only", "lrr", "--no-cache"])
    assert result.exit_code == 1
    assert result.stderr == "hpman: --only: `lrr` is not a key of this run\n"
