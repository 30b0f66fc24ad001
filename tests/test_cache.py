"""The content cache shared by the command line and ``_.parse_file(dir)``: safe when
many processes read and write it at once; a corrupt, partial or unwritable entry is a
miss, never an error."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

import hpman_cst
from hpman_cst import cache as cache_module
from hpman_cst.cache import Cache, IndexCache
from hpman_cst.runtime import HyperParameterManager

PACKAGE_ROOT = str(Path(hpman_cst.__file__).resolve().parent.parent)
FILES = 24

#: A training script's start: parse the folder, print what it found.
RANK = (
    "import json, sys\n"
    "from hpman_cst.m import _\n"
    "_.parse_file(sys.argv[1])\n"
    "print(json.dumps(_.get_values(), sort_keys=True))\n"
)


def _write_project(root: Path, files: int = FILES, offset: int = 0) -> dict[str, object]:
    expected: dict[str, object] = {}
    for n in range(files):
        lines = ["from hpman_cst.m import _", ""]
        for k in range(5):
            name = f"m{n}.p{k}"
            lines.append(f"x{k} = _({name!r}, {n * 10 + k + offset})")
            expected[name] = n * 10 + k + offset
        (root / f"mod{n:02d}.py").write_text("\n".join(lines) + "\n")
    return expected


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    return root


def _parse(root: Path) -> dict[str, object]:
    manager = HyperParameterManager("_")
    manager.parse_file(str(root))
    return manager.get_values()


def _index_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("index-*.pickle"))


def _ranks(root: Path, count: int, cache_dir: Path) -> list[subprocess.CompletedProcess[str]]:
    env = {**os.environ, "PYTHONPATH": PACKAGE_ROOT, "HPMAN_CST_CACHE_DIR": str(cache_dir)}
    started = [
        subprocess.Popen(
            [sys.executable, "-c", RANK, str(root)],
            cwd=root.parent,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    done = []
    for process in started:
        stdout, stderr = process.communicate(timeout=300)
        done.append(subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr))
    return done


def _entries_are_sound(cache_dir: Path) -> None:
    # Every file of the cache is whole: no temporary file left, each index loads.
    assert [p.name for p in cache_dir.iterdir() if p.name.startswith(".")] == []
    for path in _index_files(cache_dir):
        entries = Cache(str(cache_dir)).load(path.name)
        assert isinstance(entries, dict) and entries
        for blob in entries.values():
            assert type(pickle.loads(blob)).__name__ == "FileIndex"


def test_sixteen_ranks_start_together_on_the_same_files_and_cache(
    project: Path, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "shared-cache"
    expected = _write_project(project)
    for wave in range(2):  # an empty cache, then one that a run filled
        if wave:
            expected = _write_project(project, files=FILES // 2, offset=1000) | {
                k: v for k, v in expected.items() if int(k[1:].split(".")[0]) >= FILES // 2
            }
        for rank in _ranks(project, 16, cache_dir):
            assert (rank.returncode, rank.stderr) == (0, "")
            assert json.loads(rank.stdout) == expected
        _entries_are_sound(cache_dir)
    assert len(_index_files(cache_dir)) == 1


def _filled(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("HPMAN_CST_CACHE_DIR", str(cache_dir))
    _write_project(project, files=4)
    _parse(project)
    assert len(_index_files(cache_dir)) == 1
    return _index_files(cache_dir)[0]


def test_a_truncated_entry_is_a_miss_and_is_rewritten(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = _filled(project, tmp_path, monkeypatch)
    expected = _parse(project)
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) // 2])
    assert _parse(project) == expected
    assert entry.read_bytes() == data  # written whole again


@pytest.mark.parametrize(
    "garbage",
    [
        pytest.param(b"\x00\xff garbage", id="not-a-cache-file"),
        pytest.param(b"hpman-cst cache 1" + b"\x80\x05garbage", id="corrupt-pickle"),
        pytest.param(b"hpman-cst cache 1" + pickle.dumps([1, 2]), id="wrong-shape"),
        pytest.param(b"", id="empty"),
    ],
)
def test_a_garbage_entry_is_a_miss(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, garbage: bytes
) -> None:
    entry = _filled(project, tmp_path, monkeypatch)
    expected = _parse(project)
    entry.write_bytes(garbage)
    assert _parse(project) == expected


def test_a_garbage_result_inside_a_sound_entry_is_a_miss(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = _filled(project, tmp_path, monkeypatch)
    expected = _parse(project)
    cache = Cache(str(entry.parent))
    entries = cache.load(entry.name)
    assert isinstance(entries, dict)
    cache.dump(entry.name, dict.fromkeys(entries, b"\x80\x05\x95garbage"))
    assert _parse(project) == expected


def test_a_read_only_cache_folder_is_read_and_never_written(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = _filled(project, tmp_path, monkeypatch)
    before = entry.read_bytes()
    (project / "mod00.py").write_text("from hpman_cst.m import _\nchanged = _('changed', 1)\n")

    def read_only(*args: object, **kwargs: object) -> object:
        # What a read-only folder gives every user but root (who runs these tests here).
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    os.chmod(entry.parent, 0o555)
    try:
        values = _parse(project)
    finally:
        os.chmod(entry.parent, 0o755)
    assert values["changed"] == 1 and "m1.p0" in values
    assert entry.read_bytes() == before
    assert sorted(p.name for p in entry.parent.iterdir()) == [entry.name]


def test_a_cache_folder_that_cannot_exist_is_no_cache(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("HPMAN_CST_CACHE_DIR", str(blocker / "cache"))
    expected = _write_project(project, files=3)
    assert _parse(project) == expected
    assert _parse(project) == expected


def test_the_runtime_cache_is_outside_the_project(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _filled(project, tmp_path, monkeypatch)
    assert sorted(p.name for p in project.iterdir()) == [f"mod{n:02d}.py" for n in range(4)]


def test_a_warm_parse_reads_the_results_instead_of_parsing(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _filled(project, tmp_path, monkeypatch)
    from hpman_cst import scan

    def no_parsing(*args: object, **kwargs: object) -> object:
        raise AssertionError("parsed although cached")

    monkeypatch.setattr(scan, "index_bytes", no_parsing)
    assert len(_parse(project)) == 20


def test_a_temporary_file_of_a_killed_writer_is_pruned(tmp_path: Path) -> None:
    cache = Cache(str(tmp_path))
    left = tmp_path / ".index-0123.pickle.abcd"
    left.write_bytes(b"half of it")
    fresh = tmp_path / ".index-4567.pickle.efgh"
    fresh.write_bytes(b"being written now")
    old = time.time() - 2 * 3600
    os.utime(left, (old, old))
    cache.prune()
    assert not left.exists() and fresh.exists()


def test_index_cache_never_returns_another_paths_result(tmp_path: Path) -> None:
    cache = IndexCache(Cache(str(tmp_path)), ["."], ["_"])
    key = cache.key("a.py", b"x = 1\n")
    cache.put(key, pickle.dumps(cache_module.FileIndex("b.py")))
    assert cache.get(key, "a.py") is None
