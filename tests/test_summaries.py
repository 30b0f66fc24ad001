"""The lines a rewriting command prints besides its diff, and ``hpman list``'s output, as
strings made by the library (the command line only prints them)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from hpman_cst.listing import NOTHING_FOUND, Listing, listing, nothing_found
from hpman_cst.records import FileIndex, Problem, ProblemCode
from hpman_cst.registry import build_registry
from hpman_cst.summaries import change_summary, unknown_names_warning


@dataclass(frozen=True)
class Changed:
    path: str
    sites: int


TWO = [Changed("a.py", 2), Changed("sub/b.py", 1)]


@pytest.mark.parametrize(
    ("action", "changes", "lines"),
    [
        pytest.param(
            "diff",
            TWO,
            ["2 files would change, 3 call sites; nothing written (use --write to apply)"],
            id="diff",
        ),
        pytest.param("write", TWO[:1], ["1 file changed, 2 call sites"], id="write-one-file"),
        pytest.param(
            "check",
            TWO,
            ["would rewrite a.py", "would rewrite sub/b.py", "2 files would change, 3 call sites"],
            id="check-names-each-file",
        ),
        pytest.param("diff", [], ["0 files would change"], id="nothing"),
    ],
)
def test_change_summary(action: str, changes: list[Changed], lines: list[str]) -> None:
    assert change_summary(changes, action) == lines


def test_change_summary_counts_in_the_unit_given() -> None:
    assert change_summary([Changed("a.py", 1)], "write", "import") == ["1 file changed, 1 import"]


def _not_literal(path: str, line: int) -> FileIndex:
    problem = Problem(ProblemCode.NOT_LITERAL_NAME, "not a literal", path, line, 4)
    return FileIndex(path, problems=(problem,))


def test_no_warning_without_unknown_names() -> None:
    assert unknown_names_warning([FileIndex("a.py")], "lr") is None


def test_warning_names_the_first_unknown_call() -> None:
    warning = unknown_names_warning([_not_literal("b.py", 9), _not_literal("a.py", 3)], "lr")
    assert warning == (
        "hpman: warning: 2 calls with a name that is not a string literal, left as they are"
        " (first: a.py:3:5): check that none means `lr`"
    )


def test_listing_of_nothing_says_so_and_quiet_drops_it() -> None:
    output = listing(build_registry([FileIndex("a.py")]), "yaml", (), 1, ("_", "hp"))
    assert output.stderr == (nothing_found(1, ("_", "hp")),)
    assert output.stderr[0].startswith(NOTHING_FOUND) and "`_`, `hp`" in output.stderr[0]
    assert output.without_nothing_found() == Listing(output.stdout, (), 0)


def test_listing_of_an_unknown_name_fails() -> None:
    output = listing(build_registry([FileIndex("a.py")]), "yaml", ("lr",))
    assert output.exit_code == 1
    assert output.stderr == ("hpman: no hyper-parameter named `lr`",)
