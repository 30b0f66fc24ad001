"""The one process pool: how many processes, how they start, what happens when they cannot.

Both reading (``scan``: parse files) and writing (``apply``: rewrite and prove files) spread
work over processes with the same rule:

- **Linux: fork.** A forked worker starts in milliseconds and shares the parent's modules
  and memory pages (copy on write), so a pool pays for itself from a few files per process.
- **Elsewhere: the platform's default start method** (spawn on macOS and Windows). macOS
  has fork, but forking a process that has loaded system frameworks can crash or hang
  (CPython made spawn the default there in 3.8 for that reason): a parallel run must never
  be less safe than a serial one. Spawned workers import what they run, so the work
  functions live at module level and their arguments pickle.
- **Serial when no worker can start** (a daemon process, a sandbox without semaphores, a
  platform without processes) and for the work of a worker that died (killed when out of
  memory, say): that work is done again in this process. Never an error of its own.

This process is always one of the ``jobs``: it works while the workers do, so ``jobs=2``
means one worker. Stdlib only; ``multiprocessing`` and ``concurrent.futures`` are
imported on first use, so a run that needs no worker (all cached) does not load them.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.context import BaseContext

__all__ = [
    "START_ERRORS",
    "default_jobs",
    "processes_for",
    "spread",
    "start_method_context",
    "start_workers",
]

T = TypeVar("T")
R = TypeVar("R")

#: What multiprocessing raises when no worker can be started here (no processes or
#: semaphores; a daemon process may not have children: AssertionError).
START_ERRORS = (OSError, AssertionError, NotImplementedError, ImportError)


def default_jobs() -> int:
    """The number of cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def processes_for(jobs: int | None, items: int, per_process: int) -> int:
    """How many processes (this one included) to spread ``items`` over: at most ``jobs``
    (``None`` or 0: all cores), and at least ``per_process`` items each, since below that
    starting a worker costs more than it saves. 1 means: do it all here."""
    return max(1, min(jobs or default_jobs(), items // max(1, per_process)))


def start_method_context() -> BaseContext:
    """The multiprocessing context of the platform rule: fork on Linux, the platform's
    default elsewhere (see the module docstring)."""
    import multiprocessing

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _start_worker(initializer: Callable[..., object] | None, args: tuple[object, ...]) -> None:
    # Records hold no reference cycles: a worker parses or rewrites with the cyclic
    # collector off, as the parent does (a forked worker inherits that; a spawned one not).
    gc.disable()
    if initializer is not None:
        initializer(*args)


def start_workers(
    workers: int,
    initializer: Callable[..., object] | None = None,
    initargs: tuple[object, ...] = (),
    *,
    context: BaseContext | None = None,
) -> ProcessPoolExecutor | None:
    """A pool of ``workers`` processes started by the platform rule, each running
    ``initializer(*initargs)`` first; ``None`` when none can be started here (then do the
    work in this process). ``context`` is the one whose shared objects (a counter) are in
    ``initargs``: pass :func:`start_method_context`'s."""
    if workers < 1:
        return None
    try:
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(
            workers,
            context or start_method_context(),
            initializer=_start_worker,
            initargs=(initializer, initargs),
        )
    except START_ERRORS:
        return None


def spread(function: Callable[[T], R], items: Sequence[T], processes: int) -> list[R]:
    """``[function(item) for item in items]``, with up to ``processes`` processes: this one
    takes every ``processes``-th item while the workers take the others. An exception
    ``function`` raises is raised here, as in a serial run. Serial when ``processes`` < 2
    or no worker can start; the items of a worker that died are done here."""
    pool = start_workers(processes - 1) if processes > 1 and len(items) > 1 else None
    if pool is None:
        return [function(item) for item in items]
    from concurrent.futures.process import BrokenProcessPool

    theirs = [n for n in range(len(items)) if n % processes]
    results: dict[int, R] = {}
    with pool:
        try:
            futures: list[tuple[int, Future[R]]] = [
                (n, pool.submit(function, items[n])) for n in theirs
            ]
        except (*START_ERRORS, BrokenProcessPool):
            futures = []
        for n in range(0, len(items), processes):
            results[n] = function(items[n])
        for n, future in futures:
            with contextlib.suppress(BrokenProcessPool):  # its worker died: done below
                results[n] = future.result()
    return [results[n] if n in results else function(items[n]) for n in range(len(items))]
