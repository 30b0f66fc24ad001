"""Index many files fast: read each once, rule most out with the textual pre-check, take
what the cache knows, and parse the rest in worker processes.

This is the I/O half of the ``index`` stage; everything after it (registry, render) is
pure. Stdlib only.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import pickle
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import TYPE_CHECKING, Optional

from .cache import IndexCache, blake2b, content_key
from .exceptions import UnreadableFile
from .index import index_bytes, may_contain_call
from .pool import (
    START_ERRORS,
    default_jobs,
    processes_for,
    start_method_context,
    start_workers,
)
from .records import FileIndex, Marker, Occurrence, Problem, ProblemCode, Span
from .source import read_bytes

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.sharedctypes import Synchronized

__all__ = ["Scan", "default_jobs", "dumps", "paused_gc"]

# Below this many files per worker, forking costs more than parsing in this process.
_FILES_PER_WORKER = 8


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration (and restore its state).

    Parsing allocates hundreds of thousands of objects, and every so many allocations the
    collector walks all the objects alive, the results gathered so far included: that
    took 35 to 45% of a scan. Syntax trees and records hold no reference cycles; the few
    cycles made per file (``ast.literal_eval`` leaves a recursive closure behind) are
    freed by :func:`_collect_young` after each file, which looks at young objects only."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# The next file to take, shared by this process and the workers (set by Scan._index).
_next_file: Synchronized[int] | None = None


def _start_worker(counter: Synchronized[int]) -> None:
    # Gives the worker the shared counter (a forked worker inherits it anyway).
    global _next_file
    _next_file = counter


def _take(counter: Synchronized[int]) -> int:
    """The number of the next file nobody has taken yet (past the end when done)."""
    with counter.get_lock():
        number: int = counter.value
        counter.value = number + 1
    return number


def _collect_young() -> None:
    gc.collect(0)


def _unreadable(path: str, message: str) -> FileIndex:
    return FileIndex(path, problems=(Problem(ProblemCode.UNREADABLE, message, path),))


def _read(path: str) -> bytes | FileIndex:
    try:
        return read_bytes(path)
    except FileNotFoundError:
        return _unreadable(path, "no such file or directory")
    except UnreadableFile as exc:
        return _unreadable(path, exc.message)


_Task = tuple[Sequence[str], tuple[str, ...], Optional[bytes]]


def _reduce_span(span: Span) -> tuple[type[Span], tuple[int, int, int, int]]:
    return Span, (span.line, span.column, span.end_line, span.end_column)


def _reduce_occurrence(o: Occurrence) -> tuple[type[Occurrence], tuple[object, ...]]:
    fields = (o.name, o.path, o.placeholder, o.span, o.name_span, o.default, o.default_span)
    return Occurrence, (*fields, o.value, o.hints)


def _reduce_marker(marker: Marker) -> tuple[object, tuple[type[Marker], str]]:
    return getattr, (Marker, marker.name)


# Records rebuilt through their constructors take a quarter less memory than pickle's
# default (which gives each object a materialised __dict__), and markers are looked up
# instead of called.
_REDUCERS: dict[type, object] = {
    Span: _reduce_span,
    Occurrence: _reduce_occurrence,
    Marker: _reduce_marker,
}


def dumps(index: FileIndex) -> bytes:
    """``index`` pickled compactly (load it with :func:`pickle.loads`)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _REDUCERS  # type: ignore[assignment]
    pickler.dump(index)
    return buffer.getvalue()


def _index_file(
    path: str, placeholders: Collection[str], salt: bytes | None, *, pickled: bool
) -> tuple[bytes | None, bytes | None, FileIndex]:
    """Index one file: ``(cache key, pickled result, result)``. The key (``None``
    without a ``salt``, that is without a cache, or when the file cannot be read) is of
    the bytes actually parsed, so a file that changes during the run can never be
    cached under its old contents. The result is pickled when it has a key, or when
    ``pickled`` (to send it from a worker)."""
    data = _read(path)
    if isinstance(data, FileIndex):
        return None, dumps(data) if pickled else None, data
    result = index_bytes(data, path, placeholders)
    _collect_young()
    key = content_key(salt, path, data) if salt is not None else None
    return key, dumps(result) if pickled or key is not None else None, result


def _work(task: _Task) -> list[tuple[int, bytes | None, bytes]]:
    """Index files in a worker, taking them one by one until none is left:
    ``[(file number, cache key or None, pickled FileIndex), ...]``."""
    paths, placeholders, salt = task
    assert _next_file is not None, "the worker was started without its counter"
    done: list[tuple[int, bytes | None, bytes]] = []
    while (number := _take(_next_file)) < len(paths):
        key, blob, _ = _index_file(paths[number], placeholders, salt, pickled=True)
        assert blob is not None
        done.append((number, key, blob))
    return done


class Scan:
    """One scan of ``files`` for calls of ``placeholders``.

    Creating it reads every file once: files that cannot be read, and files the
    pre-check rules out, are settled there; with a cache, the others are hashed, and
    :attr:`digest` identifies the whole input (paths and contents) before anything is
    parsed. :meth:`run` then gives every file's :class:`FileIndex`.
    """

    def __init__(
        self,
        files: Sequence[str],
        placeholders: Collection[str],
        cache: IndexCache | None = None,
    ) -> None:
        self.files = tuple(files)
        self.placeholders = tuple(sorted(set(placeholders)))
        self.cache = cache
        self._results: list[FileIndex | None] = [None] * len(self.files)
        self._pending: list[tuple[int, bytes | None]] = []
        digest = blake2b(digest_size=20)
        for number, path in enumerate(self.files):
            digest.update(os.fsencode(path) + b"\0")
            data = _read(path)
            if isinstance(data, FileIndex):
                self._results[number] = data
                digest.update(b"!" + data.problems[0].message.encode() + b"\0")
            elif not may_contain_call(data, self.placeholders):
                self._results[number] = FileIndex(path)
                digest.update(b"-\0")
            else:
                key = cache.key(path, data) if cache is not None else None
                self._pending.append((number, key))
                digest.update(b"+" + (key or b"") + b"\0")
        #: Identifies paths and contents of all files (``None`` without a cache, since
        #: contents are then not hashed).
        self.digest = digest.digest() if cache is not None else None

    @property
    def prechecked(self) -> int:
        """How many files the pre-check (or a read error) settled without parsing."""
        return len(self.files) - len(self._pending)

    def run(
        self, jobs: int | None = None, *, prepare: Callable[[], object] | None = None
    ) -> list[FileIndex]:
        """Every file's index, in the order of :attr:`files`: from the cache when it has
        the file's contents, else parsed with up to ``jobs`` processes (default: all
        cores). Updates the cache. ``prepare`` is called once in this process, while the
        workers (if any) already parse: work the caller will need next (an import)."""
        with paused_gc():
            return self._run(jobs, prepare)

    def _run(self, jobs: int | None, prepare: Callable[[], object] | None) -> list[FileIndex]:
        results = self._results
        todo: list[tuple[int, bytes | None]] = []
        for number, key in self._pending:
            hit = None
            if self.cache is not None and key is not None:
                hit = self.cache.get(key, self.files[number])
            if hit is None:
                todo.append((number, key))
            else:
                results[number] = hit
        paths = [self.files[number] for number, _ in todo]
        for (number, _), (key, blob, result) in zip(todo, self._index(paths, jobs, prepare)):
            results[number] = result
            if self.cache is not None and key is not None and blob is not None:
                self.cache.put(key, blob)
        if self.cache is not None:
            self.cache.save()
        return [r if r is not None else FileIndex(self.files[i]) for i, r in enumerate(results)]

    def _index(
        self, paths: list[str], jobs: int | None, prepare: Callable[[], object] | None
    ) -> list[tuple[bytes | None, bytes | None, FileIndex]]:
        # This process is one of the ``jobs`` (one process fewer to hold in memory): it
        # and jobs - 1 forked workers take the files one by one from a shared counter,
        # so that whoever has other work to do (``prepare``, unpickling the workers'
        # results) parses fewer, and all finish together.
        processes = processes_for(jobs, len(paths), _FILES_PER_WORKER)
        salt = self.cache.salt if self.cache is not None else None
        task: _Task = (paths, self.placeholders, salt)
        workers: list[Future[list[tuple[int, bytes | None, bytes]]]] = []
        started = self._start(processes - 1, task, workers) if processes > 1 else None
        if started is None:
            if prepare is not None:
                prepare()
            return [self._here(path) for path in paths]
        from concurrent.futures.process import BrokenProcessPool

        pool, counter = started
        results: list[tuple[bytes | None, bytes | None, FileIndex] | None] = [None] * len(paths)
        with pool:
            if prepare is not None:
                prepare()
            while (number := _take(counter)) < len(paths):
                results[number] = self._here(paths[number])
            for worker in workers:
                try:
                    done = worker.result()
                except BrokenProcessPool:  # a worker was killed (out of memory, say)
                    continue  # its files are parsed here below
                for number, key, blob in done:
                    results[number] = (key, blob, pickle.loads(blob))
        return [r if r is not None else self._here(paths[n]) for n, r in enumerate(results)]

    @staticmethod
    def _start(
        count: int, task: _Task, workers: list[Future[list[tuple[int, bytes | None, bytes]]]]
    ) -> tuple[ProcessPoolExecutor, Synchronized[int]] | None:
        """Start ``count`` workers sharing a file counter with this process, each
        running :func:`_work` (their futures appended to ``workers``): the pool and the
        counter, or ``None`` when no worker can start here (see :mod:`hpman_cst.pool`)."""
        # Imported here: a run that parses nothing (all cached) need not load it.
        from concurrent.futures.process import BrokenProcessPool

        context = start_method_context()
        try:
            counter = context.Value("q", 0)
        except START_ERRORS:  # no shared memory or semaphores here
            return None
        pool = start_workers(count, _start_worker, (counter,), context=context)
        if pool is None:
            return None
        try:
            workers.extend(pool.submit(_work, task) for _ in range(count))
        except (*START_ERRORS, BrokenProcessPool):  # no worker could start after all
            pool.shutdown(wait=False, cancel_futures=True)
            workers.clear()
            return None
        return pool, counter

    def _here(self, path: str) -> tuple[bytes | None, bytes | None, FileIndex]:
        """Index one file in this process (see :func:`_index_file`)."""
        salt = self.cache.salt if self.cache is not None else None
        return _index_file(path, self.placeholders, salt, pickled=False)
