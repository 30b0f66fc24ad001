"""The benchmark's child process: one measurement of one tool, as JSON on stdout.

    python child.py parse {ours,hpman} DIR   # parse_file(DIR) then get_values()
    python child.py hot {ours,hpman} DIR     # after parse_file(DIR): ns per hot-loop call
    python child.py profile {ours,hpman} DIR # cProfile of parse_file(DIR), as text

``ours`` is ``hpman_cst``, ``hpman`` is hpman 0.13. Each run is a fresh interpreter, so
the process-wide managers start empty. Stdlib only.
"""

from __future__ import annotations

import json
import sys
import time
import timeit
from typing import Any

#: Hot-loop statements, timed with ``_`` and ``d`` as globals (as in a training loop that
#: calls the module-level ``_``).
HOT_STATEMENTS = {
    "dict": 'd["lr"]',
    "call_default": '_("lr", 0.1)',
    "call": '_("lr")',
    "get_value": '_.get_value("lr")',
}


def _manager(tool: str) -> Any:
    if tool == "ours":
        from hpman_cst.m import _

        return _
    if tool == "hpman":
        # What hpman's users write; the same as a fresh HyperParameterManager("_").
        from hpman import HyperParameterManager

        return HyperParameterManager("_")
    raise SystemExit(f"unknown tool {tool!r}")


def parse(tool: str, root: str) -> dict[str, Any]:
    """Time the import, ``parse_file(root)`` and ``get_values()``."""
    start = time.perf_counter()
    manager = _manager(tool)
    imported = time.perf_counter()
    manager.parse_file(root)
    parsed = time.perf_counter()
    values = manager.get_values()
    done = time.perf_counter()
    return {
        "import_s": imported - start,
        "parse_s": parsed - imported,
        "values_s": done - parsed,
        "n_values": len(values),
    }


def hot(tool: str, root: str, repeat: int = 5) -> dict[str, Any]:
    """Nanoseconds per call of each :data:`HOT_STATEMENTS` (min over ``repeat`` rounds,
    each at least 0.2 s long), after parsing ``root``."""
    manager = _manager(tool)
    manager.parse_file(root)
    manager("lr", 0.1)  # make sure the name has a value whatever the corpus holds
    env = {"_": manager, "d": {"lr": 0.1}}
    result: dict[str, Any] = {}
    for key, statement in HOT_STATEMENTS.items():
        timer = timeit.Timer(statement, globals=env)
        number, _ = timer.autorange()
        best = min(timer.repeat(repeat=repeat, number=number))
        result[key] = best / number * 1e9
    result["values"] = len(manager.get_values())
    return result


def profile(tool: str, root: str, limit: int = 25) -> dict[str, Any]:
    """The top of a cProfile of ``parse_file(root)``, sorted by own time."""
    import cProfile
    import io
    import pstats

    manager = _manager(tool)
    profiler = cProfile.Profile()
    profiler.runcall(manager.parse_file, root)
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(limit)
    return {"profile": text.getvalue()}


def main(argv: list[str]) -> None:
    mode, tool, root = argv[:3]
    if mode == "parse":
        out = parse(tool, root)
    elif mode == "profile":
        out = profile(tool, root)
    elif mode == "hot":
        out = hot(tool, root, int(argv[3]) if len(argv) > 3 else 5)
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
