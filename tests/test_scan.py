"""Scan and the cache: parallel, pre-checked, cached indexing that is never stale."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import time
from pathlib import Path

import pytest

from hpman_cst import cache as cache_module
from hpman_cst import scan as scan_module
from hpman_cst.cache import Cache, IndexCache
from hpman_cst.index import index_bytes
from hpman_cst.records import FileIndex, ProblemCode
from hpman_cst.scan import Scan, dumps, paused_gc

SOURCE = "from m import _\n\ndef f():\n    return _('lr', 0.1, help='rate') + _('bs', (1, 2))\n"


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(tmp_path)
    paths = []
    for n in range(30):
        text = SOURCE.replace("lr", f"lr{n}") if n % 3 else "x = 1\n"
        Path(f"m{n:02}.py").write_text(text)
        paths.append(f"m{n:02}.py")
    return paths


def expected(paths: list[str], placeholders: tuple[str, ...] = ("_",)) -> list[FileIndex]:
    return [index_bytes(Path(p).read_bytes(), p, placeholders) for p in paths]


def project_cache(paths: list[str], placeholders: tuple[str, ...] = ("_",)) -> IndexCache:
    return IndexCache(Cache(), ["."], placeholders)


class Forbidden(AssertionError):
    pass


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> FileIndex:
        raise Forbidden("parsed although cached")

    monkeypatch.setattr(scan_module, "index_bytes", fail)


@pytest.mark.parametrize("jobs", [1, 2])
def test_scan_equals_indexing_each_file(files: list[str], jobs: int) -> None:
    assert Scan(files, ["_"]).run(jobs) == expected(files)


def test_precheck_settles_files_without_calls(files: list[str]) -> None:
    scan = Scan(files, ["_"])
    assert scan.prechecked == 10


def test_second_scan_comes_from_the_cache(
    files: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Scan(files, ["_"], project_cache(files)).run(2)
    no_parsing(monkeypatch)
    assert Scan(files, ["_"], project_cache(files)).run(2) == first == expected(files)


def test_edited_file_misses(files: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    Scan(files, ["_"], project_cache(files)).run(1)
    Path("m01.py").write_text(SOURCE.replace("0.1", "0.2"))
    result = Scan(files, ["_"], project_cache(files)).run(1)
    assert result == expected(files)
    assert result[1].occurrences[0].value == 0.2


def test_key_covers_path_bytes_and_placeholders(files: list[str]) -> None:
    base = project_cache(files)
    other = IndexCache(Cache(), ["."], ["_", "hp"])
    data = Path("m01.py").read_bytes()
    assert base.key("m01.py", data) != other.key("m01.py", data)
    assert base.key("m01.py", data) != base.key("m02.py", data)
    assert base.key("m01.py", data) != base.key("m01.py", data + b" ")
    assert base.key("m01.py", data) == project_cache(files).key("m01.py", data)


def test_version_change_misses(files: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    Scan(files, ["_"], project_cache(files)).run(1)
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda: b"another version")
    no_parsing(monkeypatch)
    with pytest.raises(Forbidden):
        Scan(files, ["_"], project_cache(files)).run(1)


def test_fingerprint_follows_module_files(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache_module.code_fingerprint()
    cache_module.code_fingerprint.cache_clear()
    target = Path(cache_module.__file__)
    stat = target.stat()
    try:
        os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        assert cache_module.code_fingerprint() != before
    finally:
        os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        cache_module.code_fingerprint.cache_clear()
    assert cache_module.code_fingerprint() == before


def test_file_changing_during_the_scan_is_never_cached_stale(files: list[str]) -> None:
    scan = Scan(files, ["_"], project_cache(files))  # read and hashed here
    Path("m01.py").write_text(SOURCE.replace("0.1", "0.3"))  # changed before parsing
    assert scan.run(1)[1].occurrences[0].value == 0.3
    Path("m01.py").write_text(SOURCE.replace("lr", "lr1"))  # back to the hashed bytes
    again = Scan(files, ["_"], project_cache(files)).run(1)
    assert again == expected(files)


def test_digest_identifies_paths_and_contents(files: list[str]) -> None:
    digest = Scan(files, ["_"], project_cache(files)).digest
    assert digest == Scan(files, ["_"], project_cache(files)).digest
    Path("m01.py").write_text(SOURCE + "\n")
    assert digest != Scan(files, ["_"], project_cache(files)).digest
    assert Scan(files, ["_"]).digest is None  # without a cache, contents are not hashed


def test_cache_file_keeps_only_the_last_run(files: list[str]) -> None:
    cache = project_cache(files)
    Scan(files, ["_"], cache).run(1)
    Scan(files[:5], ["_"], project_cache(files)).run(1)
    stored = Cache().load(cache.name)
    assert isinstance(stored, dict)
    assert len(stored) == 3  # the pre-checked files are never stored


def test_unchanged_run_does_not_rewrite(files: list[str]) -> None:
    cache = project_cache(files)
    Scan(files, ["_"], cache).run(1)
    path = Path(cache.cache.directory) / cache.name
    os.utime(path, ns=(0, 0))
    data = path.read_bytes()
    Scan(files, ["_"], project_cache(files)).run(1)
    assert path.read_bytes() == data
    assert path.stat().st_mtime > 0  # touched: kept by pruning


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(b"not a cache", id="garbage"),
        pytest.param(b"", id="empty"),
        pytest.param(cache_module._FORMAT + b"\x80\x05garbage", id="bad-pickle"),
        pytest.param(cache_module._FORMAT + pickle.dumps([1, 2]), id="wrong-type"),
        pytest.param(cache_module._FORMAT + pickle.dumps({b"k": 1}), id="wrong-entry"),
    ],
)
def test_corrupt_cache_file_ignored(files: list[str], damage: bytes) -> None:
    cache = project_cache(files)
    Scan(files, ["_"], cache).run(1)
    (Path(cache.cache.directory) / cache.name).write_bytes(damage)
    assert Scan(files, ["_"], project_cache(files)).run(1) == expected(files)
    assert Scan(files, ["_"], project_cache(files)).run(1) == expected(files)


def test_corrupt_entry_is_a_miss(files: list[str]) -> None:
    cache = project_cache(files)
    Scan(files, ["_"], cache).run(1)
    stored = Cache().load(cache.name)
    assert isinstance(stored, dict)
    damaged = {k: v[:10] for k, v in stored.items()}
    Cache().dump(cache.name, damaged)
    assert Scan(files, ["_"], project_cache(files)).run(1) == expected(files)


def test_unwritable_cache_ignored(files: list[str], tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    cache = IndexCache(Cache(str(blocker / "cache")), ["."], ["_"])
    assert Scan(files, ["_"], cache).run(1) == expected(files)
    assert not Cache(str(blocker / "cache")).write("x", b"data")
    assert Cache(str(blocker / "cache")).read("x") is None


def test_prune_deletes_old_cache_files(tmp_path: Path) -> None:
    cache = Cache(str(tmp_path))
    cache.write("index-old.pickle", b"x")
    cache.write("index-new.pickle", b"x")
    cache.write("unrelated", b"x")
    old = time.time() - 40 * 24 * 3600
    os.utime(tmp_path / "index-old.pickle", (old, old))
    os.utime(tmp_path / "unrelated", (old, old))
    cache.prune()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index-new.pickle", "unrelated"]


def test_default_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HPMAN_CST_CACHE_DIR", str(tmp_path / "explicit"))
    assert cache_module.default_cache_dir() == str(tmp_path / "explicit")
    monkeypatch.delenv("HPMAN_CST_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_module.default_cache_dir() == str(tmp_path / "xdg" / "hpman-cst")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_module.default_cache_dir() == str(tmp_path / "home" / ".cache" / "hpman-cst")


@pytest.mark.parametrize("relative", ["cache", "./cache", "../cache", "~/cache"])
def test_a_relative_xdg_cache_home_is_ignored(
    relative: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The XDG Base Directory rule: a relative path in $XDG_CACHE_HOME is invalid and
    # ignored (else each project folder would get a cache folder of its own).
    monkeypatch.delenv("HPMAN_CST_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", relative)
    (tmp_path / "project").mkdir()
    monkeypatch.chdir(tmp_path / "project")
    assert cache_module.default_cache_dir() == str(tmp_path / "home" / ".cache" / "hpman-cst")
    from cli_runner import runner

    from hpman_cst.cli import cli

    (tmp_path / "project" / "m.py").write_bytes(b"_('a', 1)\n")
    assert runner().invoke(cli, ["list", "m.py"]).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "project"]
    assert sorted(p.name for p in (tmp_path / "project").iterdir()) == ["m.py"]
    assert (tmp_path / "home" / ".cache" / "hpman-cst").is_dir()


def test_deleted_file_is_a_problem(files: list[str]) -> None:
    scan = Scan(files, ["_"])
    os.unlink("m01.py")
    result = Scan(files, ["_"]).run(1)
    assert result[1].problems[0].code is ProblemCode.UNREADABLE
    assert scan.run(1)[1].problems[0].message == "no such file or directory"


def test_compact_pickle_round_trips(files: list[str]) -> None:
    for index in expected(files):
        assert pickle.loads(dumps(index)) == index


def test_paused_gc_restores_state() -> None:
    import gc

    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("error", [OSError, AssertionError])
@pytest.mark.parametrize("missing", ["Process", "Value"])
def test_no_worker_processes_parse_here(
    files: list[str], monkeypatch: pytest.MonkeyPatch, error: type[Exception], missing: str
) -> None:
    # No processes (a daemon process may not start any: AssertionError), or no shared
    # memory for the counter (no /dev/shm).
    class NoPool:
        def __getattr__(self, name: str) -> object:  # multiprocessing's names
            if name == missing:
                raise error("not here")
            return getattr(multiprocessing.get_context("fork"), name)

    monkeypatch.setattr(scan_module, "start_method_context", NoPool)
    prepared: list[bool] = []
    result = Scan(files, ["_"]).run(2, prepare=lambda: prepared.append(True))
    assert result == expected(files)
    assert prepared == [True]


def test_prepare_runs_once_while_the_workers_parse(files: list[str]) -> None:
    calls: list[int] = []
    assert Scan(files, ["_"]).run(2, prepare=lambda: calls.append(os.getpid())) == expected(files)
    assert calls == [os.getpid()]


def _dies(task: object) -> object:
    # A worker killed while it parses (the kernel's out-of-memory killer, say).
    os._exit(9)


def test_files_of_a_worker_that_dies_are_parsed_here(
    files: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan_module, "_work", _dies)
    assert Scan(files, ["_"]).run(2) == expected(files)


def test_fingerprint_follows_modules_of_subpackages(monkeypatch: pytest.MonkeyPatch) -> None:
    # The command line (cli/), the refactoring (refactor/) and the rules (lint/) live in
    # subpackages, and a remembered `hpman list` output depends on them.
    module = Path(cache_module.__file__).parent / "cli" / "commands" / "listing.py"
    cache_module.code_fingerprint.cache_clear()
    before = cache_module.code_fingerprint()
    cache_module.code_fingerprint.cache_clear()
    stat = module.stat()
    try:
        os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        assert cache_module.code_fingerprint() != before
    finally:
        os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        cache_module.code_fingerprint.cache_clear()
    assert cache_module.code_fingerprint() == before
