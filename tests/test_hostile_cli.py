"""Hostile or odd input for the ``hpman`` command: each case gives a clear message and
the right exit status, never a traceback or a hang.

Cases that could hang, or that depend on the real standard streams (their encoding),
run ``python -m hpman_cst`` in a child process with a generous limit: a hang guard,
not a timing assertion. Tests run as root here, so an unreadable file is simulated by
making ``os.open`` fail for that path (``chmod 000`` would not stop root).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import runner
from click.testing import Result

from hpman_cst.cli import cli

REPO = Path(__file__).resolve().parent.parent
HANG_GUARD = 600  # seconds; a hang, not slowness


def hpman(*args: str) -> Result:
    return runner().invoke(cli, list(args))


def hpman_process(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """``python -m hpman_cst ARGS`` in ``cwd`` with the real standard streams."""
    environment = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    try:
        return subprocess.run(
            [sys.executable, "-m", "hpman_cst", *args],
            capture_output=True,
            timeout=HANG_GUARD,
            cwd=cwd,
            env=environment,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"no result after {HANG_GUARD} s: hpman hangs")


def no_traceback(*texts: str | bytes) -> bool:
    return not any(("Traceback" in t) if isinstance(t, str) else (b"Traceback" in t) for t in texts)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- files -------------------------------------------------------------------------------


def test_empty_file_lists_nothing(folder: Path) -> None:
    (folder / "empty.py").write_bytes(b"")
    result = hpman("list", "--no-cache", "--format", "json", "empty.py")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"hyperparameters": [], "errors": []}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            b"_('a', 1)\x00\x01",
            "blob.py: F001 source code string cannot contain null bytes",
            id="nul",
        ),
        pytest.param(
            b"\xff\xfe_('a', 1)", "blob.py:1: F002 cannot decode byte 0xff as utf-8", id="not-text"
        ),
    ],
)
def test_binary_file_is_an_error_line(data: bytes, message: str, folder: Path) -> None:
    (folder / "blob.py").write_bytes(data)
    (folder / "ok.py").write_bytes(b"_('fine', 1)\n")
    result = hpman("list", "--no-cache", "--format", "json", ".")
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert [h["name"] for h in json.loads(result.stdout)["hyperparameters"]] == ["fine"]
    assert no_traceback(result.output)


def test_unreadable_file_is_an_error_line(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = folder / "secret.py"
    secret.write_bytes(b"_('a', 1)\n")
    (folder / "ok.py").write_bytes(b"_('fine', 1)\n")
    real_open = os.open

    def no_permission(file: object, flags: int, *args: object, **kwargs: object) -> int:
        if os.path.abspath(os.fspath(file)) == str(secret):  # type: ignore[call-overload]
            raise PermissionError(13, "Permission denied", os.fspath(file))  # type: ignore[call-overload]
        return real_open(file, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", no_permission)
    result = hpman("list", "--no-cache", "-j", "1", "--format", "json", ".")
    assert result.exit_code == 1
    assert "secret.py: F003 cannot read file: Permission denied" in result.stderr
    assert [h["name"] for h in json.loads(result.stdout)["hyperparameters"]] == ["fine"]


def test_missing_path_is_a_usage_error(folder: Path) -> None:
    result = hpman("list", "--no-cache", "nowhere.py")
    assert result.exit_code == 2
    assert "nowhere.py" in result.stderr
    assert no_traceback(result.output)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_and_device_do_not_block(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "zero.py").symlink_to("/dev/zero")
    (tmp_path / "ok.py").write_bytes(b"_('fine', 1)\n")
    (tmp_path / "gone.py").symlink_to("nothing.py")
    (tmp_path / "self.py").symlink_to("self.py")
    done = hpman_process("list", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    assert [h["name"] for h in json.loads(done.stdout)["hyperparameters"]] == ["fine"]
    assert done.returncode == 1  # each met in the folder is reported, as when named
    assert done.stderr.decode().splitlines() == [
        "gone.py: F003 broken symbolic link (to nothing.py)",
        "pipe.py: F003 not a regular file (a FIFO)",
        "self.py: F003 symbolic link loop",
        "zero.py: F003 not a regular file (a link to a character device)",
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_named_on_the_command_line_is_an_error_line(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.py")
    done = hpman_process("list", "--no-cache", "pipe.py", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.decode().splitlines() == [
        "pipe.py: F003 not a regular file",
        "hpman: no hyper-parameters found in 0 files read (looked for calls of `_`); if the"
        " manager has another name, pass --placeholder NAME",
    ]


# -- folders -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "links",
    [
        pytest.param({"self": "."}, id="self"),
        pytest.param({"a/up": ".."}, id="parent"),
        pytest.param({"a/to_b": "../b", "b/to_a": "../a"}, id="mutual"),
        pytest.param({"a/root": "..", "b/c/top": "../.."}, id="to-ancestors"),
    ],
)
def test_symlink_loops_terminate(links: dict[str, str], tmp_path: Path) -> None:
    for folder in ("a", "b/c"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "m.py").write_text(f"_('{folder[0]}', 1)\n")
    for link, target in links.items():
        (tmp_path / link).symlink_to(target, target_is_directory=True)
    done = hpman_process("list", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)["hyperparameters"]
    assert [(h["name"], len(h["occurrences"])) for h in found] == [("a", 1), ("b", 1)]


def test_a_ladder_of_links_is_walked_once(tmp_path: Path) -> None:
    # Two links per level to the next level: 2**24 paths through 25 folders.
    levels = [tmp_path / f"d{i}" for i in range(25)]
    for level in levels:
        level.mkdir()
    for level, below in zip(levels, levels[1:]):
        (level / "a").symlink_to(below, target_is_directory=True)
        (level / "b").symlink_to(below, target_is_directory=True)
    (levels[-1] / "m.py").write_text("_('deep', 1)\n")
    done = hpman_process("list", "--no-cache", "--format", "json", "d0", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert [h["name"] for h in json.loads(done.stdout)["hyperparameters"]] == ["deep"]


@pytest.mark.slow
def test_a_twenty_megabyte_file_is_listed(tmp_path: Path) -> None:
    line = "y = [1, 2, 3]  # code without a call site, to pad the file out a little\n"
    calls = "".join(f"x{i} = _('n{i}', {i})\n" for i in range(2_000))
    (tmp_path / "big.py").write_text(calls + line * (20_000_000 // len(line)))
    assert (tmp_path / "big.py").stat().st_size > 20_000_000
    done = hpman_process("list", "--no-cache", "--format", "json", "big.py", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["hyperparameters"]) == 2_000


# -- names, placeholders, output encodings -----------------------------------------------------


def test_odd_names_are_listed(folder: Path) -> None:
    (folder / "m.py").write_text(
        "_('with space', 1)\n_('ünïcödé', 2)\n_('名前', 3)\n_('', 4)\n_('tab\\there', 5)\n"
    )
    result = hpman("list", "--no-cache", "--format", "json", "m.py")
    assert result.exit_code == 0
    names = [h["name"] for h in json.loads(result.stdout)["hyperparameters"]]
    assert sorted(names) == sorted(["with space", "ünïcödé", "名前", "", "tab\there"])


@pytest.mark.parametrize("format_", ["table", "json", "yaml", "detail"])
def test_a_name_that_is_not_valid_unicode_is_printed_escaped(format_: str, tmp_path: Path) -> None:
    # "\ud800" is a lone surrogate: a str Python can hold but no UTF-8 stream can print.
    (tmp_path / "m.py").write_text("_('\\ud800', 1)\n_('fine', 2)\n")
    done = hpman_process("list", "--no-cache", "--format", format_, "m.py", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, b"")
    assert b"fine" in done.stdout
    assert b"\\ud800" in done.stdout.replace(b"\\uD800", b"\\ud800")
    if format_ == "json":
        names = [h["name"] for h in json.loads(done.stdout)["hyperparameters"]]
        assert sorted(names) == ["fine", "\ud800"]


@pytest.mark.parametrize("format_", ["table", "json", "detail"])
def test_output_to_a_narrow_encoding_is_escaped_not_a_crash(format_: str, tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("_('名前', 'значение')\n")
    done = hpman_process(
        "list",
        "--no-cache",
        "--format",
        format_,
        "m.py",
        cwd=tmp_path,
        env={"PYTHONIOENCODING": "latin-1"},
    )
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout.isascii()
    if format_ == "json":
        (found,) = json.loads(done.stdout)["hyperparameters"]
        assert (found["name"], found["value"]) == ("名前", "значение")


def test_a_file_name_that_is_not_utf8_is_shown(tmp_path: Path) -> None:
    name = os.fsdecode(b"bad\xffname.py")
    (tmp_path / name).write_bytes(b"_('a', 1)\n")
    done = hpman_process("list", "--no-cache", "--format", "table", ".", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, b"")
    assert b"name.py:1" in done.stdout


@pytest.mark.parametrize("placeholder", ["", "1x", "a b", "_.x", "(", "-", "#"])
def test_a_placeholder_that_is_not_an_identifier_is_a_usage_error(
    placeholder: str, folder: Path
) -> None:
    (folder / "m.py").write_text("_('a', 1)\n")
    result = hpman("list", "--no-cache", "--placeholder", placeholder, "m.py")
    assert result.exit_code == 2
    assert "placeholder" in result.stderr
    assert no_traceback(result.output)


def test_a_diff_the_console_cannot_encode_is_escaped_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("x = _('lr', '名前')\n", encoding="utf-8")
    done = hpman_process(
        "rename", "lr", "rate", "m.py", cwd=tmp_path, env={"PYTHONIOENCODING": "latin-1"}
    )
    assert done.returncode == 0, done.stderr
    assert b"+x = _('rate', '\\u540d\\u524d')" in done.stdout
    assert (tmp_path / "m.py").read_text(encoding="utf-8") == "x = _('lr', '名前')\n"


# -- rewriting commands on hostile trees -----------------------------------------------------


def test_rename_over_a_symlink_loop_terminates(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text("x = _('lr', 1)\n")
    (tmp_path / "pkg" / "again").symlink_to("..", target_is_directory=True)
    done = hpman_process("rename", "lr", "rate", ".", "--write", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, b"1 file changed, 1 call site\n")
    assert (tmp_path / "pkg" / "m.py").read_text() == "x = _('rate', 1)\n"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            b"_('lr', 1)\x00", "blob.py: source code string cannot contain null bytes", id="nul"
        ),
        pytest.param(b"_('lr', 1", "blob.py:1:", id="syntax"),
    ],
)
def test_a_broken_file_that_may_hold_the_name_blocks_every_write(
    data: bytes, message: str, folder: Path
) -> None:
    (folder / "blob.py").write_bytes(data)
    (folder / "m.py").write_text("x = _('lr', 1)\n")
    result = hpman("rename", "lr", "rate", ".", "--write")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"hpman: {message}")
    assert (folder / "m.py").read_text() == "x = _('lr', 1)\n"


def test_an_unreadable_file_in_the_tree_blocks_every_write(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = folder / "secret.py"
    secret.write_text("y = _('lr', 1)\n")
    (folder / "m.py").write_text("x = _('lr', 1)\n")
    real_open = os.open

    def no_permission(file: object, flags: int, *args: object, **kwargs: object) -> int:
        if os.path.abspath(os.fspath(file)) == str(secret):  # type: ignore[call-overload]
            raise PermissionError(13, "Permission denied", os.fspath(file))  # type: ignore[call-overload]
        return real_open(file, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", no_permission)
    result = hpman("rename", "lr", "rate", ".", "--write", "-j", "1")
    assert result.exit_code == 2
    assert result.stderr.startswith("hpman: secret.py: cannot read file: Permission denied")
    assert (folder / "m.py").read_text() == "x = _('lr', 1)\n"
