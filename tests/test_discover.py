"""discover(): which files a scanning command reads."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from hpman_cst import discover as discover_module
from hpman_cst.discover import Excluder, discover, display_path
from hpman_cst.exceptions import PathNotFound
from hpman_cst.records import ProblemCode


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")


def found(*paths: str | Path, **options: object) -> list[str]:
    return list(discover(paths, **options).files)  # type: ignore[arg-type]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_sorted_python_files_of_nested_folders(tree: Path) -> None:
    touch(tree, "b.py", "a/z.py", "a/b/c.py", "notes.txt", "a/data.json", "setup.pyc")
    assert found(".") == ["a/b/c.py", "a/z.py", "b.py"]


@pytest.mark.parametrize(
    "skipped",
    [
        pytest.param(".hidden/m.py", id="hidden-folder"),
        pytest.param(".m.py", id="hidden-file"),
        pytest.param("__pycache__/m.py", id="pycache"),
        pytest.param("venv/lib/m.py", id="venv-name"),
        pytest.param("node_modules/m.py", id="node-modules"),
        pytest.param("lib/site-packages/m.py", id="site-packages"),
    ],
)
def test_skipped_folders(tree: Path, skipped: str) -> None:
    touch(tree, "keep.py", skipped)
    assert found(".") == ["keep.py"]


@pytest.mark.parametrize("marker", ["pyvenv.cfg", "conda-meta/history"])
def test_virtualenv_detected_by_content(tree: Path, marker: str) -> None:
    touch(tree, "keep.py", "myenv/lib/m.py", f"myenv/{marker}")
    assert found(".") == ["keep.py"]


def test_named_folder_walked_even_if_hidden(tree: Path) -> None:
    touch(tree, ".config/m.py", ".config/.deeper/n.py")
    assert found(".config") == [".config/m.py"]


def test_named_file_read_whatever_its_name(tree: Path) -> None:
    touch(tree, ".hidden/notes.txt")
    assert found(".hidden/notes.txt") == [".hidden/notes.txt"]


def test_missing_path_raises_before_reading(tree: Path) -> None:
    touch(tree, "a.py")
    with pytest.raises(PathNotFound) as caught:
        discover(["a.py", "missing"])
    assert caught.value.path == "missing"


def test_duplicates_listed_once(tree: Path) -> None:
    touch(tree, "pkg/a.py", "pkg/sub/b.py")
    assert found("pkg", "pkg/a.py", "./pkg/sub", "pkg/../pkg") == ["pkg/a.py", "pkg/sub/b.py"]


def test_symlink_loop_does_not_hang(tree: Path) -> None:
    touch(tree, "pkg/a.py")
    os.symlink("..", tree / "pkg" / "up")
    os.symlink(".", tree / "pkg" / "self")
    assert found(".") == ["pkg/a.py"]


def test_linked_folder_followed_once_preferring_the_real_path(tree: Path) -> None:
    touch(tree, "real/a.py")
    os.symlink("real", tree / "alias")
    touch(tree, "elsewhere/b.py")
    os.symlink(tree / "elsewhere", tree / "pkg_link")
    assert found(".") == ["elsewhere/b.py", "real/a.py"]
    assert found("pkg_link") == ["pkg_link/b.py"]


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    import socket

    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs or devices on this platform")
@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(_fifo, "not a regular file (a FIFO)", id="fifo"),
        pytest.param(_socket, "not a regular file (a socket)", id="socket"),
        pytest.param(
            lambda p: p.symlink_to("/dev/null"),
            "not a regular file (a link to a character device)",
            id="link-to-device",
        ),
        pytest.param(
            lambda p: p.symlink_to("missing.py"),
            "broken symbolic link (to missing.py)",
            id="dangling",
        ),
        pytest.param(lambda p: p.symlink_to(p.name), "symbolic link loop", id="self-loop"),
        pytest.param(
            lambda p: (p.symlink_to("other.py"), (p.parent / "other.py").symlink_to(p.name)),
            "symbolic link loop",
            id="mutual-loop",
        ),
    ],
)
def test_a_python_name_that_cannot_be_read_is_reported(
    make: Callable[[Path], object], message: str, tree: Path
) -> None:
    touch(tree, "a.py")
    (tree / "pkg").mkdir()
    make(tree / "pkg" / "odd.py")
    result = discover(["."])
    assert result.files == ("a.py",)
    assert [str(p) for p in result.problems][:1] == [f"pkg/odd.py: {message}"]
    assert {p.code for p in result.problems} == {ProblemCode.UNREADABLE}


def test_a_broken_link_left_out_is_not_reported(tree: Path) -> None:
    touch(tree, "a.py")
    os.symlink("missing.py", tree / "excluded.py")
    os.symlink("missing", tree / "data")  # not a Python name: maybe a folder, not read
    assert discover(["."], exclude=Excluder(["excluded.py"])) == discover_module.Discovery(
        ("a.py",)
    )


def test_absolute_paths_below_cwd_become_relative(tree: Path) -> None:
    touch(tree, "a/b.py")
    assert found(tree / "a") == ["a/b.py"]
    assert display_path(tree) == "."


def test_paths_outside_cwd_kept_as_given(
    tree: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    other = tmp_path_factory.mktemp("other")
    touch(other, "x.py")
    assert found(other) == [str(other / "x.py")]


def test_unreadable_folder_is_a_problem(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    touch(tree, "ok/a.py", "locked/b.py")
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if os.path.basename(path) == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(discover_module.os, "scandir", scandir)
    result = discover(["."])
    assert result.files == ("ok/a.py",)
    (problem,) = result.problems
    assert (problem.code, problem.path) == (ProblemCode.UNREADABLE, "locked")
    assert str(problem) == "locked: cannot read folder: Permission denied"


# ---------------------------------------------------------------------------- excludes


@pytest.mark.parametrize(
    ("patterns", "expected"),
    [
        pytest.param(["tests"], ["src/app.py", "src/gen_pb2.py"], id="folder-name"),
        pytest.param(["*_pb2.py"], ["src/app.py", "tests/test_app.py"], id="file-glob"),
        pytest.param(["src/*.py"], ["tests/test_app.py"], id="path-glob"),
        pytest.param(["./src/"], ["tests/test_app.py"], id="path-with-dot-and-slash"),
        pytest.param(["**/test_*.py"], ["src/app.py", "src/gen_pb2.py"], id="double-star"),
        pytest.param(["s?c"], ["tests/test_app.py"], id="question-mark"),
        pytest.param(["[st]*"], [], id="character-set"),
        pytest.param(["t[!x]sts"], ["src/app.py", "src/gen_pb2.py"], id="negated-set"),
        pytest.param(["app"], ["src/app.py", "src/gen_pb2.py", "tests/test_app.py"], id="no-match"),
    ],
)
def test_exclude_patterns(tree: Path, patterns: list[str], expected: list[str]) -> None:
    touch(tree, "src/app.py", "src/gen_pb2.py", "tests/test_app.py")
    assert found(".", exclude=Excluder(patterns)) == expected


def test_path_patterns_relative_to_their_base(tree: Path) -> None:
    touch(tree, "proj/src/a.py", "proj/src/b.py", "src/c.py")
    excluder = Excluder(["src/a.py"], base="proj")
    assert found(".", exclude=excluder) == ["proj/src/b.py", "src/c.py"]


def test_star_does_not_cross_folders(tree: Path) -> None:
    touch(tree, "src/a.py", "src/deep/b.py")
    assert found(".", exclude=Excluder(["src/*.py"])) == ["src/deep/b.py"]


def test_excluded_named_file_still_read(tree: Path) -> None:
    touch(tree, "gen_pb2.py")
    assert found("gen_pb2.py", exclude=Excluder(["*_pb2.py"])) == ["gen_pb2.py"]


# ---------------------------------------------------------------------------- gitignore


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tree: Path) -> Path:
    git(tree, "init", "-q")
    (tree / ".gitignore").write_text("build/\n*.gen.py\ndata/cache/\n")
    touch(tree, "a.py", "build/b.py", "pkg/x.gen.py", "pkg/y.py", "data/cache/c.py", "data/d.py")
    return tree


def test_gitignore_respected(repo: Path) -> None:
    assert found(".") == ["a.py", "data/d.py", "pkg/y.py"]


def test_gitignore_off(repo: Path) -> None:
    assert len(found(".", gitignore=False)) == 6


def test_nested_gitignore_and_info_exclude(repo: Path) -> None:
    (repo / "pkg" / ".gitignore").write_text("y.py\n")
    (repo / ".git" / "info" / "exclude").write_text("data/d.py\n")
    assert found(".") == ["a.py"]


def test_tracked_file_is_not_ignored(repo: Path) -> None:
    git(repo, "add", "-f", "build/b.py")
    assert found(".") == ["a.py", "build/b.py", "data/d.py", "pkg/y.py"]


def test_subfolder_of_a_work_tree(repo: Path) -> None:
    assert found("pkg") == ["pkg/y.py"]


def test_ignored_folder_named_explicitly_is_walked(repo: Path) -> None:
    assert found("build") == ["build/b.py"]


def test_nested_repository_follows_its_own_rules(repo: Path) -> None:
    inner = repo / "vendor" / "lib"
    touch(inner, "keep.py", "drop.py")
    git(inner, "init", "-q")
    (inner / ".gitignore").write_text("drop.py\n")
    assert "vendor/lib/keep.py" in found(".")
    assert "vendor/lib/drop.py" not in found(".")


def test_without_git_nothing_is_ignored(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discover_module, "_GIT", "no-such-git-command")
    assert len(found(".")) == 6


def test_outside_a_work_tree_git_is_not_run(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    monkeypatch.setattr(discover_module, "_git_ignored", lambda folder: calls.append(folder))
    touch(tree, "a.py")
    monkeypatch.setattr(discover_module, "_in_work_tree", lambda folder: False)
    assert found(".") == ["a.py"]
    assert calls == []
