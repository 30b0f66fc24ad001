"""Line tables of decoded source: the fast path for text without carriage returns gives
the same line starts as the general one."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from hpman_cst.source import SourceText

_NEWLINE = re.compile(r"\r\n|\r|\n")


@given(st.text(st.sampled_from("ab \t\f\v\x0c\x1c\u2028\n\r"), max_size=40))
def test_line_starts_are_where_python_starts_lines(text: str) -> None:
    expected = [0] + [m.end() for m in _NEWLINE.finditer(text)]
    assert SourceText(text).line_starts == expected
