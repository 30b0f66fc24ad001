"""The ``hpman`` group: a command is one module of ``hpman_cst.cli.commands``, and the
one error map (``hpman_cst.cli.exits``) turns what a command returns or raises into the
exit status and one line."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from cli_runner import runner

from hpman_cst.cli import app, cli, commands
from hpman_cst.cli.exits import CLEAN, FINDINGS, USAGE, command_error
from hpman_cst.exceptions import (
    ConfigError,
    HpmanError,
    PathNotFound,
    RefactorRefused,
    RewriteError,
    UnreadableFile,
)

COMMAND_MODULE = '''
import click

from hpman_cst.exceptions import HpmanError, RefactorRefused


@click.command("hello")
@click.argument("what")
def hello(what: str) -> int:
    """Say hello, or fail as asked."""
    if what == "refuse":
        raise RefactorRefused("`lr` is in use", path="a.py", line=3, column=4)
    if what == "unsafe":
        raise HpmanError("would not parse", path="b.py")
    if what == "oserror":
        raise PermissionError(13, "Permission denied", "c.py")
    click.echo(f"hello {what}")
    return 1 if what == "findings" else 0


COMMANDS = (hello,)
'''


@pytest.fixture
def extended(tmp_path: Path) -> Iterator[click.Group]:
    """``hpman`` with the commands of a package holding one more module, ``hello``."""
    package = tmp_path / "more_commands"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "hello.py").write_text(COMMAND_MODULE)
    sys.path.insert(0, str(tmp_path))
    try:
        import more_commands  # type: ignore[import-not-found]

        group = app.HpmanGroup("hpman")
        app.add_commands(group, commands)
        app.add_commands(group, more_commands)
        yield group
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n.split(".")[0] == "more_commands"]:
            del sys.modules[name]


def test_every_command_module_is_added() -> None:
    assert sorted(cli.commands) == [
        "bake",
        "check",
        "export",
        "list",
        "migrate",
        "remove",
        "rename",
        "rule",
        "set-default",
        "stubs",
    ]


def test_a_new_module_is_a_new_command(extended: click.Group) -> None:
    result = runner().invoke(extended, ["hello", "world"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "hello world\n", "")
    assert "list" in extended.commands


@pytest.mark.parametrize(
    ("what", "status", "stderr"),
    [
        pytest.param("findings", FINDINGS, "", id="returned-findings"),
        pytest.param("refuse", FINDINGS, "hpman: a.py:3:5: `lr` is in use\n", id="refusal"),
        pytest.param("unsafe", USAGE, "hpman: b.py: would not parse\n", id="library-error"),
        pytest.param(
            "oserror", USAGE, "hpman: c.py: cannot read or write: Permission denied\n", id="oserror"
        ),
    ],
)
def test_status_and_one_line_from_the_map(
    extended: click.Group, what: str, status: int, stderr: str
) -> None:
    result = runner().invoke(extended, ["hello", what])
    assert result.exit_code == status
    assert result.stderr == stderr
    assert not isinstance(result.exception, (HpmanError, OSError))  # no traceback


@pytest.mark.parametrize(
    ("error", "status"),
    [
        pytest.param(RefactorRefused("in use"), FINDINGS, id="refused"),
        pytest.param(RewriteError("not proven"), USAGE, id="unsafe"),
        pytest.param(PathNotFound("no such path", path="x"), USAGE, id="missing-path"),
        pytest.param(ConfigError("bad [tool.hpman]"), USAGE, id="config"),
        pytest.param(UnreadableFile("cannot read file", path="y.py"), USAGE, id="unreadable"),
        pytest.param(OSError(28, "No space left on device"), USAGE, id="oserror"),
    ],
)
def test_map(error: HpmanError | OSError, status: int) -> None:
    mapped = command_error(error)
    assert mapped.exit_code == status
    assert "\n" not in mapped.format_message()
    assert CLEAN not in (FINDINGS, USAGE)


def test_a_missing_config_path_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.hpman]\nplaceholders = 3\n")
    monkeypatch.chdir(tmp_path)
    result = runner().invoke(cli, ["list"])
    assert result.exit_code == USAGE
    assert result.stderr.startswith("hpman: ") and result.stderr.count("\n") == 1


def _exits_outside_the_map() -> list[str]:
    """``path:line`` of each call of an ``exit`` (``sys.exit``, ``ctx.exit``, ...) or
    raise of ``SystemExit``/``Exit`` in the command line outside ``exits.py``."""
    root = Path(app.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "exits.py":
            continue
        for node in ast.walk(ast.parse(path.read_bytes())):
            target = node.func if isinstance(node, ast.Call) else None
            if isinstance(node, ast.Raise) and node.exc is not None:
                raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                target = raised if _name(raised) in ("SystemExit", "Exit") else None
            if target is not None and _name(target) in ("exit", "SystemExit", "Exit"):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def test_only_the_map_ends_a_command() -> None:
    assert _exits_outside_the_map() == []


@pytest.mark.parametrize("name", ["l\nr", "l\r\nr", "l\u2028r", "l\x85r"])
def test_an_error_naming_a_line_break_stays_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    (tmp_path / "a.py").write_text("from hpman_cst.m import _\nlr = _('lr', 1)\n")
    monkeypatch.chdir(tmp_path)
    result = runner().invoke(cli, ["rename", name, "x"])
    assert result.exit_code == FINDINGS
    assert len(result.stderr.splitlines()) == 1
    escaped = name.encode("unicode_escape").decode("ascii")
    assert result.stderr == f"hpman: unknown hyper-parameter `{escaped}`; did you mean `lr`?\n"
