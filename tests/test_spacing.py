"""The one rule for spaces at a token boundary (hpman_cst.spacing), as the splice applies
it (pad) and as the libcst side applies it to its marked output (unmark)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hpman_cst.spacing import free_marker, glues, pad, unmark


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        pytest.param("1", "if", True, id="decimal"),
        pytest.param("0x1", "for", True, id="hexadecimal"),
        pytest.param("1j", "or", True, id="imaginary"),
        pytest.param("1.", "in", True, id="float-point"),
        pytest.param("a", "is", True, id="name"),
        pytest.param("λ", "and", True, id="unicode-name"),
        pytest.param("...", "if", False, id="ellipsis"),
        pytest.param('b"s"', "if", False, id="string"),
        pytest.param("f(1)", "if", False, id="call"),
        pytest.param("1", ")", False, id="bracket"),
        pytest.param("= ", "1", False, id="space"),
        pytest.param("", "if", False, id="start-of-text"),
    ],
)
def test_glues(before: str, after: str, expected: bool) -> None:
    assert glues(before, after) is expected


def test_pad() -> None:
    assert pad("1", "= ", "if") == "1 "
    assert pad("a", "(", ")") == "a"


_TEXT = st.text(alphabet="a1._ ()λ\"'", max_size=6)
_SOME = st.text(alphabet="a1._ ()λ\"'", min_size=1, max_size=6)


@given(_TEXT, _SOME, _SOME, _SOME, _TEXT)
def test_unmark_equals_pad(before: str, first: str, between: str, second: str, after: str) -> None:
    # Two edits (never adjacent: there is text between calls) marked in one output.
    marker = free_marker(before + first + between + second + after)
    code = f"{before}{marker}{first}{marker}{between}{marker}{second}{marker}{after}"
    spliced = before + pad(first, before, between) + between + pad(second, between, after) + after
    assert unmark(code, marker) == spliced


def test_free_marker_avoids_the_text() -> None:
    assert free_marker("x") == "\ue000"
    assert free_marker("\ue000\ue001") == "\ue002"
