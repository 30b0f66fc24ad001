"""How a place is written in messages (exceptions.location), by records and errors alike."""

from __future__ import annotations

import pytest

from hpman_cst.exceptions import HpmanError, location
from hpman_cst.index import index_source
from hpman_cst.records import Problem, ProblemCode, Span


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        pytest.param(("a.py", 3, 0), "a.py:3:1", id="column-1-based"),
        pytest.param(("a.py", 3, None), "a.py:3", id="no-column"),
        pytest.param(("a.py", None, 4), "a.py", id="column-needs-a-line"),
        pytest.param((None, 3, 4), "3:5", id="no-path"),
        pytest.param((None, None, None), "", id="nothing"),
    ],
)
def test_location(args: tuple[str | None, int | None, int | None], shown: str) -> None:
    assert location(*args) == shown


def test_every_message_writes_a_place_the_same_way() -> None:
    index = index_source("x = 1\ny = _('a', 1)\n_.get_value('a')\n", "t.py")
    (occurrence,) = index.occurrences
    (ref,) = index.api_refs
    problem = Problem(ProblemCode.SYNTAX, "bad", "t.py", 2, 4)
    error = HpmanError("bad", path="t.py", line=2, column=4)
    assert (occurrence.location, ref.location) == ("t.py:2:5", "t.py:3:13")
    assert (str(problem), str(error)) == ("t.py:2:5: bad", "t.py:2:5: bad")
    assert str(Span(2, 4, 2, 9)) == "2:5"
