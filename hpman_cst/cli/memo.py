"""Whole outputs of a command, remembered in the cache (:class:`hpman_cst.cache.OutputMemo`)
under everything they depend on, so that an unchanged project is listed without parsing
or unpickling anything."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Sequence
from typing import TypeVar

from ..cache import OutputMemo, code_fingerprint

__all__ = ["library_fingerprint", "remembered"]

T = TypeVar("T")


def library_fingerprint(format: str) -> str:
    """What the rendering libraries of ``format`` are (their files' sizes and times),
    without importing them."""
    modules = {"table": ("tabulate", "wcwidth"), "detail": ("tabulate", "wcwidth")}
    parts = []
    for module in modules.get(format, ("yaml",) if format == "yaml" else ()):
        try:
            spec = importlib.util.find_spec(module)
            origin = spec.origin if spec is not None else None
            info = os.stat(origin) if origin else None
        except (ImportError, ValueError, OSError):
            info = None
        parts.append(f"{module}:{info.st_size}:{info.st_mtime_ns}" if info else f"{module}:-")
    return ";".join(parts)


def remembered(
    options: Sequence[str],
    key: Sequence[object],
    compute: Callable[[], T],
    kind: type[T],
) -> T:
    """The value remembered in the slot of ``options`` (and the current folder) under
    ``key`` (and the code of hpman-cst), or else ``compute()``, then remembered there.
    ``kind`` is the value's type: anything else found is ignored."""
    memo = OutputMemo((os.getcwd(), *options), (*key, code_fingerprint()))
    found = memo.get()
    if isinstance(found, kind):
        return found
    value = compute()
    memo.put(value)
    return value
