"""``parse_file`` pauses the cyclic garbage collector while it reads files (a speed fix:
see benchmark B3) and always leaves it as it found it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from hpman_cst import HyperParameterManager
from hpman_cst.exceptions import HpmanError


@pytest.fixture
def restore_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.parametrize("enabled", [pytest.param(True, id="on"), pytest.param(False, id="off")])
def test_parse_file_leaves_the_collector_as_it_was(
    tmp_path: Path, restore_gc: None, enabled: bool
) -> None:
    (tmp_path / "a.py").write_text("_('a', 1)\n")
    if enabled:
        gc.enable()
    else:
        gc.disable()
    HyperParameterManager("_").parse_file(str(tmp_path))
    assert gc.isenabled() is enabled


def test_parse_file_reenables_the_collector_after_an_error(
    tmp_path: Path, restore_gc: None
) -> None:
    (tmp_path / "a.py").write_text("_('a', 1\n")
    gc.enable()
    with pytest.raises(HpmanError):
        HyperParameterManager("_").parse_file(str(tmp_path))
    assert gc.isenabled()


def test_collector_is_paused_while_files_are_read(
    tmp_path: Path, restore_gc: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.py").write_text("_('a', 1)\n")
    seen: list[bool] = []
    import hpman_cst.scan as scan  # parse_file reads through the project's scan

    real = scan.index_bytes

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(scan, "index_bytes", spy)
    gc.enable()
    HyperParameterManager("_").parse_file(str(tmp_path))
    assert seen == [False]
