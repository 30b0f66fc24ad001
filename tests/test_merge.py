"""Plans of several commands merged into one, proven together and written at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from hpman_cst.exceptions import RefactorRefused
from hpman_cst.index import index_file
from hpman_cst.records import FileIndex
from hpman_cst.refactor.edits import merge
from hpman_cst.refactor.execute import execute
from hpman_cst.refactor.plan import plan_remove, plan_rename, plan_set_default
from hpman_cst.refactor.write import write

SOURCE = (
    "from hpman_cst.m import _\r\n"
    "lr = _('lr', 0.1)  # the rate\r\n"
    "steps = _('steps', 10) * _.get_value('lr')\r\n"
    "def f():\r\n"
    "    return _(\"lr\", 0.1) + _('momentum', (0.9))\r\n"
)


def _index(tmp_path: Path, name: str = "train.py") -> list[FileIndex]:
    path = tmp_path / name
    if not path.exists():
        path.write_bytes(SOURCE.encode())
    return [index_file(str(path))]


def _run(tmp_path: Path, *planners: str) -> bytes:
    """The file after each command in turn, each planned from the file as it is then."""
    for planner in planners:
        indexes = _index(tmp_path)
        if planner == "rename":
            plan = plan_rename(indexes, "lr", "rate")
        elif planner == "set-default rate":
            plan = plan_set_default(indexes, "rate", "0.5")
        else:
            plan = plan_set_default(indexes, "lr", "0.5")
        write(execute(plan))
    return (tmp_path / "train.py").read_bytes()


def test_a_merged_rename_and_set_default_are_proven_and_written_together(
    tmp_path: Path,
) -> None:
    indexes = _index(tmp_path)
    merged = plan_rename(indexes, "lr", "rate") | plan_set_default(indexes, "lr", "0.5")
    assert [f.path for f in merged.files] == [indexes[0].path]  # one file, both commands
    (change,) = execute(merged)
    write([change])
    result = Path(indexes[0].path).read_bytes()
    assert result == (
        b"from hpman_cst.m import _\r\n"
        b"lr = _('rate', 0.5)  # the rate\r\n"
        b"steps = _('steps', 10) * _.get_value('rate')\r\n"
        b"def f():\r\n"
        b"    return _(\"rate\", 0.5) + _('momentum', (0.9))\r\n"
    )
    assert change.sites == 5
    # The same as either command after the other.
    one = tmp_path / "one"
    one.mkdir()
    assert result == _run(one, "rename", "set-default rate")
    other = tmp_path / "other"
    other.mkdir()
    assert result == _run(other, "set-default lr", "rename")


def test_merged_plans_in_either_order_write_the_same(tmp_path: Path) -> None:
    indexes = _index(tmp_path)
    rename = plan_rename(indexes, "lr", "rate")
    set_default = plan_set_default(indexes, "momentum", "0.8")
    first = execute(merge(rename, set_default))
    second = execute(merge(set_default, rename))
    assert [c.new for c in first] == [c.new for c in second]
    assert b"_('momentum', (0.8))" in first[0].new


def test_a_merged_plan_whose_edits_overlap_is_refused(tmp_path: Path) -> None:
    indexes = _index(tmp_path)
    path = indexes[0].path
    with pytest.raises(RefactorRefused) as caught:
        plan_rename(indexes, "lr", "rate") | plan_remove(indexes, "lr")
    assert str(caught.value) == (
        f"{path}:2:8: two edits overlap here (remove `lr` and rename `lr` to `rate`); they"
        " cannot be made together: run the commands one after the other"
    )
    assert (tmp_path / "train.py").read_bytes() == SOURCE.encode()
