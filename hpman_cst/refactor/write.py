"""Write: every proven change replaced atomically, all or nothing (each file entirely old
or entirely new, re-read just before it is replaced)."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Sequence

from ..exceptions import HpmanError, RewriteError, WriteFailed
from ..source import atomic_write, read_bytes
from .edits import Change

__all__ = ["write"]


def write(changes: Sequence[Change], *, read: Callable[[str], bytes] = read_bytes) -> None:
    """Write each change atomically (same folder, same permission bits), after checking
    that every file is still as it was read, is writable and is planned once; raises
    :class:`RewriteError` before writing anything if one is not.

    Each file is read again just before it is replaced and left alone if it changed.
    When writing stops part way (that, a full disk, a failed rename, an interrupt),
    raises :class:`WriteFailed` naming the files written and those left as they were:
    every file is entirely old or entirely new."""
    seen: set[str] = set()
    for change in changes:
        real = os.path.realpath(change.path)
        if real in seen:
            raise RewriteError(
                "the same file was planned twice; nothing was written", path=change.path
            )
        seen.add(real)
        if read(change.path) != change.old:
            raise RewriteError(
                "the file changed while the rewrite was prepared; nothing was written",
                path=change.path,
            )
        if not os.access(os.path.dirname(real), os.W_OK) or not os.access(real, os.W_OK):
            raise RewriteError(
                "the file or its folder is not writable; nothing was written", path=change.path
            )
        if not os.stat(real).st_mode & stat.S_IWUSR:  # root may write anything: ask the bits
            raise RewriteError("the file is read-only; nothing was written", path=change.path)
    written: list[str] = []
    for position, change in enumerate(changes):
        try:
            atomic_write(change.path, change.new, expect=change.old)
        except BaseException as exc:
            raise _stopped(changes[position:], written, exc) from exc
        written.append(change.path)


def _stopped(left: Sequence[Change], written: list[str], exc: BaseException) -> WriteFailed:
    """The error for a write that failed at ``left[0]`` after ``written``."""
    failed = left[0]
    with contextlib.suppress(OSError):  # an interrupt may come just after the rename
        if read_bytes(failed.path) == failed.new:
            written, left = [*written, failed.path], left[1:]
    if isinstance(exc, HpmanError):
        reason = exc.message
    elif isinstance(exc, KeyboardInterrupt):
        reason = "interrupted"
    elif isinstance(exc, OSError):
        reason = f"cannot write: {exc.strerror or exc}"
    else:
        reason = f"cannot write: {type(exc).__name__}: {exc}"
    done = f"written: {', '.join(written)}" if written else "nothing was written"
    unwritten = tuple(c.path for c in left)
    rest = f"; left as they were: {', '.join(unwritten)}" if unwritten else ""
    return WriteFailed(
        f"{reason}; {done}{rest}", path=failed.path, written=tuple(written), unwritten=unwritten
    )
