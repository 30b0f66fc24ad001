"""Execute a plan: materialise and prove every file it changes (:mod:`.prove`), in up to
``jobs`` processes, before anything is written (:mod:`.write` does that)."""

from __future__ import annotations

import gc
import multiprocessing
import sys
from collections.abc import Callable, Collection
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Union

from ..exceptions import RefactorRefused, RewriteError
from ..scan import paused_gc
from ..source import read_bytes
from .edits import Change, FilePlan, Plan
from .prove import prove

__all__ = ["execute"]

# Below this many changed files per process, forking costs more than rewriting here.
_FILES_PER_PROCESS = 4

#: A file's outcome: its proven change, or the error that stops the command (errors
#: pickle with their place, so a worker returns them as they are).
_Outcome = Union[Change, RewriteError, RefactorRefused]


def _prove_one(
    file: FilePlan, placeholders: Collection[str], read: Callable[[str], bytes] = read_bytes
) -> _Outcome:
    """:func:`prove` of one planned file, its failure as the outcome (a worker's result)."""
    try:
        return prove(file, read(file.path), placeholders)
    except (RewriteError, RefactorRefused) as exc:
        return exc
    except Exception as exc:  # a bug: still this file's one-line refusal, never a traceback
        detail = " ".join(str(exc).split())
        message = f"cannot rewrite this file ({type(exc).__name__}: {detail}); nothing was changed"
        return RewriteError(message, path=file.path)
    finally:
        gc.collect(0)  # the few cycles a file leaves (with the collector paused)


def _prove_job(job: tuple[FilePlan, frozenset[str]]) -> _Outcome:
    return _prove_one(*job)


def _in_workers(plan: Plan, processes: int) -> list[_Outcome] | None:
    # This process is one of them: it proves every processes-th file itself while the
    # forked workers prove the others.
    files = plan.files
    theirs = [n for n in range(len(files)) if n % processes]
    results: list[_Outcome | None] = [None] * len(files)
    if (
        not sys.platform.startswith("linux")
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return None
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(max_workers=processes - 1, mp_context=context) as pool:
            work = [(files[n], plan.placeholders) for n in theirs]
            pending = pool.map(_prove_job, work)  # submitted now; runs meanwhile
            for n in range(0, len(files), processes):
                results[n] = _prove_one(files[n], plan.placeholders)
            for n, result in zip(theirs, pending):
                results[n] = result
    except (OSError, AssertionError, NotImplementedError, BrokenProcessPool):
        return None
    done = [r for r in results if r is not None]
    return done if len(done) == len(files) else None


def execute(
    plan: Plan, *, read: Callable[[str], bytes] = read_bytes, jobs: int = 1
) -> tuple[Change, ...]:
    """Every changed file of ``plan``, proven; files the plan leaves as they were are
    left out. Raises :class:`RewriteError` for the first file that fails a check, or
    :class:`RefactorRefused` for one where the edit cannot be written (an inlined default
    that an f-string field cannot hold).

    With ``jobs > 1`` and several files per process, files are proven in up to that
    many processes (``read`` must then be the default)."""
    # Spread the files over processes when there are enough per process to pay for the
    # fork; prove here when no worker can be started (a daemon process). The cyclic
    # garbage collector would walk every record of the scan again and again: it halved
    # the speed (see scan.paused_gc; the workers inherit the pause).
    processes = min(jobs, len(plan.files) // _FILES_PER_PROCESS)
    results: list[_Outcome] | None = None
    with paused_gc():
        if processes > 1 and read is read_bytes:
            results = _in_workers(plan, processes)
        if results is None:
            results = [_prove_one(f, plan.placeholders, read) for f in plan.files]
    changes: list[Change] = []
    for result in results:
        if not isinstance(result, Change):
            raise result
        if result.changed:
            changes.append(result)
    return tuple(changes)
