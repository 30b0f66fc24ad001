"""The one process pool (hpman_cst.pool): the platform rule and the serial fallback."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from hpman_cst import pool


def _square(n: int) -> int:
    return n * n


def _pid(n: int) -> int:
    return os.getpid()


def _dies_on_odd(n: int) -> int:
    # A worker killed while it works (the kernel's out-of-memory killer, say).
    if n % 2 and multiprocessing.parent_process() is not None:
        os._exit(9)
    return n * n


def _fails(n: int) -> int:
    raise ValueError(f"item {n}")


def test_linux_forks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool.sys, "platform", "linux")
    assert pool.start_method_context().get_start_method() == "fork"


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_elsewhere_the_platform_default_never_a_forced_fork(
    monkeypatch: pytest.MonkeyPatch, platform: str
) -> None:
    asked: list[str | None] = []
    real = multiprocessing.get_context

    def get_context(method: str | None = None) -> object:
        asked.append(method)
        return real(method)

    monkeypatch.setattr(pool.sys, "platform", platform)
    monkeypatch.setattr(multiprocessing, "get_context", get_context)
    pool.start_method_context()
    assert asked == [None]


@pytest.mark.parametrize(
    ("jobs", "items", "expected"),
    [
        pytest.param(4, 100, 4, id="jobs-bound"),
        pytest.param(4, 17, 2, id="items-bound"),
        pytest.param(4, 3, 1, id="too-few-items"),
        pytest.param(1, 100, 1, id="one-job"),
    ],
)
def test_processes_for(jobs: int, items: int, expected: int) -> None:
    assert pool.processes_for(jobs, items, 8) == expected


def test_processes_for_defaults_to_the_cores() -> None:
    assert pool.processes_for(None, 10**6, 1) == pool.default_jobs()


def test_spread_keeps_the_order_and_uses_workers() -> None:
    items = list(range(20))
    assert pool.spread(_square, items, 3) == [n * n for n in items]
    pids = set(pool.spread(_pid, items, 3))
    assert os.getpid() in pids and len(pids) > 1


def test_spread_in_one_process_is_serial() -> None:
    assert set(pool.spread(_pid, list(range(5)), 1)) == {os.getpid()}


def test_spread_without_workers_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_processes() -> object:
        raise OSError("no semaphores here")

    monkeypatch.setattr(pool, "start_method_context", no_processes)
    assert pool.start_workers(2) is None
    assert set(pool.spread(_pid, list(range(6)), 3)) == {os.getpid()}


def test_items_of_a_worker_that_dies_are_done_here() -> None:
    items = list(range(12))
    assert pool.spread(_dies_on_odd, items, 2) == [n * n for n in items]


def test_an_error_of_the_work_is_raised_as_in_a_serial_run() -> None:
    with pytest.raises(ValueError, match="item"):
        pool.spread(_fails, list(range(6)), 2)
