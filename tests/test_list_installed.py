"""The installed ``hpman`` command, and ``hpman list`` over the standard library."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from cli_runner import runner

from hpman_cst.cli import cli

PROJECT = Path(__file__).resolve().parent.parent / "fixtures" / "list" / "project"


def test_installed_command(tmp_path: Path) -> None:
    # Run by `nox -s tests`, which installs the package: the console script sits beside
    # the interpreter.
    hpman = Path(sys.executable).parent / "hpman"
    shutil.copytree(PROJECT / "input", tmp_path / "input")
    done = subprocess.run(
        [str(hpman), "list", "input", "--format", "json", "--exclude", "broken.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    document = json.loads(done.stdout)
    assert "optim.lr" in [p["name"] for p in document["hyperparameters"]]
    assert done.stderr.splitlines() == [
        "input/bad_calls.py:4:9: C001 hyper-parameter name must be a string literal",
        "input/bad_calls.py:5:8: C002 `_()` takes 1 or 2 positional arguments"
        " (name, default), got 3",
    ]
    assert done.returncode == 1
    missing = subprocess.run(
        [str(hpman), "list", "nope"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert missing.returncode == 2


@pytest.mark.slow
def test_list_over_the_standard_library() -> None:
    stdlib = sysconfig.get_paths()["stdlib"]
    result = runner().invoke(
        cli, ["list", stdlib, "--format", "json", "--no-cache"], catch_exceptions=False
    )
    assert result.exit_code in (0, 1)  # some test files there do not parse, on purpose
    document = json.loads(result.stdout)
    by_path: dict[str, set[str]] = {}
    for parameter in document["hyperparameters"]:
        for occurrence in parameter["occurrences"]:
            by_path.setdefault(Path(occurrence["path"]).name, set()).add(parameter["name"])
    # argparse and optparse bind `_` to gettext: the gettext rule leaves their calls out,
    # and says so once per file, on stderr and in the JSON
    assert "argparse.py" not in by_path
    assert "optparse.py" not in by_path
    left_out = {Path(entry["path"]).name: entry for entry in document["left_out"]}
    assert left_out["argparse.py"]["placeholder"] == "_"
    assert "gettext" in left_out["argparse.py"]["message"]
    stderr = result.stderr.splitlines()
    reported = [*document["errors"], *document["left_out"]]
    assert len(stderr) == len(reported)
    lines = set(stderr)
    for entry in reported:
        where = entry["path"] if entry["line"] is None else f"{entry['path']}:{entry['line']}"
        said = f"{entry['code']} {entry['message']}" if "code" in entry else entry["message"]
        assert any(line.startswith(where) and line.endswith(f": {said}") for line in lines), entry
