"""Rewriting grows linearly with the edits in one file: the work hpman-cst's own code does
(planning, resolving, splicing, both proofs) is counted in function calls, which do not
depend on the machine's speed, for a file of N sites and one of 2N. A step that compares
every edit with every other (as the proofs once did: 100 M steps for 10,000 sites) makes
the count grow fourfold; the times are in ``nox -s bench`` (case B7)."""

from __future__ import annotations

import cProfile
import os
import pstats
from collections.abc import Callable
from pathlib import Path

import pytest

import hpman_cst
from hpman_cst.index import index_file
from hpman_cst.records import FileIndex
from hpman_cst.refactor.edits import Plan
from hpman_cst.refactor.execute import execute
from hpman_cst.refactor.plan import plan_remove, plan_rename, plan_set_default

_PACKAGE = os.path.dirname(hpman_cst.__file__)

_SHAPES = {
    # one statement per site, each with a default (every proof runs per statement)
    "statements": lambda n: "".join(f"x{i} = _('lr', 0.1) * {i}\n" for i in range(n)),
    # every site in one statement, one per line (one statement compared node by node)
    "one-statement": lambda n: (
        "xs = [\n" + "".join("    _('lr', 0.1),\n" for _ in range(n)) + "]\n"
    ),
    # every site on one line
    "one-line": lambda n: "xs = [" + ", ".join("_('lr', 0.1)" for _ in range(n)) + "]\n",
    # sites in a function body, and read with the manager's API
    "api-in-function": lambda n: (
        "def f():\n    y = _('lr', 0.1)\n"
        + "".join(f"    _.get_value('lr') + {i}\n" for i in range(n - 1))
    ),
}

_COMMANDS: dict[str, Callable[[list[FileIndex]], Plan]] = {
    "rename": lambda indexes: plan_rename(indexes, "lr", "learning_rate"),
    "set-default": lambda indexes: plan_set_default(indexes, "lr", "0.5"),
    "remove": lambda indexes: plan_remove(indexes, "lr"),
}


def _calls(path: Path, command: str) -> int:
    """Calls of hpman-cst's own functions while planning and proving the rewrite of
    ``path`` (libcst's and the standard library's are left out: their work per statement
    does not depend on the other edits)."""
    indexes = [index_file(str(path))]
    profile = cProfile.Profile()
    profile.enable()
    try:
        changes = execute(_COMMANDS[command](indexes))
    finally:
        profile.disable()
    assert len(changes) == 1 and changes[0].changed
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    return sum(calls for (file, _, _), (calls, *_) in stats.items() if file.startswith(_PACKAGE))


@pytest.mark.parametrize("shape", list(_SHAPES))
@pytest.mark.parametrize("command", list(_COMMANDS))
def test_work_grows_linearly_with_the_edits_in_a_file(
    tmp_path: Path, shape: str, command: str
) -> None:
    counts = []
    for n in (100, 200):
        path = tmp_path / f"n{n}.py"
        path.write_text(_SHAPES[shape](n))
        counts.append(_calls(path, command))
    assert counts[1] / counts[0] <= 2.2, counts
