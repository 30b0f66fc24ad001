"""``hpman rename``, ``set-default`` and ``remove`` from the command line: modes, exit
codes, the summary line, and every refusal leaving every file as it was."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
import warnings
from pathlib import Path

import pytest
from cli_runner import runner
from click.testing import Result

import hpman_cst.refactor.write
from hpman_cst.cli import cli
from hpman_cst.index import index_file

PROJECT = {
    "train.py": (
        b"from hpman_cst.m import _\r\n"
        b"\r\n"
        b"lr = _('lr', 0.1, range=[0.0, 1.0])\r\n"
        b'opt = _("optimizer", "sgd", choices=["sgd", "adam"])\r\n'
        b"print(_.get_value('lr'))\r\n"
    ),
    "model/net.py": (
        b"from hpman_cst.m import _\n"
        b"\n"
        b"decay = _('lr_decay', 0.5)\n"
        b"layers = _('num_layers', 5) * 2\n"
        b"width = _('optim.width', 64)\n"
        b"x = _('lr')  # read again\n"
    ),
    "notes/readme.txt": b"_('lr', 1)  # not Python, never scanned\n",
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, data in PROJECT.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def hpman(*args: str) -> Result:
    return runner().invoke(cli, list(args))


def test_default_mode_prints_a_diff_and_writes_nothing(project: Path) -> None:
    before = snapshot(project)
    result = hpman("rename", "lr", "learning_rate")
    assert result.exit_code == 0
    assert result.stdout.startswith("--- a/model/net.py\n+++ b/model/net.py\n")
    assert "-x = _('lr')  # read again\n+x = _('learning_rate')  # read again\n" in result.stdout
    raw = result.stdout_bytes  # (click's `stdout` turns CRLF into LF)
    assert b"--- a/train.py\n+++ b/train.py\n" in raw  # headers use \n, lines keep CRLF
    assert b"+lr = _('learning_rate', 0.1, range=[0.0, 1.0])\r\n" in raw
    assert b"+print(_.get_value('learning_rate'))\r\n" in raw
    changed = [line for line in result.stdout.splitlines() if line[:1] in "+-"]
    assert not any("lr_decay" in line for line in changed)
    assert result.stderr == (
        "2 files would change, 3 call sites; nothing written (use --write to apply)\n"
    )
    assert snapshot(project) == before


def test_write_applies_and_keeps_newlines(project: Path) -> None:
    result = hpman("rename", "lr", "learning_rate", "--write")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "2 files changed, 3 call sites\n"
    after = snapshot(project)
    assert after["train.py"] == PROJECT["train.py"].replace(b"'lr'", b"'learning_rate'")
    assert after["model/net.py"] == PROJECT["model/net.py"].replace(b"'lr'", b"'learning_rate'")
    assert after["notes/readme.txt"] == PROJECT["notes/readme.txt"]


def test_check_exits_1_when_something_would_change(project: Path) -> None:
    before = snapshot(project)
    result = hpman("set-default", "num_layers", "8", "--check")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "would rewrite model/net.py\n1 file would change, 1 call site\n"
    assert snapshot(project) == before


def test_check_exits_0_when_nothing_would_change(project: Path) -> None:
    result = hpman("set-default", "num_layers", "5", "--check")
    assert result.exit_code == 0
    assert result.stderr == "0 files would change\n"


@pytest.mark.parametrize(
    ("calls", "warning"),
    [
        pytest.param(
            b"key = 'lr'\nrate = _(key)\n",
            "hpman: warning: 1 call with a name that is not a string literal, left as it is"
            " (first: model/dyn.py:3:8): check that none means `lr`\n",
            id="one",
        ),
        pytest.param(
            b"rate = _(f'{k}')\nother = _(k, 1)\n",
            "hpman: warning: 2 calls with a name that is not a string literal, left as they"
            " are (first: model/dyn.py:2:8): check that none means `lr`\n",
            id="two",
        ),
        pytest.param(
            b"key = 'lr'\nrate = _.get_value(key)\n_.set_values(config)\n",
            "hpman: warning: 2 calls with a name that is not a string literal, left as they"
            " are (first: model/dyn.py:3:20): check that none means `lr`\n",
            id="api-calls",
        ),
        pytest.param(
            b"_.set_tree({'optim': {'lr': 1}}, prefix=group)\n_.set_values({**extra})\n",
            "hpman: warning: 2 calls with a name that is not a string literal, left as they"
            " are (first: model/dyn.py:2:41): check that none means `lr`\n",
            id="api-tree-prefix-and-mapping",
        ),
    ],
)
def test_calls_with_an_unknown_name_are_reported_after_the_summary(
    project: Path, calls: bytes, warning: str
) -> None:
    (project / "model" / "dyn.py").write_bytes(b"from hpman_cst.m import _\n" + calls)
    result = hpman("rename", "lr", "learning_rate", "--write")
    assert result.exit_code == 0
    assert result.stderr == "2 files changed, 3 call sites\n" + warning
    assert (project / "model" / "dyn.py").read_bytes().endswith(calls)


def test_set_default_bare_word(project: Path) -> None:
    result = hpman("set-default", "optimizer", "adam", "--write")
    assert result.exit_code == 0
    assert b'_("optimizer", "adam", choices' in (project / "train.py").read_bytes()


def test_remove_inlines_with_parentheses(project: Path) -> None:
    result = hpman("remove", "num_layers", "--write")
    assert result.exit_code == 0
    assert b"layers = 5 * 2\n" in (project / "model/net.py").read_bytes()


def test_paths_limit_the_scan(project: Path) -> None:
    result = hpman("rename", "lr", "rate", "model", "--write")
    assert result.exit_code == 0
    assert snapshot(project)["train.py"] == PROJECT["train.py"]
    assert b"_('rate')" in (project / "model/net.py").read_bytes()


def test_exclude(project: Path) -> None:
    result = hpman("rename", "lr", "rate", "--exclude", "model", "--write")
    assert result.exit_code == 0
    assert snapshot(project)["model/net.py"] == PROJECT["model/net.py"]


def test_placeholder(project: Path) -> None:
    (project / "hp.py").write_text("x = hp('lr', 1)\ny = _('zz', 2)\n")
    result = hpman("rename", "lr", "rate", "--placeholder", "hp", "--write")
    assert result.exit_code == 0
    assert (project / "hp.py").read_text() == "x = hp('rate', 1)\ny = _('zz', 2)\n"
    assert snapshot(project)["train.py"] == PROJECT["train.py"]


def test_jobs(project: Path) -> None:
    result = hpman("rename", "lr", "learning_rate", "-j", "2")
    assert result.exit_code == 0
    assert result.stdout == hpman("rename", "lr", "learning_rate").stdout


REFUSALS = [
    (
        ("rename", "lr_decy", "decay"),
        "hpman: unknown hyper-parameter `lr_decy`; did you mean `lr_decay`?",
    ),
    (
        ("rename", "lr", "num_layers"),
        "hpman: cannot rename `lr` to `num_layers`: `num_layers` is already in use at"
        " model/net.py:4:10 with a different default (`5` at model/net.py:4:10, `0.1` at"
        " train.py:3:6)",
    ),
    (
        ("rename", "lr", "optim"),
        "hpman: cannot rename `lr` to `optim`: `lr` has a default at train.py:3:6 and"
        " `optim.width` is in use at model/net.py:5:9, so `optim` would be both a value and"
        " a group; choose another new name",
    ),
    (
        ("rename", "lr", "learning rate"),
        "hpman: `learning rate` is not a valid hyper-parameter name (identifiers joined by"
        " dots, like `optim.lr`)",
    ),
    (
        ("set-default", "num_layers", "five"),
        "hpman: `five` is not a Python literal, nor a value the option of `num_layers` takes"
        " (invalid int value: 'five'); to write it as an expression, pass --expr",
    ),
    (
        ("set-default", "lr", "1.5"),
        "hpman: `lr`: 1.5 is out of range [0.0, 1.0] (hint at train.py:3:6)",
    ),
    (
        ("set-default", "optimizer", "rmsprop"),
        "hpman: `optimizer`: invalid choice: 'rmsprop' (choose from 'sgd', 'adam') (hint at"
        " train.py:4:7)",
    ),
    (
        ("set-default", "lr_decy", "1"),
        "hpman: unknown hyper-parameter `lr_decy`; did you mean `lr_decay`?",
    ),
    (
        ("set-default", "num_layers", "8  # deeper"),
        "hpman: the value '8  # deeper' must be written without a comment",
    ),
    (
        ("set-default", "num_layers", "[8,  # deeper\n 9]"),
        "hpman: the value '[8,  # deeper\\n 9]' must be written without a comment",
    ),
    (
        ("set-default", "num_layers", ""),
        "hpman: the value is empty (an empty string is written '\"\"')",
    ),
    (
        ("set-default", "optimizer", " "),
        "hpman: the value is empty (an empty string is written '\"\"')",
    ),
    (
        ("set-default", "num_layers", "8), (9"),
        "hpman: the value '8), (9' is not one expression",
    ),
    (("remove", "optim"), "hpman: `optim` is a group (optim.width); name one hyper-parameter"),
    (("remove", "lr_decy"), "hpman: unknown hyper-parameter `lr_decy`; did you mean `lr_decay`?"),
]


@pytest.mark.parametrize(
    ("args", "message"), [pytest.param(a, m, id="-".join(a)) for a, m in REFUSALS]
)
@pytest.mark.parametrize("mode", [(), ("--write",)], ids=["diff", "write"])
def test_refusals(
    project: Path, args: tuple[str, ...], message: str, mode: tuple[str, ...]
) -> None:
    before = snapshot(project)
    result = hpman(*args, *mode)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == message + "\n"
    assert snapshot(project) == before


def test_rename_merge_when_defaults_agree(project: Path) -> None:
    (project / "more.py").write_text("y = _('learning_rate', 1e-1)\n")
    refused = hpman("rename", "lr", "learning_rate", "--write")
    assert refused.exit_code == 1
    assert "pass --merge to merge them (their defaults agree)" in refused.stderr
    merged = hpman("rename", "lr", "learning_rate", "--merge", "--write")
    assert merged.exit_code == 0
    assert b"_('learning_rate', 0.1" in (project / "train.py").read_bytes()


@pytest.mark.parametrize(
    ("files", "args", "message"),
    [
        pytest.param(
            {"a.py": "x = _('a', 1)\n_.set_value('a', 2)\n"},
            ("remove", "a"),
            "hpman: cannot remove `a`: `.set_value` still uses it at a.py:2:13",
            id="still-set",
        ),
        pytest.param(
            {"a.py": "x = _('a')\n"},
            ("remove", "a"),
            "hpman: cannot remove `a`: it has no default to inline (it is only read, at a.py:1:5)",
            id="no-default",
        ),
        pytest.param(
            {"a.py": "x = _('a', f())\ny = _('a')\n"},
            ("remove", "a"),
            "hpman: cannot remove `a`: its default `f()` is not a literal and it is also"
            " read at a.py:2:5",
            id="non-literal-read-elsewhere",
        ),
        pytest.param(
            {"a.py": "x = _('a', 1)\n", "b.py": "y = _('a', 2)\n"},
            ("remove", "a"),
            "hpman: cannot remove `a`: b.py:1:5: conflicting defaults for `a`: 2 here, 1 at"
            " a.py:1:5",
            id="defaults-differ",
        ),
        pytest.param(
            {"a.py": "x = _('a')\n"},
            ("set-default", "a", "1"),
            "hpman: `a` has no default to replace (it is only read, at a.py:1:5)",
            id="set-default-no-default",
        ),
    ],
)
def test_more_refusals(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, str],
    args: tuple[str, ...],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    before = snapshot(tmp_path)
    result = hpman(*args, "--write")
    assert (result.exit_code, result.stderr) == (1, message + "\n")
    assert snapshot(tmp_path) == before


def test_unparsable_file_blocks_the_write(project: Path) -> None:
    (project / "broken.py").write_text("x = _('lr', 0.1))\n")
    before = snapshot(project)
    result = hpman("rename", "lr", "rate", "--write")
    assert result.exit_code == 2
    assert result.stderr.startswith("hpman: broken.py:1:17: unmatched ')'")
    assert result.stderr.count("\n") == 1
    assert snapshot(project) == before


def test_file_libcst_cannot_round_trip_blocks_the_write(project: Path) -> None:
    (project / "odd.py").write_text("try:\n    pass\nexcept OSError : _('lr')\n")
    before = snapshot(project)
    result = hpman("rename", "lr", "rate", "--write")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "hpman: odd.py:3: libcst does not print this file back unchanged (at this line);"
        " nothing was changed: libcst proves every rewrite, so edit the call sites"
    )
    assert result.stderr.count("\n") == 1
    assert snapshot(project) == before


def test_installed_command(tmp_path: Path) -> None:
    command = Path(sys.executable).parent / "hpman"
    (tmp_path / "train.py").write_bytes(b"x = _('lr', 0.1)\r\n")
    run = subprocess.run(
        [str(command), "rename", "lr", "learning_rate", "--write"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": ""},
        check=False,
    )
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "1 file changed, 1 call site\n")
    assert (tmp_path / "train.py").read_bytes() == b"x = _('learning_rate', 0.1)\r\n"


def _copy_stdlib(target: Path) -> None:
    root = Path(sysconfig.get_paths()["stdlib"])
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in ("site-packages", "__pycache__")]
        for name in files:
            if name.endswith(".py"):
                source = Path(folder) / name
                copy = target / source.relative_to(root)
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, copy)


# Files that Python itself cannot decode (they test the tokenizer): any scanned file
# that does not parse blocks a rewrite, so a real run excludes them.
_BROKEN = ("--exclude", "bad_coding*.py", "--exclude", "badsyntax_*.py")


@pytest.mark.slow
def test_a_gettext_message_in_a_stdlib_copy_is_not_a_hyper_parameter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # argparse and optparse bind `_` to gettext at module level: their `_("...")` calls
    # are messages, so a rename finds nothing there and writes nothing anywhere.
    _copy_stdlib(tmp_path)
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    old = "show this help message and exit"
    for path in ("argparse.py", "optparse.py"):
        assert f"_('{old}')".encode() in before[path] or f'_("{old}")'.encode() in before[path]
        index = index_file(path)
        assert [r.placeholder for r in index.rebound] == ["_"]
        assert not [o for o in index.occurrences if o.name == old]
    stamps = {p: (tmp_path / p).stat().st_mtime_ns for p in before}
    result = hpman("rename", old, "display_help", "--write", *_BROKEN)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"hpman: unknown hyper-parameter `{old}`")
    assert snapshot(tmp_path) == before
    assert {p: (tmp_path / p).stat().st_mtime_ns for p in before} == stamps


def test_a_file_named_twice_is_rewritten_once(project: Path) -> None:
    result = hpman("rename", "lr", "rate", "train.py", "./train.py", "model/../train.py", "--write")
    assert (result.exit_code, result.stderr) == (0, "1 file changed, 2 call sites\n")
    assert (project / "train.py").read_bytes() == PROJECT["train.py"].replace(b"'lr'", b"'rate'")


def test_tool_hpman_settings_apply(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.hpman]\nplaceholder = ["hp", "_"]\nexclude = ["model"]\n'
    )
    (project / "hp.py").write_text("x = hp('lr', 0.1)\n")
    result = hpman("rename", "lr", "rate", "--write")
    assert (result.exit_code, result.stderr) == (0, "2 files changed, 3 call sites\n")
    assert (project / "hp.py").read_text() == "x = hp('rate', 0.1)\n"
    assert snapshot(project)["model/net.py"] == PROJECT["model/net.py"]


def test_gitignored_files_are_not_rewritten(project: Path) -> None:
    (project / ".gitignore").write_text("model/\n")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)  # asked of git itself
    result = hpman("rename", "lr", "rate", "--write")
    assert result.exit_code == 0
    assert snapshot(project)["model/net.py"] == PROJECT["model/net.py"]


def test_a_failing_write_is_one_line(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(path: object, data: bytes, **options: object) -> None:
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(hpman_cst.refactor.write, "atomic_write", full_disk)
    result = hpman("rename", "lr", "rate", "--write")
    assert (result.exit_code, result.stderr) == (
        2,
        "hpman: model/net.py: cannot write: No space left on device; nothing was written;"
        " left as they were: model/net.py, train.py\n",
    )


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("x = _('lr', _('lr'))\n", id="same-name-get"),
        pytest.param("x = _('lr', _('other'))\n", id="other-name-get"),
        pytest.param("x = f\"{_('lr', _('lr', **kw), **kw)}\"\n", id="f-string"),
    ],
)
def test_set_default_refuses_to_replace_a_default_that_is_a_call_site(
    source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The default *is* another call site (its span is the default's span): replacing it
    # would delete that site. A refusal (exit 1), not a failed verification (exit 2).
    (tmp_path / "m.py").write_text(source)
    monkeypatch.chdir(tmp_path)
    result = hpman("set-default", "lr", "3", "m.py", "--write")
    assert result.exit_code == 1
    assert "this would delete the call site" in result.stderr
    assert (tmp_path / "m.py").read_text() == source


def test_set_default_may_replace_a_default_that_is_not_a_valid_literal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # {[]} is an unhashable set literal: a problem of the file, which the edit removes.
    (tmp_path / "m.py").write_text("x = _('lr', {[]})\n")
    monkeypatch.chdir(tmp_path)
    result = hpman("set-default", "lr", "3", "m.py", "--write")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "m.py").read_text() == "x = _('lr', 3)\n"


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["rename", "pat", "pattern"], id="rename"),
        pytest.param(["set-default", "pat", "'\\w+'"], id="set-default"),
        pytest.param(["remove", "pat"], id="remove"),
    ],
)
def test_compiler_warnings_are_not_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    # Invalid escapes, in the file and in the new value: a DeprecationWarning up to 3.11,
    # a SyntaxWarning from 3.12. Only the summary line may reach stderr.
    (tmp_path / "m.py").write_text("import re\nr = re.compile('\\(')\nx = _('pat', '\\d+')\n")
    monkeypatch.chdir(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would now be an exception
        result = hpman(*args, "--write")
    assert (result.exit_code, result.stderr) == (0, "1 file changed, 1 call site\n")


EXAMPLE_PROJECT = {
    "src/train.py": (
        "from hpman_cst.m import _\n"
        "lr = _('lr', 0.1)\n"
        "layers = _('num_layers', 5) * 2\n"
        "milestones = _('milestones', [10, 20])\n"
        "opt = _('optimizer', 'sgd', choices=['sgd', 'adam'])\n"
        "optim = {'lr': _('optim.lr', 0.1), 'momentum': _('optim.momentum', 0.9)}\n"
        "shuffle = _('shuffle', True)\n"
        "act = _('act', nn.ReLU)()\n"
    ),
    "tests/conftest.py": "from hpman_cst.m import _\nbs = _('batch_size', 4)\n",
}


def _examples() -> list[tuple[str, list[str]]]:
    """The example command lines in ``hpman --help`` and each command's ``--help``."""
    found = []
    for command in ["", "list", "rename", "set-default", "remove"]:
        text = runner().invoke(cli, [*command.split(), "--help"]).stdout
        block = text.split("Examples:\n", 1)[1].split("\n\n", 1)[0]
        for line in block.splitlines():
            words = shlex.split(re.split(r"\s{2,}", line.strip())[0])
            assert words[0] == "hpman"
            found.append((command or "hpman", words[1:]))
    return found


@pytest.mark.parametrize(
    ("command", "args"), [pytest.param(c, a, id=" ".join(a)) for c, a in _examples()]
)
def test_help_examples_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, args: list[str]
) -> None:
    for name, text in EXAMPLE_PROJECT.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    result = hpman(*args)
    summary_lines = 0 if args[0] == "list" else 1  # rewriting commands sum up on stderr
    assert (result.exit_code, result.stderr.count("\n")) == (0, summary_lines)


def test_every_command_has_examples() -> None:
    assert {command for command, _ in _examples()} == {
        "hpman",
        "list",
        "rename",
        "set-default",
        "remove",
    }


@pytest.mark.parametrize(
    ("value", "name", "written"),
    [
        ("-1e-3", "lr_decay", "decay = _('lr_decay', -1e-3)\n"),
        ("-.5", "lr_decay", "decay = _('lr_decay', -.5)\n"),
        ("-1", "num_layers", "layers = _('num_layers', -1) * 2\n"),
    ],
)
def test_a_negative_value_goes_after_two_dashes(
    project: Path, value: str, name: str, written: str
) -> None:
    before = snapshot(project)
    taken_for_an_option = hpman("set-default", "lr", value, "--write")
    assert taken_for_an_option.exit_code == 2
    assert taken_for_an_option.stderr.splitlines()[-1] == (
        f"Error: `{value}` is taken for an option; a VALUE that starts with `-` goes after"
        f" `--`: hpman set-default NAME -- {value}"
    )
    assert snapshot(project) == before
    result = hpman("set-default", name, "--write", "--", value)
    assert result.exit_code == 0
    assert written in (project / "model/net.py").read_text()


def test_a_renamed_group_still_runs_with_set_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every API form that names the group follows the rename, so the script runs after it.
    script = tmp_path / "train.py"
    script.write_bytes(
        b"from hpman_cst.m import _\n"
        b"_.parse_file(__file__)\n"
        b"_('optim.lr', 0.1)\n"
        b"_('optim.momentum', 0.9)\n"
        b"_.set_tree({'optim': {'lr': 0.5}})\n"
        b"_.set_tree({'momentum': 0.8}, prefix='optim')\n"
        b"_.set_values(dict(optimizer=1))\n"
        b"assert _.exists(name='optim.lr')\n"
        b"print(_.get_tree('optim'), _.get_value(name='optim.lr'))\n"
        b"_('optimizer', 0)\n"
    )
    monkeypatch.chdir(tmp_path)
    result = hpman("rename", "optim", "opt", "--write")
    assert (result.exit_code, result.stderr) == (0, "1 file changed, 7 call sites\n")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=False)
    assert (run.returncode, run.stdout) == (0, "{'lr': 0.5, 'momentum': 0.8} 0.5\n"), run.stderr


@pytest.mark.parametrize(
    ("defined", "value"),
    [
        pytest.param(  # a cookie on line 3 (of \r lines): Python reads UTF-8
            b"#!/usr/bin/env python\r# notes\r# -*- coding: latin-1 -*-\r"
            b'm = _("msg", "caf\xc3\xa9")\r',
            "caf\u00e9",
            id="cr-cookie-on-line-3",
        ),
        pytest.param(  # a cookie on line 2 (of \r\n and \r lines): Python reads latin-1
            b'#!/usr/bin/env python\r\n# -*- coding: latin-1 -*-\rm = _("msg", "\xe9t\xe9")\n',
            "\u00e9t\u00e9",
            id="mixed-cookie-on-line-2",
        ),
    ],
)
def test_every_reader_decodes_as_python(
    defined: bytes, value: str, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "strings.py").write_bytes(defined + b"done = True\r")
    (project / "use.py").write_bytes(b'print(_("msg"))\n')
    listing = hpman("list", "strings.py", "use.py")
    assert listing.exit_code == 0, listing.stderr
    assert value in listing.stdout
    from hpman_cst.runtime import HyperParameterManager

    manager = HyperParameterManager().parse_file(str(project / "strings.py"))
    assert manager.get_value("msg") == value
    result = hpman("remove", "msg", "strings.py", "use.py", "--write")
    assert result.exit_code == 0, result.stderr
    assert (project / "use.py").read_bytes() == f'print("{value}")\n'.encode()


_NEWLINE_FILES = {
    "cr.py": b"# old Mac\rx = _('lr', 0.1)\ry = 2\rz = _('lr')\r",
    "cr_no_eol.py": b"x = _('lr', 0.1)\ry = 2",
    "mixed.py": b"a = 1\r\nx = _('lr', 0.1)\rb = 2\nc = _('lr')\r\nd = 3\r",
    "crlf.py": b"x = _('lr', 0.1)\r\ny = 2\r\n",
    "no_eol.py": b"x = 1\nz = _('lr')",
}


@pytest.mark.parametrize(
    "tool",
    [
        pytest.param(["git", "apply", "-p1", "p.diff"], id="git-apply"),
        pytest.param(["patch", "-p1", "--quiet", "--batch", "-i", "p.diff"], id="patch"),
    ],
)
def test_the_diff_applies_with_patch_tools_in_every_newline_convention(
    tool: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which(tool[0]) is None:
        pytest.skip(f"{tool[0]} is not installed")
    for name, data in _NEWLINE_FILES.items():
        (tmp_path / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    result = hpman("rename", "lr", "rate")
    assert result.exit_code == 0, result.stderr
    (tmp_path / "p.diff").write_bytes(result.stdout_bytes)
    check = "--check" if tool[0] == "git" else "--dry-run"
    for args in ([*tool, check], tool):
        run = subprocess.run(args, capture_output=True, check=False)
        assert run.returncode == 0, run.stdout + run.stderr
    patched = {name: (tmp_path / name).read_bytes() for name in _NEWLINE_FILES}
    for name, data in _NEWLINE_FILES.items():
        (tmp_path / name).write_bytes(data)
    assert hpman("rename", "lr", "rate", "--write").exit_code == 0
    assert patched == {name: (tmp_path / name).read_bytes() for name in _NEWLINE_FILES}
    assert patched["cr.py"] == _NEWLINE_FILES["cr.py"].replace(b"'lr'", b"'rate'")


def _on_a_terminal(args: list[str], cwd: Path) -> bytes:
    """What the installed ``hpman`` prints to a terminal (a pseudo-terminal here, which
    turns each \\n into \\r\\n on the way, as a terminal driver does)."""
    import pty

    main, secondary = pty.openpty()
    command = Path(sys.executable).parent / "hpman"
    env = {**os.environ, "PYTHONPATH": "", "NO_COLOR": "1"}
    with subprocess.Popen([str(command), *args], cwd=cwd, stdout=secondary, env=env) as proc:
        os.close(secondary)
        out = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the other end closed (Linux)
                break
            if not chunk:
                break
            out += chunk
    os.close(main)
    assert proc.returncode == 0
    return out


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="no pseudo-terminals")
def test_a_diff_on_a_terminal_shows_carriage_returns_as_git_does(tmp_path: Path) -> None:
    for name, data in _NEWLINE_FILES.items():
        (tmp_path / name).write_bytes(data)
    shown = _on_a_terminal(["rename", "lr", "rate"], tmp_path).replace(b"\r\n", b"\n")
    assert b"\r" not in shown  # nothing to move the cursor back over the line
    assert b"-# old Mac^Mx = _('lr', 0.1)^My = 2^Mz = _('lr')^M\n" in shown
    assert b"+x = _('rate', 0.1)^M\n y = 2^M\n" in shown  # crlf.py


def test_color_counts_the_lines_of_a_diff_with_lone_carriage_returns(project: Path) -> None:
    (project / "cr.py").write_bytes(_NEWLINE_FILES["cr.py"])
    result = hpman("rename", "lr", "rate", "cr.py", "--color", "always")
    old = _NEWLINE_FILES["cr.py"].decode()[:-1]  # (the last CR goes with the diff's \n)
    new = old.replace("'lr'", "'rate'")
    assert result.stdout_bytes.decode() == (  # (stdout has \r\n made \n)
        "\x1b[1m--- a/cr.py\x1b[0m\n\x1b[1m+++ b/cr.py\x1b[0m\n\x1b[36m@@ -1 +1 @@\x1b[0m\n"
        f"\x1b[31m-{old}\x1b[0m\r\n\\ No newline at end of file\n"
        f"\x1b[32m+{new}\x1b[0m\r\n\\ No newline at end of file\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ("rename", "LR_DECAY", "x"), "`LR_DECAY`; did you mean `lr_decay`?", id="case"
        ),
        pytest.param(("remove", "wd"), "`wd`; did you mean `optim.wd`?", id="group"),
    ],
)
def test_an_unknown_name_suggests_case_and_group_differences(
    args: tuple[str, ...], message: str, project: Path
) -> None:
    (project / "optim.py").write_bytes(b"wd = _('optim.wd', 1e-4)\n")
    result = hpman(*args)
    assert result.exit_code == 1
    assert result.stderr == f"hpman: unknown hyper-parameter {message}\n"
