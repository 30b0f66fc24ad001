"""``--write`` when things go wrong: every file ends entirely old or entirely new and the
message says which; a file edited after it was read is never overwritten; links are
written through once; files without a change are not touched.

Failures are simulated (tests run as root, so permission bits cannot make a write
fail): ``os.replace`` or ``os.fsync`` is made to raise for one file, a
``KeyboardInterrupt`` arrives in the middle, another process edits a file.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_runner import runner
from click.testing import Result

from hpman_cst.cli import cli
from hpman_cst.refactor import execute as execute_module

OLD = {
    "a.py": b"from hpman_cst.m import _\nx = _('lr', 0.1)\n",
    "b.py": b"from hpman_cst.m import _\r\ny = _('lr', 0.1) * 2\r\n",
    "c.py": b"# -*- coding: latin-1 -*-\nz = _('lr', 0.1)  # \xe9\n",
    "d.py": b"from hpman_cst.m import _\nw = _('other', 1)\n",
}
NEW = {
    "a.py": b"from hpman_cst.m import _\nx = _('rate', 0.1)\n",
    "b.py": b"from hpman_cst.m import _\r\ny = _('rate', 0.1) * 2\r\n",
    "c.py": b"# -*- coding: latin-1 -*-\nz = _('rate', 0.1)  # \xe9\n",
    "d.py": OLD["d.py"],
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, data in OLD.items():
        (tmp_path / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def rename(*extra: str) -> Result:
    return runner().invoke(cli, ["rename", "lr", "rate", ".", "--write", *extra])


def contents(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir()) if p.is_file()}


def fail_for(name: str, error: BaseException) -> Callable[..., None]:
    """An ``os.replace`` that raises ``error`` when it would replace ``name``."""
    real_replace = os.replace

    def replace(src: str, dst: str, *args: object, **kwargs: object) -> None:
        if os.path.basename(os.fspath(dst)) == name:
            raise error
        real_replace(src, dst, *args, **kwargs)  # type: ignore[arg-type]

    return replace


def test_files_without_a_change_keep_their_modification_time(project: Path) -> None:
    for path in project.iterdir():
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    result = rename()
    assert result.exit_code == 0, result.stderr
    assert contents(project) == NEW
    assert (project / "d.py").stat().st_mtime_ns == 1_000_000_000
    assert all((project / n).stat().st_mtime_ns != 1_000_000_000 for n in ("a.py", "b.py", "c.py"))


@pytest.mark.parametrize(
    ("target", "error", "reason"),
    [
        pytest.param(
            "b.py",
            OSError(errno.ENOSPC, "No space left on device"),
            "No space left",
            id="disk-full",
        ),
        pytest.param(
            "b.py",
            PermissionError(errno.EACCES, "Permission denied"),
            "Permission denied",
            id="read-only-folder",
        ),
        pytest.param("b.py", KeyboardInterrupt(), "interrupted", id="interrupt"),
        pytest.param("a.py", OSError(errno.EIO, "Input/output error"), "Input/output", id="first"),
        pytest.param("c.py", OSError(errno.EROFS, "Read-only file system"), "Read-only", id="last"),
    ],
)
def test_a_failure_midway_leaves_each_file_old_or_new_and_says_which(
    target: str, error: BaseException, reason: str, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "replace", fail_for(target, error))
    result = rename()
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    order = ["a.py", "b.py", "c.py"]
    written = order[: order.index(target)]
    left = order[order.index(target) :]
    assert contents(project) == {n: NEW[n] if n in written else OLD[n] for n in OLD}
    message = result.stderr
    assert message.startswith(f"hpman: {target}: ")
    assert reason in message
    if written:
        assert f"written: {', '.join(written)}" in message
    else:
        assert "nothing was written" in message
    assert f"left as they were: {', '.join(left)}" in message


def test_a_failing_write_of_the_temporary_file_leaves_no_trace(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    result = rename()
    assert result.exit_code == 2
    assert contents(project) == {**OLD, "a.py": NEW["a.py"]}
    assert sorted(os.listdir(project)) == sorted(OLD)  # no temporary file left behind


def test_a_read_only_file_is_refused_before_anything_is_written(project: Path) -> None:
    (project / "c.py").chmod(0o444)
    result = rename()
    assert result.exit_code == 2
    assert result.stderr.startswith("hpman: c.py: ")
    assert "nothing was written" in result.stderr
    assert contents(project) == OLD


def test_a_file_edited_after_planning_is_not_overwritten(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_execute = execute_module.execute

    def execute_then_edit(*args: object, **kwargs: object) -> object:
        changes = real_execute(*args, **kwargs)  # type: ignore[arg-type]
        (project / "b.py").write_bytes(OLD["b.py"] + b"# edited meanwhile\r\n")
        return changes

    monkeypatch.setattr(execute_module, "execute", execute_then_edit)
    result = rename()
    assert result.exit_code == 2
    assert result.stderr.startswith("hpman: b.py: ")
    assert "changed" in result.stderr
    assert contents(project) == {**OLD, "b.py": OLD["b.py"] + b"# edited meanwhile\r\n"}


def test_a_file_edited_while_others_are_written_is_not_overwritten(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace

    def replace_and_edit(src: str, dst: str, *args: object, **kwargs: object) -> None:
        real_replace(src, dst, *args, **kwargs)  # type: ignore[arg-type]
        if os.path.basename(dst) == "a.py":
            (project / "c.py").write_bytes(OLD["c.py"] + b"# edited meanwhile\n")

    monkeypatch.setattr(os, "replace", replace_and_edit)
    result = rename()
    assert result.exit_code == 2
    assert result.stderr.startswith("hpman: c.py: ")
    assert "written: a.py, b.py" in result.stderr
    assert "left as they were: c.py" in result.stderr
    assert contents(project) == {
        **NEW,
        "c.py": OLD["c.py"] + b"# edited meanwhile\n",
        "d.py": OLD["d.py"],
    }


def test_a_symlink_and_its_target_are_written_once_and_the_link_stays(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "link.py").symlink_to("a.py")
    outside = project.parent / f"{project.name}-outside.py"
    outside.write_bytes(OLD["a.py"])
    (project / "out.py").symlink_to(outside)
    replaced: list[str] = []
    real_replace = os.replace

    def counting_replace(src: str, dst: str, *args: object, **kwargs: object) -> None:
        replaced.append(os.path.realpath(dst))
        real_replace(src, dst, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", counting_replace)
    result = rename()
    assert result.exit_code == 0, result.stderr
    assert sorted(replaced) == sorted(set(replaced))  # each real file once
    assert str(outside) in replaced
    assert (project / "link.py").is_symlink()
    assert os.readlink(project / "link.py") == "a.py"
    assert (project / "out.py").is_symlink()
    assert outside.read_bytes() == NEW["a.py"]
    assert (project / "a.py").read_bytes() == NEW["a.py"]


@pytest.mark.parametrize("mode", [0o755, 0o600, 0o640], ids=oct)
def test_permission_bits_are_kept(mode: int, project: Path) -> None:
    (project / "b.py").chmod(mode)
    assert rename().exit_code == 0
    assert stat.S_IMODE((project / "b.py").stat().st_mode) == mode


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_owner_and_group_are_kept(project: Path) -> None:
    os.chown(project / "b.py", 1234, 4321)
    assert rename().exit_code == 0
    info = (project / "b.py").stat()
    assert (info.st_uid, info.st_gid) == (1234, 4321)
