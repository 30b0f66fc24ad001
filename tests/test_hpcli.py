"""``hpcli``: hpargparse 0.14's command, with its interface (``FILES_OR_DIRS...
[--placeholder NAME] [options]``, ``--hp-list`` on by default), and the command lines of
hpargparse's ``examples/03-hpcli/Makefile`` run unchanged by the installed script."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from hpman_cst.hpcli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "hpcli" / "example"


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    monkeypatch.chdir(folder)
    return folder


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of ``hpcli ARGS``."""
    with pytest.raises(SystemExit) as caught:
        main(args)
    captured = capsys.readouterr()
    code = caught.value.code
    return (code if isinstance(code, int) else 1), captured.out, captured.err


def makefile_commands() -> list[list[str]]:
    """The recipe lines of the example's Makefile, as argument lists."""
    lines = (EXAMPLE / "Makefile").read_text(encoding="utf-8").splitlines()
    return [shlex.split(line) for line in lines if line.startswith("\t")]


def test_makefile_is_the_upstream_one() -> None:
    assert makefile_commands() == [
        ["hpcli", "src.py"],
        ["hpcli", "src.py", "--num-layers", "101"],
        ["hpcli", "src.py", "--num-layers", "101", "--hp-save", "config.yaml"],
        [
            "hpcli",
            "src.py",
            "--num-layers",
            "101",
            "--hp-save",
            "config.yaml",
            "--hp-list",
            "detail",
        ],
        ["hpcli", "src.py", "-h"],
    ]


def test_lists_the_values_as_yaml_by_default(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["src.py"], capsys) == (0, "num_channels: 128\nnum_layers: 50\n", "")


def test_an_option_sets_a_value(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["src.py", "--num-layers", "101"], capsys) == (
        0,
        "num_channels: 128\nnum_layers: 101\n",
        "",
    )


def test_hp_save_writes_the_values_and_still_lists(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["src.py", "--num-layers", "101", "--hp-save", "config.yaml"], capsys)
    assert (code, out) == (0, "num_channels: 128\nnum_layers: 101\n")
    saved = yaml.safe_load((example / "config.yaml").read_text(encoding="utf-8"))
    assert saved == {"num_channels": 128, "num_layers": 101}


def test_detail_listing_after_an_override(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # hpargparse 0.14 dies here (TypeError sorting a parsed and a run-time occurrence)
    args = ["src.py", "--num-layers", "101", "--hp-save", "config.yaml", "--hp-list", "detail"]
    code, out, err = run(args, capsys)
    assert (code, err) == (0, "")
    assert "src.py:7" in out
    assert '==> 7: depth = _("num_layers", 50)' in out
    assert ["num_layers", "int", "101"] in [
        [cell.strip() for cell in line.split("|")[1:4]] for line in out.splitlines()
    ]
    assert (example / "config.yaml").exists()


def test_help_shows_the_files_options(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["src.py", "-h"], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("usage: hpcli [-h] [--num-channels NUM_CHANNELS]")
    assert "--num-layers NUM_LAYERS" in out
    assert "FILES_OR_DIRS" in out


def test_help_without_files_is_hpclis_own(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["-h"], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("usage: hpcli FILES_OR_DIRS... [--placeholder NAME] [options]")
    assert "--placeholder NAME" in out


def test_no_files_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([], capsys)
    assert (code, out) == (2, "")
    assert (
        err.splitlines()[-1] == "hpcli: error: the following arguments are required: FILES_OR_DIRS"
    )


def test_placeholder_and_folders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text('hp("width", 4)\n_("ignored", 1)\n')
    (tmp_path / "pkg" / "b.py").write_text('hp("depth", 2)\n')
    args = [str(tmp_path / "pkg"), "--depth", "3", "--placeholder", "hp"]
    assert run(args, capsys) == (0, "depth: 3\nwidth: 4\n", "")
    # a placeholder that does not occur: nothing to list (hpargparse prints {} too)
    assert run([str(tmp_path / "pkg"), "--placeholder", "cfg"], capsys) == (0, "{}\n", "")


def test_hp_load_then_the_command_line(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (example / "run.yaml").write_text("num_channels: 64\nnum_layers: 18\n")
    args = ["src.py", "--hp-load", "run.yaml", "--num-layers", "34"]
    assert run(args, capsys) == (0, "num_channels: 64\nnum_layers: 34\n", "")


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        pytest.param(
            ["nope.py"], 2, "hpcli: error: nope.py: no such file or directory", id="missing"
        ),
        pytest.param(
            ["src.py", "--num-layers", "x"],
            2,
            "hpcli: error: argument --num-layers: invalid int value: 'x'",
            id="bad-value",
        ),
        pytest.param(
            ["src.py", "--placeholder", "1x"],
            2,
            "hpcli: error: argument --placeholder: ",
            id="bad-placeholder",
        ),
        pytest.param(["broken.py"], 1, "hpcli: error: broken.py:1:", id="syntax-error"),
        pytest.param(["src.py", "twice.py"], 1, "hpcli: error: twice.py:1:1:", id="conflict"),
        pytest.param(
            ["collide.py"],
            1,
            "hpcli: error: hyper-parameter `a_b` (collide.py:1:1) and hyper-parameter `a-b`",
            id="collision",
        ),
    ],
)
def test_errors_are_one_line(
    example: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    status: int,
    message: str,
) -> None:
    (example / "broken.py").write_text('_("a", 1\n')
    (example / "twice.py").write_text('_("num_layers", 18)\n')
    (example / "collide.py").write_text('_("a_b", 1)\n_("a-b", 2)\n')
    code, out, err = run(args, capsys)
    assert (code, out) == (status, "")
    assert err.splitlines()[-1].startswith(message)
    assert "Traceback" not in err


def test_installed_hpcli_runs_the_makefile_unchanged(tmp_path: Path) -> None:
    # Run by `nox -s tests`, which installs the package: the console script sits beside
    # the interpreter. Each recipe line of the Makefile runs as written, with that
    # script first on PATH.
    scripts = Path(sys.executable).parent
    assert (scripts / "hpcli").exists()
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    env = {**os.environ, "PATH": f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}"}
    results = []
    for command in makefile_commands():
        done = subprocess.run(
            command, cwd=folder, env=env, capture_output=True, text=True, check=False
        )
        results.append((done.returncode, done.stdout, done.stderr))
    assert [code for code, _, _ in results] == [0] * 5
    assert [err for _, _, err in results] == [""] * 5
    assert results[0][1] == "num_channels: 128\nnum_layers: 50\n"
    assert results[1][1] == results[2][1] == "num_channels: 128\nnum_layers: 101\n"
    assert '==> 7: depth = _("num_layers", 50)' in results[3][1]
    assert results[4][1].startswith("usage: hpcli [-h]")
    saved = yaml.safe_load((folder / "config.yaml").read_text(encoding="utf-8"))
    assert saved == {"num_channels": 128, "num_layers": 101}
