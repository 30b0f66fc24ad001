"""Execute a plan: materialise and prove every file it changes (:mod:`.prove`), in up to
``jobs`` processes of the one process pool (:mod:`hpman_cst.pool`), before anything is
written (:mod:`.write` does that)."""

from __future__ import annotations

import gc
from collections.abc import Callable, Collection
from typing import Union

from ..exceptions import RefactorRefused, RewriteError
from ..pool import processes_for, spread
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


def execute(
    plan: Plan, *, read: Callable[[str], bytes] = read_bytes, jobs: int = 1
) -> tuple[Change, ...]:
    """Every changed file of ``plan``, proven; files the plan leaves as they were are
    left out. Raises :class:`RewriteError` for the first file that fails a check, or
    :class:`RefactorRefused` for one where the edit cannot be written (an inlined default
    that an f-string field cannot hold).

    With ``jobs > 1`` and several files per process, files are proven in up to that
    many processes (``read`` must then be the default)."""
    # Spread the files over the one process pool when there are enough per process to
    # pay for a worker (see hpman_cst.pool: its platform rule, and serial when no worker
    # can start). The cyclic garbage collector would walk every record of the scan again
    # and again: it halved the speed (see scan.paused_gc; the workers pause it too).
    with paused_gc():
        if read is read_bytes and jobs > 1:
            processes = processes_for(jobs, len(plan.files), _FILES_PER_PROCESS)
            work = [(file, plan.placeholders) for file in plan.files]
            results = spread(_prove_job, work, processes)
        else:
            results = [_prove_one(f, plan.placeholders, read) for f in plan.files]
    changes: list[Change] = []
    for result in results:
        if not isinstance(result, Change):
            raise result
        if result.changed:
            changes.append(result)
    return tuple(changes)
