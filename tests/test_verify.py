"""The syntax-tree proof of a rewrite: the new module is the old one with each replaced
expression swapped for its new text, and nothing else changed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hpman_cst.exceptions import RewriteError
from hpman_cst.records import Span
from hpman_cst.refactor.edits import Edit, EditKind
from hpman_cst.refactor.materialise import Replacement, splice
from hpman_cst.refactor.python_proofs import _Edited, check_ast
from hpman_cst.source import SourceText


def replacing(old: str, target: str, new: str, nth: int = 0) -> Replacement:
    """Replace the ``nth`` occurrence of ``target`` in ``old`` by ``new``."""
    start = -1
    for _ in range(nth + 1):
        start = old.index(target, start + 1)
    end = start + len(target)
    source = SourceText(old)
    line, column = source.position(start)
    end_line, end_column = source.position(end)
    edit = Edit(Span(line, column, end_line, end_column), EditKind.EXPRESSION, new)
    return Replacement(edit, start, end, new)


OLD = (
    "import os\n\n"
    "@register(_('lr', 1))\n"
    "def f(x=_('lr', 1)):\n"
    "    '''doc'''\n"
    "    y = x * _('lr', 1)\n"
    "    try:\n"
    "        z = 2\n"
    "    except E:\n"
    "        pass\n"
    "    return f'{_(\"lr\", 1)=}'\n"
    "\n"
    "w = [1,\n     2]\n"
)


@pytest.mark.parametrize(
    ("target", "new", "nth"),
    [
        pytest.param("'lr'", "'rate'", 0, id="decorator"),
        pytest.param("'lr'", "'rate'", 1, id="parameter-default"),
        pytest.param("_('lr', 1)", "(a + b)", 2, id="inlined-with-parentheses"),
        pytest.param('"lr"', '"rate"', 0, id="debug-f-string-text-changes"),
    ],
)
def test_intended_rewrites_pass(target: str, new: str, nth: int) -> None:
    r = replacing(OLD, target, new, nth)
    check_ast("t.py", OLD, splice(OLD, [r]), [r])


@pytest.mark.parametrize(
    ("edit", "change", "line"),
    [
        pytest.param(("_('lr', 1)", "a + b", 2), None, 6, id="precedence-changed"),
        pytest.param(
            ("'lr'", "'rate'", 1), ("z = 2", "z = 3"), 7, id="untouched-statement-in-body"
        ),
        pytest.param(("'lr'", "'rate'", 1), ("w = [1,", "w = [0,"), 13, id="untouched-top-level"),
        pytest.param(
            ("'lr'", "'rate'", 1), ("import os\n", "import os\nimport re\n"), 4, id="added"
        ),
        pytest.param(("'lr'", "'rate'", 1), ("x=_", "q=_"), 3, id="header-of-touched-def"),
        pytest.param(("'lr'", "'rate'", 1), ("except E", "except F"), 7, id="handler-of-touched"),
        pytest.param(("'lr'", "'rate'", 0), ("def f", "async def f"), 3, id="kind-of-touched"),
    ],
)
def test_unintended_changes_are_caught(
    edit: tuple[str, str, int], change: tuple[str, str] | None, line: int
) -> None:
    r = replacing(OLD, *edit)
    new_text = splice(OLD, [r])
    if change is not None:
        assert change[0] in new_text
        new_text = new_text.replace(change[0], change[1], 1)
    with pytest.raises(RewriteError) as info:
        check_ast("t.py", OLD, new_text, [r])
    assert "syntax tree differs from the intended one at this statement" in str(info.value)
    assert "edit the call sites of this statement by hand" in str(info.value)
    assert info.value.line == line


def test_a_statement_moved_by_an_earlier_edit_on_its_line_is_the_same() -> None:
    old = "a = _('lr', 1); b = 2\nc = 3\n"
    r = replacing(old, "'lr'", "'learning_rate'")
    check_ast("t.py", old, splice(old, [r]), [r])


def test_the_same_text_elsewhere_is_not_the_same_statement() -> None:
    # The statement count and order hold, but a statement's text moved to another place.
    old = "a = _('lr', 1)\nb = 2\n"
    r = replacing(old, "'lr'", "'x'")
    with pytest.raises(RewriteError):
        check_ast("t.py", old, "a = _('x', 1)\n\nb = 2\n", [r])


def test_new_text_that_does_not_parse() -> None:
    old = "a = _('lr', 1)\n"
    r = replacing(old, "'lr'", "'x")
    with pytest.raises(RewriteError) as info:
        check_ast("t.py", old, splice(old, [r]), [r])
    assert "would not parse" in str(info.value)


@st.composite
def _ordered_ranges(draw: st.DrawFn) -> list[tuple[int, int]]:
    # Ordered, disjoint ranges (some empty, some touching), as planned edits are.
    ranges, position = [], 0
    for gap, width in draw(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4)))):
        ranges.append((position + gap, position + gap + width))
        position += gap + width
    return ranges


@given(_ordered_ranges(), st.integers(-1, 60), st.integers(0, 8))
def test_edited_ranges_answer_as_a_scan_would(
    ranges: list[tuple[int, int]], start: int, width: int
) -> None:
    # The proofs ask these questions by binary search (linear time in the edits); a
    # scan over every range is the definition.
    edit = Edit(Span(1, 0, 1, 0), EditKind.EXPRESSION, "")
    edited = _Edited([Replacement(edit, s, e, "") for s, e in ranges])
    end = start + width
    assert edited.overlaps(start, end) == any(s < end and start < e for s, e in ranges)
    assert edited.any_within(start, end) == any(start <= s and e <= end for s, e in ranges)
    assert edited.holds(start) == any(s <= start < e for s, e in ranges)
