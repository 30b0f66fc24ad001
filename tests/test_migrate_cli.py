"""``hpman migrate [PATHS]`` through click's runner (diff by default, ``--write``,
``--check``, notes, refusals) and once as the installed command."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import runner

from hpman_cst.cli import cli

TRAIN = """\
import argparse

import hpargparse
from hpman.m import _

parser = argparse.ArgumentParser()
_.parse_file(__file__)
hpargparse.bind(parser, _)
"""

HELPER = "from hpman import SourceHelper\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text(TRAIN)
    (tmp_path / "src" / "helper.py").write_text(HELPER)
    (tmp_path / "src" / "plain.py").write_text("import os\n")
    return tmp_path


NOTE = (
    "src/helper.py:1:1: note: `SourceHelper` of `hpman` has no hpman-cst counterpart;"
    " this import is left as it was"
)


def test_diff_by_default(project: Path) -> None:
    result = runner().invoke(cli, ["migrate", "src"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:2] == ["--- a/src/train.py", "+++ b/src/train.py"]
    assert (
        "-import hpargparse\n-from hpman.m import _\n"
        "+import hpman_cst.hpargparse as hpargparse\n+from hpman_cst.m import _\n"
    ) in result.stdout
    assert result.stderr.splitlines() == [
        "1 file would change, 2 imports; nothing written (use --write to apply)",
        NOTE,
    ]
    assert (project / "src" / "train.py").read_text() == TRAIN


def test_write_then_nothing_is_left(project: Path) -> None:
    before = (project / "src" / "plain.py").stat().st_mtime_ns
    result = runner().invoke(cli, ["migrate", "src", "--write"])
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.splitlines() == ["1 file changed, 2 imports", NOTE]
    migrated = (project / "src" / "train.py").read_text()
    assert migrated == TRAIN.replace(
        "import hpargparse", "import hpman_cst.hpargparse as hpargparse"
    ).replace("from hpman.m", "from hpman_cst.m")
    assert (project / "src" / "helper.py").read_text() == HELPER
    assert (project / "src" / "plain.py").stat().st_mtime_ns == before
    again = runner().invoke(cli, ["migrate", "src", "--check"])
    assert again.exit_code == 0
    assert again.stderr.splitlines() == ["0 files would change", NOTE]


def test_check_names_the_files_and_exits_1(project: Path) -> None:
    result = runner().invoke(cli, ["migrate", "--check"])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines()[:2] == [
        "would rewrite src/train.py",
        "1 file would change, 2 imports",
    ]
    assert (project / "src" / "train.py").read_text() == TRAIN


def test_write_and_check_together_is_a_usage_error(project: Path) -> None:
    result = runner().invoke(cli, ["migrate", "--write", "--check"])
    assert result.exit_code == 2
    assert (project / "src" / "train.py").read_text() == TRAIN


def test_a_file_that_does_not_parse_blocks_every_write(project: Path) -> None:
    # unmatched ')': an error every supported Python words alike
    (project / "src" / "broken.py").write_text("import hpman\nx = )\n")
    result = runner().invoke(cli, ["migrate", "src", "--write"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "hpman: src/broken.py:2:5: unmatched ')'; fix it or leave it out"
        " with --exclude src/broken.py"
    ]
    assert (project / "src" / "train.py").read_text() == TRAIN
    excluded = runner().invoke(cli, ["migrate", "src", "--exclude", "broken.py", "--write"])
    assert excluded.exit_code == 0
    assert "hpman_cst" in (project / "src" / "train.py").read_text()


def test_a_file_that_does_not_parse_and_never_names_hpman_is_ignored(project: Path) -> None:
    (project / "src" / "broken.py").write_text("x = (\n")
    result = runner().invoke(cli, ["migrate", "src", "--write"])
    assert result.exit_code == 0


def test_missing_path_is_a_usage_error(project: Path) -> None:
    result = runner().invoke(cli, ["migrate", "nope"])
    assert result.exit_code == 2


def test_installed_command_migrates_and_the_script_runs(project: Path) -> None:
    # Run by `nox -s tests`, which installs the package: the console script sits beside
    # the interpreter. The migrated script then runs with hpman-cst alone.
    hpman = Path(sys.executable).parent / "hpman"
    done = subprocess.run(
        [str(hpman), "migrate", "src", "--write"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr.splitlines() == ["1 file changed, 2 imports", NOTE]
    ran = subprocess.run(
        [sys.executable, "src/train.py"], cwd=project, capture_output=True, text=True, check=False
    )
    assert (ran.returncode, ran.stderr) == (0, "")


def test_import_hpman_m_rewrite_keeps_hpman_m_working(tmp_path: Path) -> None:
    # `import hpman.m` becomes `import hpman_cst as hpman`: `hpman.m` must be reachable
    # as an attribute of the package in a fresh process.
    code = "import hpman_cst as hpman\nprint(hpman.m._.placeholder, hpman.m.hp.placeholder)\n"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "_ hp\n", "")


@pytest.mark.parametrize("option", [["--placeholder", "hp"], ["-j", "2"], ["--no-cache"]])
def test_options_that_would_change_nothing_are_not_offered(
    project: Path, option: list[str]
) -> None:
    # Imports are rewritten whatever the manager is called, file by file, without the
    # parse cache: an option accepted and ignored would mislead.
    result = runner().invoke(cli, ["migrate", "src", *option])
    assert result.exit_code == 2
    # click 8.1 words it "No such option: -j", later ones "No such option '-j'"
    assert re.search(f"No such option:? '?{re.escape(option[0])}'?", result.stderr)
    assert option[0] not in runner().invoke(cli, ["migrate", "--help"]).stdout
