"""Benchmarks of hpman-cst against hpman 0.13, run by ``nox -s bench``.

Needs both packages installed in the running interpreter's environment (the ``hpman``
command of hpman-cst next to ``sys.executable``; ``hpman==0.13.0`` importable). Writes
generated corpora to a temporary folder, times each case for both tools in the same run
(interleaved, medians of several runs, each command in a fresh process), and prints one
table with the ratio ours/hpman, the target and whether it is met. ``--json PATH`` also
writes every measurement.

    python tests/bench/run_bench.py [--quick] [--json PATH] [--cases B1,B3] [--repeat R]

``--quick`` (or ``HPMAN_BENCH_QUICK=1``) divides the corpus sizes by 10 and runs each
case once or twice: for checking the harness, not for figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus as corpus_gen  # noqa: E402

CHILD = HERE / "child.py"
BIN = Path(sys.executable).parent
OURS_CLI = BIN / "hpman"
ALL_CASES = ("B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8")


# ----------------------------------------------------------------------- processes


@dataclass
class Run:
    """One finished child process."""

    wall_s: float
    cpu_s: float  # user + system time of the process and its waited-for children
    peak_kb: int  # peak memory of the process tree, proportional set size (see _Sampler)
    returncode: int
    stdout: str = ""
    stderr: str = ""
    data: dict[str, Any] = field(default_factory=dict)


class _Sampler(threading.Thread):
    """Follows a process tree through /proc every 10 ms: the peak of the sum of the
    proportional set sizes (``Pss`` of ``/proc/PID/smaps_rollup``) of its live processes,
    pool workers included. A page shared by n processes counts 1/n in each, so a forked
    worker's pages shared with its parent count once, as the machine holds them. Where
    ``smaps_rollup`` is missing (Linux before 4.14), the resident size (``VmRSS``).

    Not ``ru_maxrss``: Linux carries the parent's resident size into a child's
    ``ru_maxrss`` across ``vfork`` and ``exec``, so it would report the driver's memory.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.stop = threading.Event()

    def run(self) -> None:
        pids = {self.pid}
        tick = 0
        while not self.stop.is_set():
            if tick % 10 == 0:
                pids |= _descendants(self.pid)
            total = 0
            for pid in list(pids):
                total += _memory_kb(pid) or 0
            self.peak_kb = max(self.peak_kb, total)
            tick += 1
            self.stop.wait(0.01)


def _descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(b")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found: set[int] = set()
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _memory_kb(pid: int) -> int | None:
    """The proportional set size of a live process in KiB (its resident size where
    ``smaps_rollup`` is missing); ``None`` once it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
        return None  # a zombie: its memory is gone
    except FileNotFoundError:
        if not os.path.exists(f"/proc/{pid}"):
            return None
    except OSError:
        return None
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


#: Where child processes run: not the source tree, whose ``hpman_cst/`` would shadow the
#: installed package for ``python -c``. Set by :func:`main`.
RUN_DIR: Path | None = None


def run_process(cmd: Sequence[str], *, env: dict[str, str] | None = None) -> Run:
    """Run ``cmd`` to completion: wall time, peak memory of its tree, exit code, output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=err, env=env, cwd=RUN_DIR)
        sampler = _Sampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        sampler.stop.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, cpu, sampler.peak_kb, proc.returncode, stdout, stderr)


def run_child(mode: str, tool: str, root: Path, *extra: str, cache: Path | None = None) -> Run:
    """Run ``child.py``; its JSON result goes to ``Run.data``. ``_.parse_file`` reads and
    writes the content cache in ``cache`` (default: a new empty one, a first run)."""
    with tempfile.TemporaryDirectory(prefix="cache-") as fresh:
        env = dict(os.environ, HPMAN_CST_CACHE_DIR=str(cache or fresh))
        run = run_process([sys.executable, str(CHILD), mode, tool, str(root), *extra], env=env)
    if run.returncode == 0:
        run.data = json.loads(run.stdout)
        # The child's size at its end (Python keeps what it allocated): sampling may
        # miss the top.
        run.peak_kb = max(run.peak_kb, run.data.get("pss_kb", 0))
    return run


# ---------------------------------------------------------------------------- results


@dataclass
class Side:
    """One tool's figure for one case: a median over runs, or why there is none."""

    value: float | None
    runs: list[float] = field(default_factory=list)
    error: str | None = None


@dataclass
class Row:
    """One line of the table."""

    case: str
    label: str
    unit: str
    ours: Side
    hpman: Side
    target: str = ""
    check: str = ""  # "ratio" or "ours": what the threshold applies to
    threshold: float | None = None
    note: str = ""
    ours_cpu: Side | None = None  # the same figure in CPU time, where it means something
    hpman_cpu: Side | None = None

    @property
    def ratio(self) -> float | None:
        return _ratio(self.ours, self.hpman)

    @property
    def cpu_ratio(self) -> float | None:
        if self.ours_cpu is None or self.hpman_cpu is None:
            return None
        return _ratio(self.ours_cpu, self.hpman_cpu)

    @property
    def met(self) -> bool | None:
        if self.threshold is None:
            return None
        value = self.ratio if self.check == "ratio" else self.ours.value
        return None if value is None else value <= self.threshold


def _growth(sides: dict[int, Side], n: int) -> Side:
    small, large = sides[n].value, sides[2 * n].value
    return Side(None if small is None or large is None or not small else large / small)


def _ratio(ours: Side, hpman: Side) -> float | None:
    if ours.value is None or not hpman.value:
        return None
    return ours.value / hpman.value


def side(runs: Sequence[Run], pick: Callable[[Run], float]) -> Side:
    """The median of ``pick(run)`` over successful runs, or the first failure."""
    failed = [r for r in runs if r.returncode != 0]
    if failed or not runs:
        why = failed[0].stderr.strip().splitlines()[-1:] if failed else ["not run"]
        return Side(None, error=f"exit {failed[0].returncode if failed else '-'}: {why}")
    values = [pick(r) for r in runs]
    return Side(statistics.median(values), values)


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "ns":
        return f"{value:.0f} ns"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "x":
        return f"{value:.2f}x"
    return f"{value:.3g} {unit}"


def render_table(rows: Sequence[Row]) -> str:
    """The results as one plain-text table (tabulate when available)."""
    header = ["case", "what", "ours", "hpman 0.13", "ratio", "target", "met?", "cpu ratio"]
    body = []
    for row in rows:
        met = {True: "yes", False: "NO", None: ""}[row.met]
        if row.threshold is not None and row.met is None:
            met = "n/a"
        ratio = "" if row.unit == "x" else (f"{row.ratio:.3f}" if row.ratio is not None else "")
        body.append(
            [
                row.case,
                row.label,
                _fmt(row.ours.value, row.unit),
                _fmt(row.hpman.value, row.unit),
                ratio,
                row.target,
                met,
                f"{row.cpu_ratio:.3f}" if row.cpu_ratio is not None else "",
            ]
        )
    try:
        from tabulate import tabulate
    except ImportError:  # pragma: no cover - tabulate is a dependency of hpman-cst
        return "\n".join(" | ".join(map(str, line)) for line in [header, *body])
    return tabulate(body, header, tablefmt="github")


# ------------------------------------------------------------------------------ cases


@dataclass
class Settings:
    n: int  # the "N=1000" size
    repeat: int
    import_runs: int
    hot_repeat: int
    workdir: Path
    cases: tuple[str, ...]


class Bench:
    """Generates the corpora lazily and runs the cases."""

    def __init__(self, settings: Settings) -> None:
        self.s = settings
        self.corpora: dict[tuple[int, float], Path] = {}
        self.rename_files: dict[tuple[int, float], int] = {}
        self.hpman_parse: dict[tuple[int, float], list[Run]] = {}
        self.rows: list[Row] = []
        self.notes: list[str] = []

    # corpora and shared baselines

    def corpus(self, n: int, share: float) -> Path:
        key = (n, share)
        if key not in self.corpora:
            root = self.s.workdir / f"corpus_n{n}_p{round(share * 100)}"
            generated = corpus_gen.generate(n, share, seed=0)
            generated.write(root)
            self.corpora[key] = root
            self.rename_files[key] = len(generated.rename_files)
        return self.corpora[key]

    def hpman_job(self, n: int, share: float) -> dict[str, Callable[[], Run]]:
        """hpman's ``parse_file`` + ``get_values`` on a corpus, the baseline of B1, B3 and
        B4: measured once per corpus (``repeat`` runs) and shared by those cases. An
        empty dict when it is measured already."""
        key = (n, share)
        if key in self.hpman_parse:
            return {}
        root = self.corpus(n, share)
        return {f"hpman {n} {share}": lambda: run_child("parse", "hpman", root)}

    def round_robin(self, jobs: dict[str, Callable[[], Run]]) -> dict[str, list[Run]]:
        """Each job ``repeat`` times, taking turns, so that a busy spell of a shared
        machine does not fall on one side only. hpman baselines are kept for reuse."""
        runs: dict[str, list[Run]] = {key: [] for key in jobs}
        for _ in range(self.s.repeat):
            for key, job in jobs.items():
                runs[key].append(_log(job(), key))
        for key, done in runs.items():
            if key.startswith("hpman "):
                _, n, share = key.split()
                self.hpman_parse[(int(n), float(share))] = done
        return runs

    def cli(self, *args: str, cache: Path) -> Run:
        env = dict(os.environ, XDG_CACHE_HOME=str(cache))
        env.pop("HPMAN_CST_CACHE_DIR", None)  # it would win over XDG_CACHE_HOME
        return run_process([str(OURS_CLI), *args], env=env)

    def fresh_cache(self) -> Path:
        return Path(tempfile.mkdtemp(prefix="cache-", dir=self.s.workdir))

    # B1 and B2: hpman list, cold and warm

    def b1_b2(self, share: float, n: int, b1_limit: float) -> None:
        root = self.corpus(n, share)
        label = f"N={n}, P={round(share * 100)}%"
        cache = self.fresh_cache()
        jobs = {
            **self.hpman_job(n, share),
            "cold": lambda: self.cli("list", "--no-cache", str(root), cache=self.fresh_cache()),
        }
        cache_note = "hpman has no cache: its cold parse is the baseline"
        if "B2" in self.s.cases:
            _log(self.cli("list", str(root), cache=cache), "warm-up")
            jobs["warm"] = lambda: self.cli("list", str(root), cache=cache)
            if not any(path.is_file() for path in cache.rglob("*")):
                cache_note = f"WARNING: the warm-up wrote nothing under XDG_CACHE_HOME={cache}"
        runs = self.round_robin(jobs)
        hp = self.hpman_parse[(n, share)]
        if "B1" in self.s.cases:
            self.rows.append(
                Row(
                    "B1",
                    f"cold `hpman list --no-cache`, {label}",
                    "s",
                    side(runs["cold"], lambda r: r.wall_s),
                    side(hp, lambda r: r.wall_s),
                    f"<= {b1_limit}",
                    "ratio",
                    b1_limit,
                    "hpman: a fresh process doing parse_file + get_values",
                    side(runs["cold"], lambda r: r.cpu_s),
                    side(hp, lambda r: r.cpu_s),
                )
            )
            self.rows.append(
                Row(
                    "B1",
                    f"peak memory of that run, {label}",
                    "MB",
                    side(runs["cold"], lambda r: r.peak_kb / 1024),
                    side(hp, lambda r: r.peak_kb / 1024),
                    "<= 1.0",
                    "ratio",
                    1.0,
                    (
                        "peak memory: the largest sum of the proportional set sizes of the"
                        " run's processes (pool workers included, shared pages counted"
                        " once), sampled every 10 ms"
                    ),
                )
            )
        if "B2" in self.s.cases:
            self.rows.append(
                Row(
                    "B2",
                    f"`hpman list` again, with the cache, {label}",
                    "s",
                    side(runs["warm"], lambda r: r.wall_s),
                    side(hp, lambda r: r.wall_s),
                    "<= 0.02",
                    "ratio",
                    0.02,
                    cache_note,
                    side(runs["warm"], lambda r: r.cpu_s),
                    side(hp, lambda r: r.cpu_s),
                )
            )

    def b3(self) -> None:
        n = self.s.n
        roots = {size: self.corpus(size, 1.0) for size in (n, 2 * n)}
        jobs: dict[str, Callable[[], Run]] = {}
        for size, root in roots.items():
            jobs[f"ours {size}"] = lambda root=root: run_child("parse", "ours", root)
            jobs.update(self.hpman_job(size, 1.0))
        # A training restart with unchanged code: the content cache of an earlier run.
        warm = self.fresh_cache()
        _log(run_child("parse", "ours", roots[n], cache=warm), "warm-up")
        jobs["warm"] = lambda: run_child("parse", "ours", roots[n], cache=warm)
        runs = self.round_robin(jobs)
        wall: dict[str, dict[int, Side]] = {"ours": {}, "hpman": {}}
        cpu: dict[str, dict[int, Side]] = {"ours": {}, "hpman": {}}
        for size in roots:
            for tool, done in (
                ("ours", runs[f"ours {size}"]),
                ("hpman", self.hpman_parse[(size, 1.0)]),
            ):
                wall[tool][size] = side(done, lambda r: r.data["parse_s"])
                cpu[tool][size] = side(done, lambda r: r.data["parse_cpu_s"])
            first = size == n
            self.rows.append(
                Row(
                    "B3",
                    f"`_.parse_file(dir)`, N={size}, P=100%",
                    "s",
                    wall["ours"][size],
                    wall["hpman"][size],
                    "<= 0.5" if first else "",
                    "ratio" if first else "",
                    0.5 if first else None,
                    "time of parse_file inside a fresh process (import excluded)",
                    cpu["ours"][size],
                    cpu["hpman"][size],
                )
            )
        self.rows.append(
            Row(
                "B3 warm",
                f"`_.parse_file(dir)` again, code unchanged (a restart), N={n}, P=100%",
                "s",
                side(runs["warm"], lambda r: r.data["parse_s"]),
                wall["hpman"][n],
                "<= 0.05",
                "ratio",
                0.05,
                "reads the content cache the first run wrote (HPMAN_CST_CACHE_DIR)",
                side(runs["warm"], lambda r: r.data["parse_cpu_s"]),
                cpu["hpman"][n],
            )
        )
        growth = {tool: _growth(sides, n) for tool, sides in wall.items()}
        self.rows.append(
            Row(
                "B3",
                f"growth t(N={2 * n}) / t(N={n})",
                "x",
                growth["ours"],
                growth["hpman"],
                "ours <= 2.2",
                "ours",
                2.2,
                "growth in CPU time: ours "
                + _fmt(_growth(cpu["ours"], n).value, "x")
                + ", hpman "
                + _fmt(_growth(cpu["hpman"], n).value, "x"),
            )
        )

    def b4(self) -> None:
        n = self.s.n
        root = self.corpus(n, 1.0)
        args = ("rename", corpus_gen.RENAME_NAME, corpus_gen.RENAME_NEW_NAME, str(root))
        cache = self.fresh_cache()
        _log(self.cli(*args, cache=cache), "rename warm-up")
        jobs = {
            **self.hpman_job(n, 1.0),
            "rename cold": lambda: self.cli(*args, cache=self.fresh_cache()),
            "rename warm": lambda: self.cli(*args, cache=cache),
        }
        runs = self.round_robin(jobs)
        hp = self.hpman_parse[(n, 1.0)]
        expected = self.rename_files[(n, 1.0)]
        for key, what in (("rename cold", "cold cache"), ("rename warm", "cache warm")):
            changed = {
                len(re.findall(r"^\+\+\+ ", r.stdout, flags=re.MULTILINE))
                for r in runs[key]
                if r.returncode == 0
            }
            note = "hpman has no rename: its baseline is parse_file of the same tree"
            if changed and changed != {expected}:
                note = f"WARNING: the diff names {sorted(changed)} files, expected {expected}"
            self.rows.append(
                Row(
                    "B4",
                    f"`hpman rename` dry run, name in {expected} of N={n} files, {what}",
                    "s",
                    side(runs[key], lambda r: r.wall_s),
                    side(hp, lambda r: r.wall_s),
                    "<= 0.3",
                    "ratio",
                    0.3,
                    note,
                    side(runs[key], lambda r: r.cpu_s),
                    side(hp, lambda r: r.cpu_s),
                )
            )

    def b5(self) -> None:
        root = self.corpus(20, 1.0)
        repeat = str(self.s.hot_repeat)
        ours = _log(run_child("hot", "ours", root, repeat), "hot ours")
        hp = _log(run_child("hot", "hpman", root, repeat), "hot hpman")

        def per_call(run: Run, key: str) -> Side:
            return side([run], lambda r: r.data[key])

        def over_dict(run: Run, key: str) -> Side:
            return side([run], lambda r: r.data[key] / r.data["dict"])

        forms = (
            ("call_default", '`_("lr", 0.1)`', 0.05, 12.0),
            ("call", '`_("lr")`', None, 6.0),
            ("get_value", '`_.get_value("lr")`', None, 6.0),
        )
        for key, text, ratio_limit, dict_limit in forms:
            self.rows.append(
                Row(
                    "B5",
                    f"{text} per call, after parse_file",
                    "ns",
                    per_call(ours, key),
                    per_call(hp, key),
                    f"<= {ratio_limit}" if ratio_limit is not None else "",
                    "ratio" if ratio_limit is not None else "",
                    ratio_limit,
                )
            )
            self.rows.append(
                Row(
                    "B5",
                    f'{text} / `d["lr"]`',
                    "x",
                    over_dict(ours, key),
                    over_dict(hp, key),
                    f"ours <= {dict_limit:g}x",
                    "ours",
                    dict_limit,
                )
            )
        floor = ours if ours.returncode == 0 else hp
        floor_note = ""
        if floor.returncode == 0:
            ns, ratio = floor.data["floor_call"], floor.data["floor_call"] / floor.data["dict"]
            floor_note = (
                f"a minimal Python `__call__` returning `d[name]` costs {ns:.0f} ns"
                f" ({ratio:.1f}x the dict lookup) in the same process"
            )
        self.rows.append(
            Row(
                "B5",
                '`d["lr"]` (plain dict lookup)',
                "ns",
                per_call(ours, "dict"),
                per_call(hp, "dict"),
                note=floor_note,
            )
        )

    def b6(self) -> None:
        modules = {"ours": "hpman_cst.m", "hpman": "hpman.m"}
        commands = {"bare": [sys.executable, "-c", "pass"]}
        for key, module in modules.items():
            commands[key] = [sys.executable, "-c", f"from {module} import _"]
            commands[f"{key}-importtime"] = [sys.executable, "-X", "importtime", *commands[key][1:]]
        for cmd in commands.values():  # write the bytecode caches first
            run_process(cmd)
        runs: dict[str, list[Run]] = {k: [] for k in commands}
        for _ in range(self.s.import_runs):
            for key, cmd in commands.items():
                runs[key].append(run_process(cmd))
        bare = side(runs["bare"], lambda r: r.wall_s * 1000)
        costs: dict[str, Side] = {}
        for key in modules:
            wall = side(runs[key], lambda r: r.wall_s * 1000)
            value = None if wall.value is None or bare.value is None else wall.value - bare.value
            costs[key] = Side(value, wall.runs, wall.error)
        self.rows.append(
            Row(
                "B6",
                "`from <pkg>.m import _`: wall time over `python -c pass`",
                "ms",
                costs["ours"],
                costs["hpman"],
                "<= 0.5",
                "ratio",
                0.5,
                f"medians of {self.s.import_runs} interleaved runs each; bare interpreter "
                f"{_fmt(bare.value, 'ms')}",
            )
        )
        importtime = {
            key: side(runs[f"{key}-importtime"], lambda r, m=module: _importtime_ms(r.stderr, m))
            for key, module in modules.items()
        }
        self.rows.append(
            Row(
                "B6",
                "the same, `-X importtime` cumulative",
                "ms",
                importtime["ours"],
                importtime["hpman"],
                note="-X importtime: cumulative time of the imported module, medians",
            )
        )

    def b7(self) -> None:
        """``hpman rename`` of one file holding 5N and 10N uses of the name: the rewrite's
        own growth in edits per file (the scan of one file is a small part of it)."""
        sizes = (5 * self.s.n, 10 * self.s.n)
        roots: dict[int, Path] = {}
        sites: dict[int, int] = {}
        for size in sizes:
            root = self.s.workdir / f"edits_{size}"
            root.mkdir(parents=True, exist_ok=True)
            text = corpus_gen.many_sites(size)
            (root / "steps.py").write_text(text)
            roots[size] = root
            sites[size] = text.count(corpus_gen.RENAME_NAME)
        old, new = corpus_gen.RENAME_NAME, corpus_gen.RENAME_NEW_NAME
        jobs: dict[str, Callable[[], Run]] = {
            f"edits {size}": lambda root=root: self.cli(
                "rename", old, new, "--no-cache", "-j", "1", str(root), cache=self.fresh_cache()
            )
            for size, root in roots.items()
        }
        runs = self.round_robin(jobs)
        wall = {size: side(runs[f"edits {size}"], lambda r: r.wall_s) for size in sizes}
        cpu = {size: side(runs[f"edits {size}"], lambda r: r.cpu_s) for size in sizes}
        note = "hpman has no rename; a fresh `hpman rename --no-cache -j 1` (dry run) of one file"
        for size in sizes:
            added = {
                len(re.findall(r"^\+(?!\+\+ )", r.stdout, flags=re.MULTILINE))
                for r in runs[f"edits {size}"]
                if r.returncode == 0
            }
            warn = "" if added <= {sites[size]} else f"; WARNING: {sorted(added)} lines added"
            self.rows.append(
                Row(
                    "B7",
                    f"`hpman rename`, {sites[size]} sites in one file",
                    "s",
                    wall[size],
                    Side(None),
                    note=note + warn,
                    ours_cpu=cpu[size],
                )
            )
        small, large = sizes
        self.rows.append(
            Row(
                "B7",
                f"growth t({sites[large]} sites) / t({sites[small]} sites)",
                "x",
                Side(_ratio(wall[large], wall[small])),
                Side(None),
                "ours <= 2.2",
                "ours",
                2.2,
                "growth in CPU time: ours " + _fmt(_ratio(cpu[large], cpu[small]), "x"),
            )
        )

    # profiles of the missed targets

    def b8(self) -> None:
        """``hpman check``: cold (``--no-cache``) against ``hpman list --no-cache`` in the
        same run, and with a warm cache against hpman 0.13's parse."""
        n = self.s.n
        root = self.corpus(n, 1.0)
        cache = self.fresh_cache()
        _log(self.cli("check", "--exit-zero", str(root), cache=cache), "warm-up")
        jobs = {
            **self.hpman_job(n, 1.0),
            "check cold": lambda: self.cli(
                "check", "--exit-zero", "--no-cache", str(root), cache=self.fresh_cache()
            ),
            "list cold": lambda: self.cli(
                "list", "--no-cache", str(root), cache=self.fresh_cache()
            ),
            "check warm": lambda: self.cli("check", "--exit-zero", str(root), cache=cache),
        }
        runs = self.round_robin(jobs)
        hp = self.hpman_parse[(n, 1.0)]
        self.rows.append(
            Row(
                "B8",
                f"cold `hpman check --no-cache` / cold `hpman list --no-cache`, N={n}",
                "s",
                side(runs["check cold"], lambda r: r.wall_s),
                side(runs["list cold"], lambda r: r.wall_s),
                "<= 1.2",
                "ratio",
                1.2,
                "the baseline column of this row is our own `hpman list --no-cache`",
                side(runs["check cold"], lambda r: r.cpu_s),
                side(runs["list cold"], lambda r: r.cpu_s),
            )
        )
        self.rows.append(
            Row(
                "B8",
                f"`hpman check` again, with the cache, N={n}, P=100%",
                "s",
                side(runs["check warm"], lambda r: r.wall_s),
                side(hp, lambda r: r.wall_s),
                "<= 0.02",
                "ratio",
                0.02,
                "hpman has no check: its cold parse is the baseline",
                side(runs["check warm"], lambda r: r.cpu_s),
                side(hp, lambda r: r.cpu_s),
            )
        )

    def profiles(self) -> dict[str, str]:
        """Where the time goes, for each case whose target this run missed."""
        missed = {row.case.split()[0] for row in self.rows if row.met is False}
        root = self.corpus(self.s.n, 1.0)
        out: dict[str, str] = {}
        if "B1" in missed:
            out["B1: hpman list -j 1 --no-cache"] = self.cli_profile(
                ["list", "-j", "1", "--no-cache", str(root)], self.fresh_cache()
            )
        if "B2" in missed:
            cache = self.fresh_cache()
            self.cli("list", str(root), cache=cache)
            out["B2: hpman list -j 1 (warm cache)"] = self.cli_profile(
                ["list", "-j", "1", str(root)], cache
            )
        if "B3" in missed:
            run = run_child("profile", "ours", root)
            out["B3: _.parse_file"] = run.data.get("profile") or run.stderr
        if "B4" in missed:
            old, new = corpus_gen.RENAME_NAME, corpus_gen.RENAME_NEW_NAME
            out["B4: hpman rename -j 1"] = self.cli_profile(
                ["rename", old, new, "-j", "1", str(root)], self.fresh_cache()
            )
        if "B6" in missed:
            out["B6: modules imported by hpman_cst.m (self ms, cumulative ms)"] = import_breakdown()
        return out

    def cli_profile(self, args: list[str], cache: Path) -> str:
        """The top of a cProfile of one ``hpman`` command (in one process: ``-j 1``)."""
        import io
        import pstats

        output = cache / "profile.out"
        env = dict(os.environ, XDG_CACHE_HOME=str(cache))
        cmd = [sys.executable, "-m", "cProfile", "-o", str(output), "-m", "hpman_cst", *args]
        run = run_process(cmd, env=env)
        if not output.exists():
            return f"profile failed (exit {run.returncode}): {run.stderr.strip()[-500:]}"
        text = io.StringIO()
        stats = pstats.Stats(str(output), stream=text)
        stats.sort_stats("tottime").print_stats(20)
        stats.sort_stats("cumulative").print_stats(20)
        return text.getvalue()

    def sorted_rows(self) -> list[Row]:
        """The rows in case order (B1 before B2 ...), measurement order within a case."""
        return sorted(self.rows, key=lambda row: ALL_CASES.index(row.case.split()[0]))

    def run(self) -> None:
        cases = self.s.cases
        n = self.s.n
        if "B1" in cases or "B2" in cases:
            self.b1_b2(1.0, n, 0.25)
            self.b1_b2(0.2, 2 * n, 0.10)
        if "B3" in cases:
            self.b3()
        if "B4" in cases:
            self.b4()
        if "B5" in cases:
            self.b5()
        if "B6" in cases:
            self.b6()
        if "B7" in cases:
            self.b7()
        if "B8" in cases:
            self.b8()


def _importtime_table(stderr: str) -> dict[str, tuple[float, float]]:
    table: dict[str, tuple[float, float]] = {}
    for line in stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[0].startswith("import time:") and parts[1].strip().isdigit():
            self_us = int(parts[0].split(":")[1])
            table[parts[2].strip()] = (self_us / 1000, int(parts[1]) / 1000)
    return table


def import_breakdown(limit: int = 20) -> str:
    """The modules ``from hpman_cst.m import _`` imports beyond a bare interpreter, by
    their own import time (the median of five ``-X importtime`` runs)."""
    bare = _importtime_table(run_process([sys.executable, "-X", "importtime", "-c", "pass"]).stderr)
    cmd = [sys.executable, "-X", "importtime", "-c", "from hpman_cst.m import _"]
    tables = [_importtime_table(run_process(cmd).stderr) for _ in range(5)]
    rows = []
    for module in tables[0]:
        if module in bare or not all(module in t for t in tables):
            continue
        own = statistics.median(t[module][0] for t in tables)
        cumulative = statistics.median(t[module][1] for t in tables)
        rows.append((own, cumulative, module))
    rows.sort(reverse=True)
    total = sum(own for own, _, _ in rows)
    lines = [f"{len(rows)} modules, {total:.1f} ms of own import time in all"]
    lines += [f"{own:7.2f} {cumulative:7.2f}  {module}" for own, cumulative, module in rows[:limit]]
    return "\n".join(lines)


def _importtime_ms(stderr: str, module: str) -> float:
    """The cumulative import time of ``module`` in ``-X importtime`` output."""
    for line in stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[2].strip() == module:
            return int(parts[1]) / 1000
    raise ValueError(f"{module} not in the -X importtime output")


def _log(run: Run, what: str) -> Run:
    status = "ok" if run.returncode == 0 else f"FAILED ({run.returncode})"
    print(
        f"  {what}: {run.wall_s:.3f} s, {run.peak_kb / 1024:.0f} MB, {status}",
        file=sys.stderr,
        flush=True,
    )
    return run


# -------------------------------------------------------------------------- reporting


def footnotes(rows: Sequence[Row]) -> list[str]:
    """Each distinct note and failure once, with the cases it applies to."""
    seen: dict[str, list[str]] = {}
    for row in rows:
        texts = [row.note] if row.note else []
        texts += [
            f"{tool} failed: {s.error}"
            for tool, s in (("ours", row.ours), ("hpman", row.hpman))
            if s.error
        ]
        for text in texts:
            cases = seen.setdefault(text, [])
            if row.case not in cases:
                cases.append(row.case)
    return [f"  {'/'.join(cases)}: {text}" for text, cases in seen.items()]


def machine() -> dict[str, Any]:
    """What the figures were taken on."""
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as handle:
            models = [line.split(":", 1)[1].strip() for line in handle if "model name" in line]
        cpu = models[0] if models else cpu
    except OSError:
        pass
    versions: dict[str, str] = {}
    for module in ("hpman_cst", "hpman"):
        try:
            versions[module] = __import__(module).__version__
        except Exception as exc:  # reported, not fatal
            versions[module] = f"not importable: {exc}"
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        **versions,
    }


def report(bench: Bench, settings: Settings, elapsed: float) -> dict[str, Any]:
    return {
        "machine": machine(),
        "settings": {
            "n": settings.n,
            "repeat": settings.repeat,
            "import_runs": settings.import_runs,
            "cases": list(settings.cases),
        },
        "elapsed_s": elapsed,
        "rows": [
            {**asdict(row), "ratio": row.ratio, "met": row.met, "cpu_ratio": row.cpu_ratio}
            for row in bench.sorted_rows()
        ],
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="hpman-cst against hpman 0.13")
    parser.add_argument(
        "--quick", action="store_true", default=bool(os.environ.get("HPMAN_BENCH_QUICK"))
    )
    parser.add_argument("-n", type=int, default=None, help="the base corpus size (default 1000)")
    parser.add_argument("--repeat", type=int, default=None, help="runs per figure (default 3)")
    parser.add_argument("--cases", default=",".join(ALL_CASES))
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    parser.add_argument("--workdir", type=Path, default=None, help="keep corpora here")
    parser.add_argument(
        "--profile", action="store_true", help="profile each case whose target is missed"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    n = args.n or int(os.environ.get("HPMAN_BENCH_N", 100 if args.quick else 1000))
    repeat = args.repeat or (1 if args.quick else 3)
    cases = tuple(c.strip().upper() for c in args.cases.split(",") if c.strip())
    unknown = set(cases) - set(ALL_CASES)
    if unknown:
        raise SystemExit(f"unknown cases: {sorted(unknown)}")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="hpman-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    global RUN_DIR
    RUN_DIR = workdir
    settings = Settings(
        n=n,
        repeat=repeat,
        import_runs=10 if args.quick else 30,
        hot_repeat=3 if args.quick else 7,
        workdir=workdir,
        cases=cases,
    )
    print(f"hpman-cst bench: N={n}, {repeat} run(s) per figure, in {workdir}", file=sys.stderr)
    start = time.perf_counter()
    bench = Bench(settings)
    profiles: dict[str, str] = {}
    try:
        bench.run()
        elapsed = time.perf_counter() - start
        print_results(bench, settings, elapsed)
        if args.profile:
            profiles = bench.profiles()
            for title, text in profiles.items():
                print(f"\n--- profile, {title}\n{text.rstrip()}")
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        result = report(bench, settings, elapsed)
        result["profiles"] = profiles
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


def print_results(bench: Bench, settings: Settings, elapsed: float) -> None:
    """The table, the machine and the footnotes, on stdout."""
    info = machine()
    print()
    print(render_table(bench.sorted_rows()))
    print()
    print(
        f"Python {info['python']} on {info['cores']} cores ({info['cpu']}), "
        f"hpman_cst {info['hpman_cst']}, hpman {info['hpman']}; "
        f"N={settings.n}, medians of {settings.repeat} run(s); {elapsed:.0f} s in all."
    )
    for line in footnotes(bench.rows):
        print(line)


if __name__ == "__main__":
    sys.exit(main())
