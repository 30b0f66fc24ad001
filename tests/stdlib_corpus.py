"""The standard library that ships with the interpreter, as a corpus of real code."""

from __future__ import annotations

import multiprocessing
import os
import sysconfig
from concurrent.futures import ProcessPoolExecutor


def stdlib_files() -> list[str]:
    """Every ``.py`` file of the standard library (not site-packages), in sorted order."""
    root = sysconfig.get_paths()["stdlib"]
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "site-packages" and d != "__pycache__")
        found += [os.path.join(folder, f) for f in sorted(files) if f.endswith(".py")]
    return found


def fork_pool() -> ProcessPoolExecutor:
    """Two worker processes, forked where the platform can."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(max_workers=2, mp_context=context)
