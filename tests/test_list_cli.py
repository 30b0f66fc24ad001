"""``hpman list`` through click's CliRunner: every format, option and error.

The fixture cases under ``fixtures/list/<case>/`` hold a project (``input/``) and the
expected output of ``hpman list input --format F`` run from the case folder
(``expected.<F>``, and ``expected.stderr`` for every format). ``HPMAN_UPDATE_FIXTURES=1``
rewrites them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import yaml
from cli_runner import runner
from click.testing import Result

from hpman_cst.cli import cli
from hpman_cst.scan import Scan
from hpman_cst.serial import loads

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "list"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "input").is_dir())
FORMATS = ["table", "detail", "json", "yaml"]
UPDATE = bool(os.environ.get("HPMAN_UPDATE_FIXTURES"))


def run(*args: str) -> Result:
    return runner().invoke(cli, ["list", *args], catch_exceptions=False)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture project in a temporary folder, which becomes the cwd."""
    shutil.copytree(FIXTURES / "project" / "input", tmp_path / "input")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "input"


# ---------------------------------------------------------------------------- fixtures


@pytest.mark.fixtures
@pytest.mark.parametrize("format_", FORMATS)
@pytest.mark.parametrize("case", CASES)
def test_fixture_case(case: str, format_: str, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = FIXTURES / case
    monkeypatch.chdir(folder)
    result = run("input", "--format", format_)
    expected_out = folder / f"expected.{format_}"
    expected_err = folder / "expected.stderr"
    if UPDATE:
        expected_out.write_text(result.stdout, encoding="utf-8")
        expected_err.write_text(result.stderr, encoding="utf-8")
    assert result.stdout == expected_out.read_text(encoding="utf-8")
    assert result.stderr == expected_err.read_text(encoding="utf-8")
    assert result.exit_code == (1 if result.stderr else 0)


def test_project_fixture_shows_each_path(project: Path) -> None:
    result = run("input", "--format", "json")
    document = json.loads(result.stdout)
    paths = {o["path"] for p in document["hyperparameters"] for o in p["occurrences"]}
    assert "input/models/layers/conv.py" in paths  # nested packages are walked
    assert not any(".hidden" in p or "/env/" in p for p in paths)  # hidden folder, venv
    activation = next(p for p in document["hyperparameters"] if p["name"] == "model.activation")
    assert (activation["type"], activation["value"]) == ("unknown", None)
    assert activation["occurrences"][0]["default"] == "nn.ReLU"
    errors = {(e["path"], e["line"]) for e in document["errors"]}
    assert ("input/broken.py", 4) in errors  # the syntax error...
    assert ("input/bad_calls.py", 4) in errors  # ...and the rejected calls are data
    assert result.exit_code == 1


# ---------------------------------------------------------------------------- formats


def test_table_is_the_default_format(project: Path) -> None:
    assert run("input").stdout == run("input", "--format", "table").stdout


def test_table_rows_sorted_by_name_with_places(project: Path) -> None:
    lines = run("input").stdout.splitlines()
    assert lines[0].split() == ["name", "type", "value", "defined", "at", "used", "at"]
    names = [line.split()[0] for line in lines[2:] if not line.startswith(" ")]
    assert names == sorted(names)
    lr = next(line for line in lines if line.startswith("optim.lr "))
    assert lr.split()[1:] == ["float", "0.001", "input/models/net.py:12", "input/train.py:13"]


def test_table_marks_conflicts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "conflicts")
    lines = run("input").stdout.splitlines()
    assert lines[0].split()[-1] == "conflict"
    assert next(x for x in lines if x.startswith("lr ")).endswith("different defaults")
    assert next(x for x in lines if x.startswith("encoder ")).endswith("leaf and branch")
    assert not next(x for x in lines if x.startswith("batch_size ")).endswith("defaults")


def test_detail_marks_the_line_with_context(project: Path) -> None:
    out = run("input", "--format", "detail", "--name", "epochs").stdout
    assert out.startswith("All hyperparameters:\n    ['epochs']\nDetails:\n+")
    assert "|   input/train.py:11" in out
    assert '==> 11:     for epoch in range(_("epochs", 90)):' in out
    assert "      6: " in out and "     16: " in out  # five lines either side
    assert "     17:" not in out


def test_json_schema(project: Path) -> None:
    document = json.loads(run("input", "--format", "json").stdout)
    assert set(document) == {"hyperparameters", "errors"}
    for parameter in document["hyperparameters"]:
        assert set(parameter) == {"name", "type", "value", "occurrences"}
        for occurrence in parameter["occurrences"]:
            assert set(occurrence) == {
                *("path", "line", "column", "end_line", "end_column", "default", "hints")
            }
    for error in document["errors"]:
        assert set(error) == {"path", "line", "column", "code", "message"}


@pytest.mark.parametrize(
    ("source", "type_", "value"),
    [
        pytest.param("(1, 2)", "tuple", {"__tuple__": [1, 2]}, id="tuple"),
        pytest.param("{2, 1}", "set", {"__set__": [1, 2]}, id="set"),
        pytest.param("1+2j", "complex", {"__complex__": [1.0, 2.0]}, id="complex"),
        pytest.param("b'ab'", "bytes", {"__bytes__": "YWI="}, id="bytes"),
        pytest.param("1e999", "float", {"__float__": "inf"}, id="infinity"),
        pytest.param("{1: 'a'}", "dict", {"__dict__": [[1, "a"]]}, id="int-keys"),
        pytest.param("None", "NoneType", None, id="none"),
        pytest.param("f(x)", "unknown", None, id="not-a-literal"),
    ],
)
def test_json_forms_of_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, type_: str, value: object
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "m.py", f"_('x', {source})\n")
    (parameter,) = json.loads(run("--format", "json").stdout)["hyperparameters"]
    assert (parameter["type"], parameter["value"]) == (type_, value)
    assert parameter["occurrences"][0]["default"] == source


def test_json_paths_relative_to_cwd(project: Path) -> None:
    absolute = json.loads(run(str(project), "--format", "json").stdout)
    relative = json.loads(run("input", "--format", "json").stdout)
    assert absolute == relative


def test_yaml_loads_back_to_the_literal_values(project: Path) -> None:
    out = run("input", "--format", "yaml").stdout
    values = loads(out, "yaml")
    assert values["optim.betas"] == (0.9, 0.999)
    assert values["data.mean"] == {0.485, 0.456, 0.406}
    assert values["batch_size"] == 256
    assert "model.activation" not in values  # not a literal: in a comment instead
    assert "# model.activation: default is not a literal" in out
    assert yaml.safe_load(out)["epochs"] == 90  # plain YAML


# ---------------------------------------------------------------------------- options


def test_name_limits_output(project: Path) -> None:
    document = json.loads(run("input", "--format", "json", "--name", "epochs").stdout)
    assert [p["name"] for p in document["hyperparameters"]] == ["epochs"]


def test_name_repeatable_and_selects_groups(project: Path) -> None:
    out = run("input", "--format", "json", "--name", "optim", "--name", "epochs").stdout
    names = [p["name"] for p in json.loads(out)["hyperparameters"]]
    assert names == ["epochs", "optim.betas", "optim.lr", "optim.momentum"]


def test_unknown_name_suggests(project: Path) -> None:
    result = run("input", "--name", "epoch")
    assert "hpman: no hyper-parameter named `epoch`; did you mean `epochs`?" in result.stderr
    assert result.exit_code == 1


def test_exclude_glob(project: Path) -> None:
    result = run("input", "--format", "json", "--exclude", "broken.py", "--exclude", "bad_*")
    document = json.loads(result.stdout)
    assert document["errors"] == []
    assert result.exit_code == 0


def test_exclude_path_pattern(project: Path) -> None:
    result = run("input", "--format", "json", "--exclude", "input/models/layers")
    names = [p["name"] for p in json.loads(result.stdout)["hyperparameters"]]
    assert "model.dropout" not in names and "model.depth" in names


def test_placeholder_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "m.py", "hp('a', 1)\n_('b', 2)\ncfg('c', 3)\n")
    one = json.loads(run("--placeholder", "hp", "--format", "json").stdout)
    assert [p["name"] for p in one["hyperparameters"]] == ["a"]
    two = run("--placeholder", "hp", "--placeholder", "cfg", "--format", "json").stdout
    assert [p["name"] for p in json.loads(two)["hyperparameters"]] == ["a", "c"]


@pytest.mark.parametrize("bad", ["1x", "a-b", "class", ""])
def test_placeholder_must_be_an_identifier(tmp_path: Path, bad: str) -> None:
    result = run(str(tmp_path), "--placeholder", bad)
    assert result.exit_code == 2
    assert "placeholder" in result.stderr


@pytest.mark.parametrize("jobs", ["1", "2", "0"])
def test_jobs_give_the_same_output(project: Path, jobs: str) -> None:
    for n in range(40):  # enough files for worker processes to be used
        write(project / "many" / f"m{n}.py", f"from x import _\n_('many.p{n}', {n})\n")
    expected = run("input", "--no-cache", "-j", "1", "--format", "json").stdout
    assert run("input", "--no-cache", "-j", jobs, "--format", "json").stdout == expected


def test_jobs_must_not_be_negative(project: Path) -> None:
    assert run("input", "-j", "-1").exit_code == 2


def test_multiple_paths_and_explicit_file(project: Path) -> None:
    result = run("input/models", "input/train.py", "--format", "json")
    paths = {
        o["path"] for p in json.loads(result.stdout)["hyperparameters"] for o in p["occurrences"]
    }
    assert paths == {"input/models/net.py", "input/models/layers/conv.py", "input/train.py"}


def test_explicit_file_read_whatever_its_name(project: Path) -> None:
    write(project / "notes.txt", "_('from_txt', 1)\n")
    result = run("input/notes.txt", "--format", "json")
    assert [p["name"] for p in json.loads(result.stdout)["hyperparameters"]] == ["from_txt"]


def test_default_path_is_cwd(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    document = json.loads(run("--format", "json").stdout)
    assert "models/net.py" in {
        o["path"] for p in document["hyperparameters"] for o in p["occurrences"]
    }


# ---------------------------------------------------------------------------- errors


def test_missing_path_is_a_usage_error(project: Path) -> None:
    result = run("input", "nope")
    assert result.exit_code == 2
    assert "nope" in result.stderr and "does not exist" in result.stderr
    assert result.stdout == ""


def test_errors_on_stderr_rest_still_listed(project: Path) -> None:
    result = run("input")
    assert result.stderr.splitlines() == [
        "input/bad_calls.py:4:9: C001 hyper-parameter name must be a string literal",
        "input/bad_calls.py:5:8: C002 `_()` takes 1 or 2 positional arguments"
        " (name, default), got 3",
        "input/broken.py:4:12: F001 invalid syntax",
    ]
    assert "epochs" in result.stdout
    assert result.exit_code == 1


def test_undecodable_file_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.py").write_bytes(b"_('a', '\xff')\n")
    write(tmp_path / "good.py", "_('b', 1)\n")
    result = run("--format", "json")
    document = json.loads(result.stdout)
    assert [p["name"] for p in document["hyperparameters"]] == ["b"]
    assert document["errors"][0]["path"] == "bad.py"
    assert result.stderr.startswith("bad.py:1: ")
    assert result.exit_code == 1


def test_conflicts_are_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "conflicts")
    result = run("input", "--format", "json")
    errors = json.loads(result.stdout)["errors"]
    by_code = {e["code"]: e["message"] for e in errors}
    assert [e["code"] for e in errors] == ["D001", "D002", "D001"]
    assert "conflicting defaults" in by_code["D001"]
    assert "both a leaf and a tree" in by_code["D002"]
    assert result.exit_code == 1


def test_no_hyper_parameters_is_empty_output_and_a_note(tmp_path: Path) -> None:
    write(tmp_path / "plain.py", "x = 1\n")
    result = run(str(tmp_path))
    assert (result.stdout, result.exit_code) == ("", 0)
    assert result.stderr.startswith("hpman: no hyper-parameters found in 1 file read")
    document = json.loads(run(str(tmp_path), "--format", "json").stdout)
    assert document == {"hyperparameters": [], "errors": []}


def test_output_is_never_padded_or_cut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "20")
    monkeypatch.chdir(tmp_path)
    long_name = "a" * 150
    write(tmp_path / "m.py", f"_('{long_name}', 1)\n")
    out = run("--format", "json").stdout
    assert long_name in out
    assert all(line == line.rstrip() for line in out.splitlines())
    assert "\x1b[" not in out  # no colours when not on a terminal


# ---------------------------------------------------------------------------- gitignore


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


def test_gitignore_respected_in_a_work_tree(project: Path) -> None:
    write(project / "generated" / "extra.py", "_('generated_name', 1)\n")
    write(project / "models" / "proto_pb2.py", "_('pb2_name', 1)\n")
    listed = run("input", "--format", "json").stdout
    assert "generated_name" in listed and "pb2_name" in listed  # not a git work tree yet
    git(project, "init", "-q")
    names = [
        p["name"] for p in json.loads(run("input", "--format", "json").stdout)["hyperparameters"]
    ]
    assert "generated_name" not in names and "pb2_name" not in names
    assert "epochs" in names


def test_ignored_file_named_explicitly_is_read(project: Path) -> None:
    write(project / "generated" / "extra.py", "_('generated_name', 1)\n")
    git(project, "init", "-q")
    result = run("input/generated/extra.py", "--format", "json")
    assert [p["name"] for p in json.loads(result.stdout)["hyperparameters"]] == ["generated_name"]


# ---------------------------------------------------------------------------- pyproject


def test_pyproject_settings(project: Path) -> None:
    write(project / "hp.py", "hp('from_hp', 1)\n")
    write(
        project / "pyproject.toml",
        '[tool.hpman]\nplaceholder = "hp"\nexclude = ["models"]\njobs = 1\ncache = false\n',
    )
    result = run("input", "--format", "json")
    assert [p["name"] for p in json.loads(result.stdout)["hyperparameters"]] == ["from_hp"]


def test_command_line_wins_over_pyproject(project: Path) -> None:
    write(project / "pyproject.toml", '[tool.hpman]\nplaceholder = "hp"\nexclude = ["models"]\n')
    result = run("input", "--placeholder", "_", "--exclude", "data", "--format", "json")
    names = [p["name"] for p in json.loads(result.stdout)["hyperparameters"]]
    assert "model.depth" in names and "batch_size" in names
    assert "data.shuffle" not in names


def test_bad_pyproject_is_a_usage_error(project: Path) -> None:
    write(project / "pyproject.toml", "[tool.hpman]\nplaceholders = ['hp']\n")
    result = run("input")
    assert result.exit_code == 2
    assert "unknown key `placeholders`; did you mean `placeholder`?" in result.stderr
    assert "pyproject.toml" in result.stderr


# ---------------------------------------------------------------------------- cache


def test_cache_gives_the_same_output(project: Path) -> None:
    for format_ in FORMATS:
        cold = run("input", "--no-cache", "--format", format_)
        first = run("input", "--format", format_)
        second = run("input", "--format", format_)
        for result in (first, second):
            assert (result.stdout, result.stderr, result.exit_code) == (
                cold.stdout,
                cold.stderr,
                cold.exit_code,
            )


def test_unchanged_project_is_listed_without_parsing(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run("input", "--format", "detail")

    def no_scan(self: Scan, jobs: int | None = None) -> list[object]:
        raise AssertionError("scanned although nothing changed")

    monkeypatch.setattr(Scan, "run", no_scan)
    second = run("input", "--format", "detail")
    assert (second.stdout, second.stderr, second.exit_code) == (
        first.stdout,
        first.stderr,
        first.exit_code,
    )
    write(project / "new.py", "_('new', 1)\n")
    with pytest.raises(AssertionError, match="scanned although"):
        run("input", "--format", "detail")


def test_cache_follows_edits_deletes_and_renames(project: Path) -> None:
    def both() -> tuple[str, str]:
        cached = run("input", "--format", "json")
        fresh = run("input", "--no-cache", "--format", "json")
        assert (cached.stdout, cached.stderr) == (fresh.stdout, fresh.stderr)
        return cached.stdout, cached.stderr

    first = both()
    net = project / "models" / "net.py"
    net.write_text(net.read_text().replace("128", "129"))  # edit one byte
    assert '"value": 129' in both()[0]
    (project / "broken.py").unlink()  # delete
    assert "broken.py" not in both()[1]
    (project / "train.py").rename(project / "main.py")  # rename
    out = both()[0]
    assert "input/main.py" in out and "input/train.py" not in out
    assert first[0] != out


def test_cache_misses_when_the_placeholder_changes(project: Path) -> None:
    write(project / "hp.py", "hp('from_hp', 1)\n")
    run("input", "--format", "json")
    out = run("input", "--placeholder", "hp", "--format", "json").stdout
    assert [p["name"] for p in json.loads(out)["hyperparameters"]] == ["from_hp"]


def test_corrupt_cache_is_ignored(project: Path) -> None:
    expected = run("input", "--no-cache", "--format", "json").stdout
    run("input", "--format", "json")
    cache = Path(os.environ["HPMAN_CST_CACHE_DIR"])
    files = list(cache.iterdir())
    assert files
    for file in files:
        file.write_bytes(b"\x80\x04garbage")
    assert run("input", "--format", "json").stdout == expected
    for file in cache.iterdir():
        file.write_bytes(file.read_bytes()[:50])  # truncated
    assert run("input", "--format", "json").stdout == expected


def test_unwritable_cache_is_ignored(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = write(project.parent / "not-a-folder", "x")
    monkeypatch.setenv("HPMAN_CST_CACHE_DIR", str(blocker / "cache"))
    expected = run("input", "--no-cache", "--format", "json")
    for _ in range(2):
        result = run("input", "--format", "json")
        assert (result.stdout, result.stderr) == (expected.stdout, expected.stderr)


def test_no_cache_writes_nothing(project: Path) -> None:
    run("input", "--no-cache")
    assert not any(Path(os.environ["HPMAN_CST_CACHE_DIR"]).glob("*"))


def test_python_m_runs_the_command(project: Path) -> None:
    # The package is importable from the repository root (and installed under nox).
    done = subprocess.run(
        [sys.executable, "-m", "hpman_cst", "list", "input", "--name", "epochs"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        check=False,
    )
    assert done.stdout.splitlines()[2].split()[:3] == ["epochs", "int", "90"]


def test_compiler_warnings_are_not_printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    # An invalid escape: a DeprecationWarning up to 3.11, a SyntaxWarning from 3.12.
    write(tmp_path / "m.py", "x = '\\('\n_('a', 1)\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would now be an exception
        result = run("--no-cache")
    assert (result.stderr, result.exit_code) == ("", 0)
    assert "m.py:2" in result.stdout
