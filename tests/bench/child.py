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


class _Floor:
    """The cheapest manager conceivable in Python: a ``__call__`` that returns
    ``values[name]``; what a real one can at best approach."""

    def __init__(self) -> None:
        self.values = {"lr": 0.1}

    def __call__(self, name: str, value: object = None, **hints: object) -> object:
        return self.values[name]


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
    """Time the import, ``parse_file(root)`` (wall and CPU) and ``get_values()``."""
    start = time.perf_counter()
    manager = _manager(tool)
    imported = time.perf_counter()
    cpu = time.process_time()
    manager.parse_file(root)
    parsed = time.perf_counter()
    parse_cpu = time.process_time() - cpu
    values = manager.get_values()
    done = time.perf_counter()
    return {
        "import_s": imported - start,
        "parse_s": parsed - imported,
        "parse_cpu_s": parse_cpu,
        "values_s": done - parsed,
        "n_values": len(values),
    }


def hot(tool: str, root: str, repeat: int = 5) -> dict[str, Any]:
    """Nanoseconds per call of each :data:`HOT_STATEMENTS` and of a minimal ``__call__``
    (``floor_call``), after parsing ``root``: the minimum over ``repeat`` interleaved
    rounds, each about 0.2 s long."""
    manager = _manager(tool)
    manager.parse_file(root)
    manager("lr", 0.1)  # make sure the name has a value whatever the corpus holds
    env = {"_": manager, "d": {"lr": 0.1}, "floor": _Floor()}
    statements = {**HOT_STATEMENTS, "floor_call": 'floor("lr")'}
    timers = {key: timeit.Timer(stmt, globals=env) for key, stmt in statements.items()}
    numbers = {key: timer.autorange()[0] for key, timer in timers.items()}
    best = dict.fromkeys(timers, float("inf"))
    # Round-robin, so that a slow spell of a shared machine hits every statement alike.
    for _ in range(repeat):
        for key, timer in timers.items():
            best[key] = min(best[key], timer.timeit(numbers[key]) / numbers[key])
    result: dict[str, Any] = {key: seconds * 1e9 for key, seconds in best.items()}
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


def _own_pss_kb() -> int:
    """This process's proportional set size now, in KiB (``Pss`` of ``smaps_rollup``;
    its resident size where that is missing; 0 without /proc): as the sampler counts."""
    for path, key in (("/proc/self/smaps_rollup", b"Pss:"), ("/proc/self/status", b"VmRSS:")):
        try:
            with open(path, "rb") as handle:
                for line in handle:
                    if line.startswith(key):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


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
    out["pss_kb"] = _own_pss_kb()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
