"""The options a ruff/black user expects of ``hpman``: one mode per run (``--diff``,
``--write``, ``--check``), the files ``--check`` would rewrite, ``-q/--quiet``,
``--color`` and ``--extend-exclude``, and what ``hpman list`` says when it finds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_runner import runner
from click.testing import Result

from hpman_cst.cli import cli

PROJECT = {
    "train.py": b"from hpman_cst.m import _\n\nlr = _('lr', 0.1)\nbs = _('batch_size', 32)\n",
    "model/net.py": b"from hpman_cst.m import _\n\nx = _('lr')\nlayers = _('num_layers', 5)\n",
    "legacy/old.py": b"from hpman_cst.m import _\n\ny = _('lr')\n",
}

RED, GREEN, CYAN, BOLD, RESET = "\x1b[31m", "\x1b[32m", "\x1b[36m", "\x1b[1m", "\x1b[0m"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, data in PROJECT.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.py"))}


def hpman(*args: str) -> Result:
    return runner().invoke(cli, list(args))


@pytest.mark.parametrize(
    "flags",
    [
        pytest.param(("--write", "--check"), id="write-check"),
        pytest.param(("--check", "--write"), id="check-write"),
        pytest.param(("--write", "--diff"), id="write-diff"),
    ],
)
@pytest.mark.parametrize(
    "command",
    [
        pytest.param(("rename", "lr", "rate"), id="rename"),
        pytest.param(("set-default", "num_layers", "8"), id="set-default"),
        pytest.param(("remove", "num_layers"), id="remove"),
    ],
)
def test_conflicting_modes_are_a_usage_error(
    project: Path, command: tuple[str, ...], flags: tuple[str, str]
) -> None:
    before = snapshot(project)
    result = hpman(*command, *flags)
    assert result.exit_code == 2
    other = flags[0] if flags[1] == "--write" else flags[1]
    assert f"--write and {other} cannot be used together" in result.stderr
    assert result.stdout == ""
    assert snapshot(project) == before


def test_diff_is_the_default_mode_spelled_out(project: Path) -> None:
    default = hpman("rename", "lr", "rate")
    explicit = hpman("rename", "lr", "rate", "--diff")
    assert explicit.exit_code == default.exit_code == 0
    assert explicit.stdout == default.stdout
    assert explicit.stdout.startswith("--- a/legacy/old.py\n")
    assert explicit.stderr == default.stderr


def test_check_with_diff_prints_the_diff_and_exits_1(project: Path) -> None:
    result = hpman("rename", "lr", "rate", "--check", "--diff")
    assert result.exit_code == 1
    assert result.stdout == hpman("rename", "lr", "rate").stdout
    assert "would rewrite train.py\n" in result.stderr


def test_check_names_each_file_that_would_change_then_the_summary(project: Path) -> None:
    before = snapshot(project)
    result = hpman("rename", "lr", "rate", "--check")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "would rewrite legacy/old.py\n"
        "would rewrite model/net.py\n"
        "would rewrite train.py\n"
        "3 files would change, 3 call sites\n"
    )
    assert snapshot(project) == before


def test_check_names_nothing_when_nothing_would_change(project: Path) -> None:
    result = hpman("set-default", "num_layers", "5", "--check")
    assert result.exit_code == 0
    assert result.stderr == "0 files would change\n"


@pytest.mark.parametrize(
    "mode",
    [pytest.param((), id="diff"), pytest.param(("--check",), id="check")],
)
def test_quiet_keeps_stderr_for_errors(project: Path, mode: tuple[str, ...]) -> None:
    loud = hpman("rename", "lr", "rate", *mode)
    result = hpman("rename", "lr", "rate", *mode, "-q")
    assert result.exit_code == loud.exit_code
    assert result.stdout == loud.stdout  # the diff is the output, not a message
    assert result.stderr == ""
    refused = hpman("rename", "lr_rate", "rate", "--quiet")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("hpman: unknown hyper-parameter `lr_rate`")


def test_quiet_write(project: Path) -> None:
    result = hpman("rename", "lr", "rate", "--write", "--quiet")
    assert result.exit_code == 0
    assert result.stdout == result.stderr == ""
    assert b"_('rate', 0.1)" in (project / "train.py").read_bytes()


def test_quiet_keeps_the_warning_about_names_that_are_not_literals(project: Path) -> None:
    (project / "dyn.py").write_bytes(b"from hpman_cst.m import _\nk = 'lr'\nv = _(k)\n")
    result = hpman("rename", "lr", "rate", "-q")
    assert result.stderr.startswith("hpman: warning: 1 call with a name that is not a string")


def test_color_never_and_auto_off_a_terminal_print_plain_diffs(project: Path) -> None:
    plain = hpman("rename", "lr", "rate").stdout
    assert "\x1b" not in plain
    assert hpman("rename", "lr", "rate", "--color", "never").stdout == plain
    assert hpman("rename", "lr", "rate", "--color", "auto").stdout == plain


def test_color_always_colours_each_kind_of_diff_line(project: Path) -> None:
    result = hpman("rename", "lr", "rate", "--color", "always")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        f"{BOLD}--- a/legacy/old.py{RESET}\n{BOLD}+++ b/legacy/old.py{RESET}\n{CYAN}@@ "
    )
    assert f"{RED}-y = _('lr'){RESET}\n{GREEN}+y = _('rate'){RESET}\n" in result.stdout
    assert " from hpman_cst.m import _\n" in result.stdout  # context lines stay plain
    stripped = result.stdout
    for code in (RED, GREEN, CYAN, BOLD, RESET):
        stripped = stripped.replace(code, "")
    assert stripped == hpman("rename", "lr", "rate").stdout


def test_color_keeps_crlf_after_the_reset(project: Path) -> None:
    (project / "crlf.py").write_bytes(b"from hpman_cst.m import _\r\nz = _('lr')\r\n")
    result = hpman("rename", "lr", "rate", "crlf.py", "--color", "always")
    assert f"{RED}-z = _('lr'){RESET}\r\n".encode() in result.stdout_bytes


def test_no_color_environment_turns_auto_off(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b" not in hpman("rename", "lr", "rate", "--color", "auto").stdout


def test_color_rejects_an_unknown_choice(project: Path) -> None:
    result = hpman("rename", "lr", "rate", "--color", "sometimes")
    assert result.exit_code == 2


PYPROJECT = b'[tool.hpman]\nexclude = ["legacy"]\n'


def test_extend_exclude_adds_to_the_configured_exclude(project: Path) -> None:
    (project / "pyproject.toml").write_bytes(PYPROJECT)
    result = hpman("list", "--format", "json", "--extend-exclude", "model")
    assert result.exit_code == 0
    assert '"path": "train.py"' in result.stdout
    assert "legacy/old.py" not in result.stdout  # the file's exclude still holds
    assert "model/net.py" not in result.stdout  # and ours is added


def test_exclude_still_replaces_the_configured_exclude(project: Path) -> None:
    (project / "pyproject.toml").write_bytes(PYPROJECT)
    result = hpman("list", "--format", "json", "--exclude", "model")
    assert "legacy/old.py" in result.stdout
    assert "model/net.py" not in result.stdout


def test_extend_exclude_on_a_rewrite(project: Path) -> None:
    (project / "pyproject.toml").write_bytes(PYPROJECT)
    result = hpman("rename", "lr", "rate", "--write", "--extend-exclude", "model/net.py")
    assert result.exit_code == 0
    after = snapshot(project)
    assert after["legacy/old.py"] == PROJECT["legacy/old.py"]
    assert after["model/net.py"] == PROJECT["model/net.py"]
    assert after["train.py"] != PROJECT["train.py"]


def test_extend_exclude_without_configuration(project: Path) -> None:
    result = hpman("list", "--format", "json", "--extend-exclude", "legacy")
    assert "legacy/old.py" not in result.stdout
    assert "model/net.py" in result.stdout


@pytest.mark.parametrize("command", ["rename", "set-default", "remove", "list"])
def test_every_command_documents_its_options(command: str) -> None:
    text = hpman(command, "--help").stdout
    expected = ["--extend-exclude", "-q, --quiet"]
    if command != "list":
        expected += ["--diff", "--color [auto|always|never]"]
    for option in expected:
        assert option in text


# ---------------------------------------------------------------------------------------
# hpman list that finds nothing


def test_list_that_finds_nothing_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.py").write_bytes(b"print('no manager here')\n")
    (tmp_path / "b.py").write_bytes(b"x = hp('lr', 1)\n")
    monkeypatch.chdir(tmp_path)
    result = hpman("list")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == (
        "hpman: no hyper-parameters found in 2 files read (looked for calls of `_`);"
        " if the manager has another name, pass --placeholder NAME\n"
    )
    found = hpman("list", "--placeholder", "hp")
    assert found.exit_code == 0
    assert found.stdout.startswith("name")
    assert found.stderr == ""


def test_list_that_finds_nothing_names_every_placeholder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.py").write_bytes(b"print('no manager here')\n")
    monkeypatch.chdir(tmp_path)
    result = hpman("list", "--placeholder", "hp", "--placeholder", "cfg", "--format", "json")
    assert result.exit_code == 0
    assert result.stdout == '{"hyperparameters": [\n],\n"errors": [\n]}\n'
    assert result.stderr == (
        "hpman: no hyper-parameters found in 1 file read (looked for calls of `hp`, `cfg`);"
        " if the manager has another name, pass --placeholder NAME\n"
    )
    assert hpman("list", "--placeholder", "hp", "-q").stderr == ""


def test_list_of_an_empty_folder_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = hpman("list")
    assert result.exit_code == 0
    assert result.stderr.startswith("hpman: no hyper-parameters found in 0 files read")


def test_list_that_finds_nothing_keeps_errors_and_their_exit_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bad.py").write_bytes(b"_('lr', 1\n")
    monkeypatch.chdir(tmp_path)
    result = hpman("list")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("bad.py:1:")
    assert lines[1].startswith("hpman: no hyper-parameters found in 1 file read")
