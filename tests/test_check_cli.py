"""``hpman check`` and ``hpman rule`` end to end: the example project is clean, a project
seeded with one problem of each kind reports exactly those in every format (JSON and
SARIF validated against their schemas), a run saved with ``--hp-save`` drifts as the code
changes, and the controls (selection, suppression, exit codes) behave as ruff's do."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from cli_runner import runner

from hpman_cst.cli import cli
from hpman_cst.lint import catalog

REPO = Path(__file__).resolve().parent.parent
SEEDED = REPO / "fixtures" / "check" / "seeded"
SCHEMAS = Path(__file__).resolve().parent / "schemas"
UPDATE = os.environ.get("HPMAN_UPDATE_FIXTURES") == "1"


def _check(*args: str) -> tuple[int, str, str]:
    result = runner().invoke(cli, ["check", "--no-cache", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_example_project_is_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    assert _check("fixtures/example") == (0, "All checks passed.\n", "")


@pytest.mark.fixtures
@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_the_seeded_project_reports_each_problem_once(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(SEEDED)
    code, out, err = _check("project", "--config", "run.yaml", "--format", fmt)
    expected = SEEDED / f"expected.{fmt}"
    if UPDATE:
        expected.write_text(out)
    assert (code, err) == (1, "")
    assert out == expected.read_text()
    if fmt == "json":
        document = json.loads(out)
        jsonschema.validate(
            document, json.loads((SCHEMAS / "check-output.schema.json").read_text())
        )
        codes = [f["code"] for f in document["findings"]]
    elif fmt == "sarif":
        document = json.loads(out)
        schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())
        jsonschema.Draft4Validator(schema).validate(document)
        codes = [r["ruleId"] for r in document["runs"][0]["results"]]
    elif fmt == "github":
        codes = [line.split("::")[2].split(" ")[0] for line in out.splitlines()]
    else:
        codes = [line.split(" ")[1] for line in out.splitlines()[:-1]]
    # every rule but F003 (a file without read permission cannot live in a repository)
    assert sorted(codes) == sorted(r.code for r in catalog.RULES if r.code != "F003")


def test_text_findings_carry_ruff_positions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SEEDED)
    _code, out, _err = _check("project", "--config", "run.yaml", "--select", "D001,R002")
    assert out.splitlines() == [
        "project/train.py:8:13: D001 conflicting defaults for `lr`: 0.01 here,"
        " 0.1 at project/train.py:7:6",
        "run.yaml:2:1: R002 `layers` is a str here ('4'), but the code's default is an int"
        " (4, project/train.py:25:10)",
        "Found 2 problems (1 error, 1 warning).",
    ]


def _hpcli() -> str:
    found = shutil.which("hpcli", path=os.path.dirname(sys.executable))
    assert found is not None
    return found


def test_a_saved_run_drifts_as_the_code_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "train.py"
    source.write_text(
        'lr = _("lr", 0.1)\nlayers = _("layers", 4)\nold = _("old", "x")\n'
        'opt = _("optim.momentum", 0.9)\n'
    )
    subprocess.run(
        [_hpcli(), "train.py", "--hp-save", "run.yaml"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    saved = (tmp_path / "run.yaml").read_text()
    assert saved == "layers: 4\nlr: 0.1\nold: x\noptim.momentum: 0.9\n"
    # a rename, a new name, a removed name, a type change
    source.write_text(
        'lr = _("learning_rate", 0.1)\nlayers = _("layers", 4.0)\n'
        'opt = _("optim.momentum", 0.9)\nwarmup = _("warmup", 100)\n'
    )
    monkeypatch.chdir(tmp_path)
    code, out, _err = _check("train.py", "--config", "run.yaml")
    assert out.splitlines() == [
        "run.yaml:1:1: R002 `layers` is an int here (4), but the code's default is a float"
        " (4.0, train.py:2:10)",
        "run.yaml:1:1: R004 `warmup` is not in this run (added to the code since it was"
        " saved?): it will take the default 100 (train.py:4:10)",
        "run.yaml:2:1: R001 `lr` is no longer a hyper-parameter of the code; probably renamed"
        " to `learning_rate`",
        "run.yaml:3:1: R001 `old` is no longer a hyper-parameter of the code",
        "Found 4 problems (2 errors, 1 warning, 1 info).",
    ]
    assert code == 1


TWO = 'a = _("lr", 0.1)\nb = _("learning_rate", 0.1)\nc = _("steps")\n'


@pytest.fixture
def two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "t.py").write_text(TWO)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("args", "codes"),
    [
        pytest.param([], ["N001", "D003"], id="all"),
        pytest.param(["--select", "N"], ["N001"], id="select-prefix"),
        pytest.param(["--ignore", "N001"], ["D003"], id="ignore-code"),
        pytest.param(["--select", "D,N", "--ignore", "D"], ["N001"], id="ignore-family"),
        pytest.param(["--ignore", "D", "--select", "D003"], ["D003"], id="longer-select-wins"),
        pytest.param(["--select", "all"], ["N001", "D003"], id="ALL"),
    ],
)
def test_select_and_ignore(two: Path, args: list[str], codes: list[str]) -> None:
    exit_code, out, _err = _check(*args, ".")
    assert [line.split(" ")[1] for line in out.splitlines()[:-1]] == codes
    assert exit_code == 1


def test_an_unknown_selector_is_a_usage_error(two: Path) -> None:
    exit_code, _out, err = _check("--select", "D01", ".")
    assert exit_code == 2
    assert err == "hpman: --select: no rule code starts with `D01`; did you mean `D001`?\n"


def test_per_file_ignores_and_select_from_pyproject(two: Path) -> None:
    (two / "pyproject.toml").write_text(
        '[tool.hpman]\nselect = ["D", "N"]\nper-file-ignores = {"t.py" = ["N001"]}\n'
    )
    assert _check(".")[1].splitlines()[0].split(" ")[1] == "D003"
    assert _check("--select", "N", ".")[0] == 0


def test_a_comment_silences_its_line(two: Path) -> None:
    (two / "t.py").write_text(
        'a = _("lr", 0.1)\nb = _("learning_rate", 0.1)  # hpman: ignore[N001]\n'
        'c = _("steps")  # hpman: ignore\nd = "# hpman: ignore"; e = _("n_steps")\n'
    )
    _code, out, _err = _check(".")
    assert out.splitlines()[:-1] == [
        "t.py:4:28: D003 `n_steps` is read here but given a default nowhere"
    ]


def test_exit_zero_and_statistics(two: Path) -> None:
    assert _check("--exit-zero", ".")[0] == 0
    assert _check("--statistics", ".") == (
        1,
        "1\tD003\tmissing-default\n1\tN001\tnear-duplicate-names\n",
        "",
    )


def test_info_findings_alone_do_not_fail(two: Path) -> None:
    (two / "t.py").write_text('act = _("act", nn.ReLU)\n')
    exit_code, out, _err = _check(".")
    assert (exit_code, out.splitlines()[-1]) == (0, "Found 1 problem (1 info).")


@pytest.mark.parametrize(
    ("config", "message"),
    [
        pytest.param(
            "runs/*.yaml", "hpman: --config runs/*.yaml: the glob matches no file\n", id="glob"
        ),
        pytest.param("gone.yaml", "hpman: gone.yaml: no such file\n", id="missing"),
        pytest.param("bad.yaml", "hpman: bad.yaml:2:1: duplicate key 'a'\n", id="bad"),
        pytest.param(
            "run.txt",
            "hpman: run.txt: cannot tell the format from the extension '.txt': use .yaml,"
            " .yml or .json, or give the format explicitly\n",
            id="extension",
        ),
    ],
)
def test_config_errors_are_usage_errors(two: Path, config: str, message: str) -> None:
    (two / "bad.yaml").write_text("a: 1\na: 2\n")
    (two / "run.txt").write_text("a: 1\n")
    assert _check("--config", config, ".") == (2, "", message)


def test_configs_ignored_by_git_are_read(two: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=two, check=True)
    (two / ".gitignore").write_text("outputs/\n")
    (two / "outputs" / "a").mkdir(parents=True)
    (two / "outputs" / "a" / "run.json").write_text('{\n  "lr": 0.1,\n  "lr_old": 1\n}\n')
    _code, out, _err = _check("--select", "R001", "--config", "outputs/**/*.json", ".")
    assert out.splitlines()[0].startswith("outputs/a/run.json:3:3: R001 `lr_old` is no longer")


def test_a_tree_shaped_run_reports_at_the_nested_key(two: Path) -> None:
    (two / "t.py").write_text('m = _("optim.momentum", 0.9)\n')
    (two / "run.yaml").write_text("optim:\n  momentum: 0.9\n  lr: 0.1\n")
    _code, out, _err = _check("--config", "run.yaml", ".")
    assert (
        out.splitlines()[0]
        == "run.yaml:3:3: R001 `optim.lr` is no longer a hyper-parameter of the code"
    )


def test_project_mode_reports_only_the_named_files(two: Path) -> None:
    (two / "u.py").write_text('y = _("steps", 3)\nx = _("unset")\n')
    (two / "t.py").write_text('z = _("steps")\n')
    assert _check("t.py")[1].startswith("t.py:1:5: D003 `steps`")  # alone: no default
    assert _check("--project", ".", "t.py") == (0, "All checks passed.\n", "")
    assert _check(".")[1].startswith("u.py:2:5: D003 `unset`")


@pytest.mark.parametrize(
    ("name", "before", "after"),
    [
        pytest.param(
            "run.yaml",
            "lr: 0.05  # tuned\nsteps: 10\n",
            "learning_rate: 0.05  # tuned\nsteps: 10\n",
            id="yaml",
        ),
        pytest.param(
            "run.yaml",
            "optim:\r\n  'lr': 0.05\r\nsteps: 10\r\n",
            "optim:\r\n  'learning_rate': 0.05\r\nsteps: 10\r\n",
            id="yaml-tree-quoted-crlf",
        ),
        pytest.param(
            "run.json",
            '\ufeff{\n  "lr": 0.05,\n  "steps": 10\n}\n',
            '\ufeff{\n  "learning_rate": 0.05,\n  "steps": 10\n}\n',
            id="json-bom",
        ),
    ],
)
def test_fix_renames_a_key_whose_rename_is_certain(
    two: Path, name: str, before: str, after: str
) -> None:
    group = "optim." if "optim" in before else ""
    (two / "t.py").write_text(f'a = _("{group}learning_rate", 0.1)\nb = _("steps", 1)\n')
    run = two / name
    run.write_bytes(before.encode("utf-8"))
    exit_code, out, err = _check("--fix", "--config", name, ".")
    assert exit_code == 1 and run.read_bytes() == before.encode("utf-8")
    changed = next(line for line in before.splitlines() if "lr" in line)
    assert f"\n-{changed.lstrip(chr(0xFEFF))}" in out
    assert err == "1 fix in 1 file; nothing written (use --fix --write to apply)\n"
    exit_code, out, err = _check("--fix", "--write", "--config", name, ".")
    assert (exit_code, out, err) == (0, "All checks passed.\n", "1 fix in 1 file written\n")
    assert run.read_bytes() == after.encode("utf-8")


def test_no_fix_when_the_rename_is_not_certain(two: Path) -> None:
    (two / "t.py").write_text('a = _("learning_rate", 0.1)\nb = _("lrate", 0.1)\n')
    (two / "run.yaml").write_text("lr: 0.05\n")
    exit_code, _out, err = _check("--fix", "--write", "--config", "run.yaml", ".")
    assert exit_code == 1 and (two / "run.yaml").read_text() == "lr: 0.05\n"
    assert err == "0 fixes in 0 files written\n"


def test_write_without_fix_is_a_usage_error(two: Path) -> None:
    assert _check("--write", ".")[0] == 2


def test_the_cached_findings_follow_the_files_and_runs(two: Path) -> None:
    def cached(*args: str) -> str:
        return runner().invoke(cli, ["check", *args, "--config", "run.yaml", "."]).stdout

    (two / "run.yaml").write_text("lr: 0.1\n")
    first = cached()
    assert cached() == first and "R001" not in first
    (two / "run.yaml").write_text("lr: 0.1\nold: 1\n")
    assert "R001 `old`" in cached()
    (two / "t.py").write_text(TWO.replace('_("steps")', '_("steps")  # hpman: ignore'))
    assert "D003" not in cached()
    assert "N001" not in cached("--ignore", "N")


def test_near_names_are_tunable_in_pyproject(two: Path) -> None:
    (two / "t.py").write_text(
        'a = _("cfg_path", "a")\nb = _("config_file", "a")\nc = _("lr", 0.1)\n'
    )
    assert _check("--select", "N", ".")[0] == 0
    (two / "pyproject.toml").write_text(
        '[tool.hpman.near-names]\nabbreviations = {cfg = "config", path = "file"}\n'
    )
    assert _check("--select", "N", ".")[1].startswith("t.py:2:7: N001 `config_file` looks like")
    (two / "pyproject.toml").write_text("[tool.hpman.near-names]\ndistanse = 2\n")
    exit_code, _out, err = _check(".")
    assert exit_code == 2
    assert "[tool.hpman.near-names]: unknown key `distanse`; did you mean `distance`?" in err
