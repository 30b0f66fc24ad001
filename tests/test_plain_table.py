"""The plain table writer gives tabulate's ``simple`` text exactly, or declines."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tabulate import tabulate

from hpman_cst.plain_table import simple_table

_PRINTABLE = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=12)
_ANY = st.lists(
    st.sampled_from([*"ab Z9_-:./'\"", "\n", "\t", "\r", "é", "学", "\x1b[31m", "\u00a0"]),
    max_size=10,
).map("".join)


def _tabulate(rows: list[list[str]], headers: list[str]) -> str:
    return tabulate(rows, headers, tablefmt="simple", disable_numparse=True)


@st.composite
def tables(draw: st.DrawFn, cell: st.SearchStrategy[str]) -> tuple[list[list[str]], list[str]]:
    width = draw(st.integers(1, 5))
    headers = draw(
        st.lists(
            st.from_regex(r"[a-z][a-z ]{0,8}[a-z]", fullmatch=True), min_size=width, max_size=width
        )
    )
    lines = st.lists(cell, min_size=1, max_size=3).map("\n".join)
    rows = draw(st.lists(st.lists(lines, min_size=width, max_size=width), max_size=6))
    return rows, headers


@given(tables(_PRINTABLE))
def test_equals_tabulate_or_declines_on_printable_cells(
    table: tuple[list[list[str]], list[str]],
) -> None:
    rows, headers = table
    fast = simple_table(rows, headers)
    if fast is not None:
        assert fast == _tabulate(rows, headers)


_SOLID = st.from_regex(r"[!-~]([ -~]{0,10}[!-~])?", fullmatch=True)


@settings(max_examples=300)
@given(tables(_SOLID))
def test_writes_tables_of_plain_cells_itself(table: tuple[list[list[str]], list[str]]) -> None:
    rows, headers = table
    assert simple_table(rows, headers) == _tabulate(rows, headers)


@given(tables(_ANY))
def test_equals_tabulate_or_declines_on_any_cells(table: tuple[list[list[str]], list[str]]) -> None:
    rows, headers = table
    fast = simple_table(rows, headers)
    if fast is not None:
        assert fast == _tabulate(rows, headers)


def test_writes_the_listing_table() -> None:
    rows = [
        ["lr", "float", "0.1", "train.py:3", "model/net.py:6\nmodel/net.py:9"],
        ["num_layers", "int", "5", "model/net.py:4", "-"],
    ]
    headers = ["name", "type", "value", "defined at", "used at"]
    fast = simple_table(rows, headers)
    assert fast == _tabulate(rows, headers)
    assert fast is not None and fast.splitlines()[3] == " " * 45 + "model/net.py:9"


@pytest.mark.parametrize(
    "cell",
    [
        pytest.param("学习率", id="wide"),
        pytest.param(" lr", id="leading-blank"),
        pytest.param("a\tb", id="tab"),
        pytest.param("\x1b[31mred\x1b[0m", id="escape-code"),
        pytest.param("a\r\nb", id="carriage-return"),
        pytest.param("\n", id="blank-line"),
    ],
)
def test_declines_cells_tabulate_measures_its_own_way(cell: str) -> None:
    assert simple_table([[cell]], ["name"]) is None
